// Stub of zustand: a store creator handed `set` (which merges a partial state) and `get`.
export type StoreSetter<T> = (partial: Partial<T> | ((state: T) => Partial<T>)) => void;
export interface UseBoundStore<T> {
  (): T;
  getState(): T;
  setState: StoreSetter<T>;
  subscribe(listener: (state: T, prev: T) => void): () => void;
}
export function create<T>(init: (set: StoreSetter<T>, get: () => T) => T): UseBoundStore<T>;
export default create;
