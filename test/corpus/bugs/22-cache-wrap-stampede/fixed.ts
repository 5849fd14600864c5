// Fix: coalesce concurrent misses. The first caller for a key stores its in-flight promise; the
// others await that promise instead of calling the function again.
interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
}

declare const store: Store;

export function wrap<A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyPrefix: string) {
  const inFlight = new Map<string, Promise<R>>();
  return (...args: A): Promise<R> => {
    const key = `${keyPrefix}:${JSON.stringify(args)}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const cached = await store.get<R>(key);
        if (cached !== undefined) return cached;
        const value = await fn(...args);
        await store.set(key, value, 60_000);
        return value;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

declare function loadUser(id: number): Promise<{ id: number; name: string }>;
const getCachedUser = wrap(loadUser, 'user');

export async function renderTeam(ids: number[]): Promise<string[]> {
  const users = await Promise.all(ids.map((id) => getCachedUser(id)));
  return users.map((u) => u.name);
}
