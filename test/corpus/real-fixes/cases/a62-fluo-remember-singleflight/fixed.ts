// fluojs/fluo PR #379 (fix 1 of #367: cache-manager stampede on miss; reduction, fixed):
// remember() shares one loader call per key through an in-flight map, so concurrent misses for
// the same key wait for the same promise instead of each calling the loader.
export interface CacheStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
}

export class CacheService {
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly store: CacheStore) {}

  async remember<T>(key: string, loader: () => Promise<T>, ttlSeconds?: number): Promise<T> {
    const cached = await this.store.get<T>(key);
    if (cached !== undefined) return cached;

    const pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) return pending;

    const load = (async () => {
      const value = await loader();
      await this.store.set(key, value, ttlSeconds);
      return value;
    })().finally(() => {
      this.inflight.delete(key);
    });
    this.inflight.set(key, load);
    return load;
  }
}
