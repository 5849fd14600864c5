// PostHog/posthog-js-lite PR #177 (as merged): only one flush runs at a time; flush() hands every
// caller the flush in progress (flushPromise, cleared in finally).
export type PostHogQueueItem = { message: Record<string, unknown>; callback?: (err: unknown) => void };

export class PostHogFetchNetworkError extends Error {}

export abstract class PostHogCoreStateless {
  private flushAt: number;
  private maxBatchSize: number;
  private flushInterval: number;
  private _flushTimer?: ReturnType<typeof setTimeout>;
  private flushPromise: Promise<Record<string, unknown>[]> | null = null;
  protected _initPromise: Promise<void> = Promise.resolve();

  constructor(
    private apiKey: string,
    private host: string,
    options?: { flushAt?: number; maxBatchSize?: number; flushInterval?: number },
  ) {
    this.flushAt = options?.flushAt ? Math.max(options.flushAt, 1) : 20;
    this.maxBatchSize = Math.max(this.flushAt, options?.maxBatchSize ?? 100);
    this.flushInterval = options?.flushInterval ?? 10000;
  }

  abstract getPersistedProperty<T>(key: 'queue'): T | undefined;
  abstract setPersistedProperty<T>(key: 'queue', value: T | null): void;
  abstract fetch(url: string, options: { method: string; headers: Record<string, string>; body: string }): Promise<{ status: number }>;

  protected enqueue(type: string, message: Record<string, unknown>): void {
    const queue = this.getPersistedProperty<PostHogQueueItem[]>('queue') || [];
    queue.push({ message: { ...message, type } });
    this.setPersistedProperty<PostHogQueueItem[]>('queue', queue);

    // Flush queued events if we meet the flushAt length
    if (queue.length >= this.flushAt) {
      this.flushBackground();
    }

    if (this.flushInterval && !this._flushTimer) {
      this._flushTimer = setTimeout(() => this.flushBackground(), this.flushInterval);
    }
  }

  private clearFlushTimer(): void {
    if (this._flushTimer) {
      clearTimeout(this._flushTimer);
      this._flushTimer = undefined;
    }
  }

  private flushBackground(): void {
    void this.flush().catch(() => {});
  }

  async flush(): Promise<Record<string, unknown>[]> {
    if (!this.flushPromise) {
      this.flushPromise = this._flush().finally(() => {
        this.flushPromise = null;
      });
    }
    return this.flushPromise;
  }

  private async _flush(): Promise<Record<string, unknown>[]> {
    this.clearFlushTimer();
    await this._initPromise;

    const queue = this.getPersistedProperty<PostHogQueueItem[]>('queue') || [];

    if (!queue.length) {
      return [];
    }

    const items = queue.slice(0, this.maxBatchSize);
    const messages = items.map((item) => item.message);

    const persistQueueChange = (): void => {
      const refreshedQueue = this.getPersistedProperty<PostHogQueueItem[]>('queue') || [];
      this.setPersistedProperty<PostHogQueueItem[]>('queue', refreshedQueue.slice(items.length));
    };

    const payload = JSON.stringify({ api_key: this.apiKey, batch: messages, sent_at: new Date().toISOString() });

    try {
      await this.fetch(`${this.host}/batch/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload });
    } catch (err) {
      if (!(err instanceof PostHogFetchNetworkError)) {
        persistQueueChange();
      }
      throw err;
    }

    persistQueueChange();

    return messages;
  }

  async shutdown(shutdownTimeoutMs: number = 30000): Promise<void> {
    await this._initPromise;
    this.clearFlushTimer();
    const startTimeWithDelay = Date.now() + shutdownTimeoutMs;
    while (true) {
      const queue = this.getPersistedProperty<PostHogQueueItem[]>('queue') || [];
      if (queue.length === 0) break;
      await this.flush();
      if (Date.now() > startTimeWithDelay) break;
    }
  }
}

export class PostHog extends PostHogCoreStateless {
  private memory: Record<string, unknown> = {};

  getPersistedProperty<T>(key: 'queue'): T | undefined {
    return this.memory[key] as T | undefined;
  }

  setPersistedProperty<T>(key: 'queue', value: T | null): void {
    this.memory[key] = value;
  }

  fetch(url: string, options: { method: string; headers: Record<string, string>; body: string }) {
    return globalThis.fetch(url, options);
  }

  capture(distinctId: string, event: string, properties: Record<string, unknown> = {}) {
    this.enqueue('capture', { distinct_id: distinctId, event, properties });
  }
}
