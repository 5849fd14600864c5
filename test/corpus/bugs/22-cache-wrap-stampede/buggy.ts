// jaredwray/cacheable#888: wrap() looked the key up, and on a miss called the expensive function
// and stored its result; nine concurrent calls for three keys ran the function nine times, and
// every one of them wrote the cache.
interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
}

declare const store: Store;

export function wrap<A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyPrefix: string) {
  return async (...args: A): Promise<R> => {
    const key = `${keyPrefix}:${JSON.stringify(args)}`;
    const cached = await store.get<R>(key);
    if (cached !== undefined) return cached;
    const value = await fn(...args);
    await store.set(key, value, 60_000);
//        ^ check-then-act
    return value;
  };
}

declare function loadUser(id: number): Promise<{ id: number; name: string }>;
const getCachedUser = wrap(loadUser, 'user');

export async function renderTeam(ids: number[]): Promise<string[]> {
  const users = await Promise.all(ids.map((id) => getCachedUser(id)));
  return users.map((u) => u.name);
}
