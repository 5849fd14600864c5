// JhaSourav07/commitpulse before PR #4938 (buggy twin): the in-flight promise is looked up after
// the cache read but stored only after a later await (the PR: lines 468 to 568; reduced here to
// one read), so a second call that arrives meanwhile finds none and runs loadFn too.
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
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    if (this.localLocks.has(key)) return this.localLocks.get(key) as Promise<T>;

    const ready = await this.redis.get(`${key}:warm`);
    const promise = (async () => {
      const value = ready ? (JSON.parse(ready) as T) : await loadFn();
      await this.redis.set(key, JSON.stringify(value), 'EX', this.ttlSeconds);
      return value;
    })().finally(() => this.localLocks.delete(key));
    this.localLocks.set(key, promise);
//  ^ check-then-act
    return promise;
  }
}
