// developit/unistore PR #92: read the current state with `store.getState()` when writing, after
// the fetch, instead of the state from before it.
import createStore from 'unistore';

interface AppState {
  count: number;
  stuff: string[];
}
export const store = createStore<AppState>({ count: 0, stuff: [] });

export async function loadStuffAndCount(): Promise<void> {
  const res = await fetch('/foo.json');
  const stuff = (await res.json()) as string[];
  store.setState({ count: store.getState().count + 1, stuff });
}

export function increment(): void {
  store.setState({ count: store.getState().count + 1 });
}
