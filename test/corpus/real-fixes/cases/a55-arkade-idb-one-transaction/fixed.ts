// arkade-os/ts-sdk PR #494 (review of the IndexedDB VirtualTxRepository; reduction of the fix the
// review asks for): the branch rows of a vtxo are read, deleted and replaced inside one readwrite
// transaction, which IndexedDB runs alone on the store, so a concurrent save cannot interleave.
const STORE_VTXO_BRANCHES = 'vtxoBranches';

export interface VtxoBranch { vtxoTxid: string; vtxoVout: number; position: number; txid: string }

function req<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export class IndexedDBVirtualTxRepository {
  constructor(private readonly db: IDBDatabase) {}

  async saveBranch(vtxo: { txid: string; vout: number }, branch: VtxoBranch[]): Promise<void> {
    const tx = this.db.transaction([STORE_VTXO_BRANCHES], 'readwrite');
    const store = tx.objectStore(STORE_VTXO_BRANCHES);
    const existing = (await req(store.index('vtxo').getAll(IDBKeyRange.only([vtxo.txid, vtxo.vout])))) as VtxoBranch[];
    for (const e of existing) store.delete([e.vtxoTxid, e.vtxoVout, e.position]);
    for (const b of branch) store.put(b);
    await done(tx);
  }
}
