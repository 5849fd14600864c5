// pmndrs/zustand#17: an async update builds the next list from `get()` taken before it awaits;
// two updates started together both start from the same list, and the store ends up with one
// item fewer than it should.
import { create } from 'zustand';

interface Things {
  items: string[];
  addThing(): Promise<void>;
}
declare function fetchThing(): Promise<string>;

export const useThings = create<Things>((set, get) => ({
  items: [],
  async addThing() {
    const items = get().items;
    const thing = await fetchThing();
    set({ items: [...items, thing] });
//  ^ lost-update
  },
}));

export function addTwo(): void {
  void useThings.getState().addThing();
  void useThings.getState().addThing();
}
