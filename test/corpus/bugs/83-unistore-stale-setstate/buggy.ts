// developit/unistore PR #92: the README's async action computed the next state from the state it
// was given when it started and called `store.setState` after its fetch; whatever changed the
// store in the meantime is overwritten. The PR reads `store.getState()` when writing instead.
import createStore from 'unistore';

interface AppState {
  count: number;
  stuff: string[];
}
export const store = createStore<AppState>({ count: 0, stuff: [] });

export async function loadStuffAndCount(): Promise<void> {
  const state = store.getState();
  const res = await fetch('/foo.json');
  const stuff = (await res.json()) as string[];
  store.setState({ count: state.count + 1, stuff });
//^ lost-update
}

export function increment(): void {
  store.setState({ count: store.getState().count + 1 });
}
