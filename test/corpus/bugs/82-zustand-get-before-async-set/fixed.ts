// pmndrs/zustand#17, fixed as the reporter concluded: use the state `set` hands to its updater,
// so each update starts from the list as it is when it is applied.
import { create } from 'zustand';

interface Things {
  items: string[];
  addThing(): Promise<void>;
}
declare function fetchThing(): Promise<string>;

export const useThings = create<Things>((set) => ({
  items: [],
  async addThing() {
    const thing = await fetchThing();
    set((state) => ({ items: [...state.items, thing] }));
  },
}));

export function addTwo(): void {
  void useThings.getState().addThing();
  void useThings.getState().addThing();
}
