// Stub of unistore: a store whose setState merges a partial state.
export interface Store<K> {
  getState(): K;
  setState(update: Partial<K>, overwrite?: boolean): void;
  subscribe(listener: (state: K) => void): () => void;
}
export default function createStore<K>(state?: K): Store<K>;
