// fluojs/fluo issue #367 (buggy twin): remember() checks the cache, misses, and calls the loader;
// N concurrent misses for one key all call it and all store the value.
export interface CacheStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
}

export class CacheService {
  constructor(private readonly store: CacheStore) {}

  async remember<T>(key: string, loader: () => Promise<T>, ttlSeconds?: number): Promise<T> {
    const cached = await this.store.get<T>(key);
    if (cached !== undefined) return cached;

    const value = await loader();
    await this.store.set(key, value, ttlSeconds);
//        ^ check-then-act
    return value;
  }
}
