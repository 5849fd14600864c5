// elizaOS/eliza issue #23801 (buggy twin): every A2A task mutation goes through update(), which
// reads the whole entry, applies the updater and writes the whole entry back with SETEX. Two
// overlapping mutations of one task read the same snapshot; the second write drops the first
// (a cancel overlapping a history append is reverted to "working").
import type Redis from 'ioredis';

export interface TaskStoreEntry {
  task: { id: string; status: { state: string }; history: unknown[]; artifacts: unknown[] };
  organizationId: string;
  updatedAt: string;
}

const TASK_TTL_SECONDS = 60 * 60 * 24;

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

  async update(
    taskId: string,
    organizationId: string,
    updater: (entry: TaskStoreEntry) => TaskStoreEntry,
  ): Promise<TaskStoreEntry | null> {
    const existing = await this.get(taskId, organizationId);
    if (!existing) return null;
    const updated = updater({ ...existing, updatedAt: new Date().toISOString() });
    await this.set(taskId, updated);
//        ^ lost-update
    return updated;
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
