// arkade-os/ts-sdk PR #494 as reviewed (buggy twin): the existing branch rows are read in one
// transaction and deleted and replaced in a second; another save of the same vtxo can run between
// the two, and the rows it wrote are never deleted.
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
    const rt = this.db.transaction([STORE_VTXO_BRANCHES], 'readonly');
    const existing = (await req(
      rt.objectStore(STORE_VTXO_BRANCHES).index('vtxo').getAll(IDBKeyRange.only([vtxo.txid, vtxo.vout])),
    )) as VtxoBranch[];
    const wt = this.db.transaction([STORE_VTXO_BRANCHES], 'readwrite');
    const ws = wt.objectStore(STORE_VTXO_BRANCHES);
    for (const e of existing) ws.delete([e.vtxoTxid, e.vtxoVout, e.position]);
//                            ^ lost-update
    for (const b of branch) ws.put(b);
    await done(wt);
  }
}
