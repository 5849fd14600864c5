// workglow-dev/libs PR #628 "fix(storage): genuine CAS for updateWhere on IndexedDb" (reduction,
// fixed): one readwrite transaction walks a cursor to the first matching row and patches it in
// place with cursor.update(); IndexedDB's lock serialises overlapping calls.
type Entity = Record<string, unknown> & { id: string };

export class IndexedDbTabularStorage {
  constructor(private readonly db: IDBDatabase, private readonly storeName: string) {}

  updateWhere(match: Partial<Entity>, patch: Partial<Entity>): Promise<Entity | undefined> {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(this.storeName, 'readwrite');
      let updated: Entity | undefined;
      const request = tx.objectStore(this.storeName).openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return;
        const row = cursor.value as Entity;
        if (Object.entries(match).every(([k, v]) => row[k] === v)) {
          updated = { ...row, ...patch } as Entity;
          cursor.update(updated);
          return;
        }
        cursor.continue();
      };
      tx.oncomplete = () => resolve(updated);
      tx.onerror = () => reject(tx.error);
    });
  }
}
