// Safe: store state written after an await from what it holds then, not from a copy taken
// before: a zustand updater, `get()` read again after the await, a rollback guarded by the value
// this run set, a partial `set` of new input only (zustand merges it), and `getState()` read
// again where `setState` writes.
import { create } from 'zustand';
import createStore from 'unistore';

interface Cart {
  items: string[];
  coupon: string;
  loading: boolean;
  add(item: string): Promise<void>;
  addAgain(item: string): Promise<void>;
  applyCoupon(code: string): Promise<void>;
  refresh(): Promise<void>;
}
declare function save(value: unknown): Promise<boolean>;
declare function fetchItems(): Promise<string[]>;

export const useCart = create<Cart>((set, get) => ({
  items: [],
  coupon: '',
  loading: false,
  async add(item) {
    await save(item);
    set((state) => ({ items: [...state.items, item] }));
  },
  async addAgain(item) {
    await save(item);
    set({ items: [...get().items, item] });
  },
  async applyCoupon(code) {
    const previous = get().coupon;
    set({ coupon: code });
    if (!(await save(code))) {
      if (get().coupon === code) set({ coupon: previous });
    }
  },
  async refresh() {
    set({ loading: true });
    const items = await fetchItems();
    set({ items, loading: false });
  },
}));

export const counter = createStore({ count: 0, label: '' });
export async function relabel(label: string): Promise<void> {
  await save(label);
  counter.setState({ ...counter.getState(), label });
}
