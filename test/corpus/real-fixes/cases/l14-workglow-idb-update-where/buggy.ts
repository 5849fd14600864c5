// workglow-dev/libs PR #628 (buggy twin): IndexedDbTabularStorage.updateWhere reads the first
// matching row with query() in one IndexedDB transaction and writes the patched row with put() in
// another. Two overlapping updateWhere calls both read the same row; only one patch survives.
type Entity = Record<string, unknown> & { id: string };

export class IndexedDbTabularStorage {
  constructor(private readonly db: IDBDatabase, private readonly storeName: string) {}

  query(match: Partial<Entity>): Promise<Entity[]> {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(this.storeName, 'readonly');
      const request = tx.objectStore(this.storeName).getAll();
      request.onsuccess = () =>
        resolve((request.result as Entity[]).filter((row) => Object.entries(match).every(([k, v]) => row[k] === v)));
      request.onerror = () => reject(request.error);
    });
  }

  put(entity: Entity): Promise<void> {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(this.storeName, 'readwrite');
      tx.objectStore(this.storeName).put(entity);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  async updateWhere(match: Partial<Entity>, patch: Partial<Entity>): Promise<Entity | undefined> {
    const rows = await this.query(match);
    const first = rows[0];
    if (!first) return undefined;
    const updated = { ...first, ...patch } as Entity;
    await this.put(updated);
//        ^ lost-update
    return updated;
  }
}
