// JhaSourav07/commitpulse PR #4938 (fixes #4928: concurrent getOrSet calls both run loadFn;
// reduction, fixed): the in-flight promise for a key is checked before the first await and again
// after the cache read, and stored in the same step that creates it.
interface Redis {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
}

export class DistributedCache {
  private readonly localLocks = new Map<string, Promise<unknown>>();

  constructor(private readonly redis: Redis, private readonly ttlSeconds = 300) {}

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async getOrSet<T>(key: string, loadFn: () => Promise<T>): Promise<T> {
    const existing = this.localLocks.get(key);
    if (existing) return existing as Promise<T>;

    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;

    const inFlight = this.localLocks.get(key);
    if (inFlight) return inFlight as Promise<T>;

    const promise = (async () => {
      const value = await loadFn();
      await this.redis.set(key, JSON.stringify(value), 'EX', this.ttlSeconds);
      return value;
    })().finally(() => this.localLocks.delete(key));
    this.localLocks.set(key, promise);
    return promise;
  }
}
