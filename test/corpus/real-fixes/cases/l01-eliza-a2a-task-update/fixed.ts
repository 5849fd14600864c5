// elizaOS/eliza issue #23801 "A2A task store: overlapping mutations are lost and a cancel can be
// silently reverted" (reduction of the fix claimed there): update() holds a per-task lock key, set
// with NX and a TTL, around its read-modify-write, retries with backoff while another holder has
// it, and releases it only if the token is still its own.
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

export interface TaskStoreEntry {
  task: { id: string; status: { state: string }; history: unknown[]; artifacts: unknown[] };
  organizationId: string;
  updatedAt: string;
}

const TASK_TTL_SECONDS = 60 * 60 * 24;
const LOCK_TTL_MS = 5_000;
const LOCK_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class A2ATaskStoreService {
  constructor(private readonly redis: Redis) {}

  private key(taskId: string): string {
    return `a2a:task:${taskId}`;
  }

  async get(taskId: string, organizationId: string): Promise<TaskStoreEntry | null> {
    const raw = await this.redis.get(this.key(taskId));
    if (!raw) return null;
    const entry = JSON.parse(raw) as TaskStoreEntry;
    return entry.organizationId === organizationId ? entry : null;
  }

  private async set(taskId: string, entry: TaskStoreEntry): Promise<void> {
    await this.redis.setex(this.key(taskId), TASK_TTL_SECONDS, JSON.stringify(entry));
  }

  private async withTaskLock<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${this.key(taskId)}:lock`;
    const token = randomUUID();
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      const acquired = await this.redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');
      if (acquired === 'OK') {
        try {
          return await fn();
        } finally {
          if ((await this.redis.get(lockKey)) === token) await this.redis.del(lockKey);
        }
      }
      await sleep(25 * 2 ** Math.min(attempt, 5));
    }
    throw new Error(`A2A task ${taskId} is locked by another update`);
  }

  update(
    taskId: string,
    organizationId: string,
    updater: (entry: TaskStoreEntry) => TaskStoreEntry,
  ): Promise<TaskStoreEntry | null> {
    return this.withTaskLock(taskId, async () => {
      const existing = await this.get(taskId, organizationId);
      if (!existing) return null;
      const updated = updater({ ...existing, updatedAt: new Date().toISOString() });
      await this.set(taskId, updated);
      return updated;
    });
  }

  updateTaskState(taskId: string, organizationId: string, state: string) {
    return this.update(taskId, organizationId, (e) => ({ ...e, task: { ...e.task, status: { state } } }));
  }

  addArtifact(taskId: string, organizationId: string, artifact: unknown) {
    return this.update(taskId, organizationId, (e) => ({
      ...e,
      task: { ...e.task, artifacts: [...e.task.artifacts, artifact] },
    }));
  }

  addMessageToHistory(taskId: string, organizationId: string, message: unknown) {
    return this.update(taskId, organizationId, (e) => ({
      ...e,
      task: { ...e.task, history: [...e.task.history, message] },
    }));
  }
}
