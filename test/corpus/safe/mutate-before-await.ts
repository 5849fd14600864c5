// Safe: the shared list is read and changed synchronously before the await; only persisting the
// already-updated snapshot happens after it.
declare function persist(snapshot: string[]): Promise<void>;

export class TodoList {
  private items: string[] = [];

  async add(item: string): Promise<void> {
    this.items = [...this.items, item];
    const snapshot = this.items;
    await persist(snapshot);
  }

  addAll(items: string[]): Promise<void[]> {
    return Promise.all(items.map((i) => this.add(i)));
  }
}
