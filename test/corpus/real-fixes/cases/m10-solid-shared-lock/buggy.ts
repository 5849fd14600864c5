// CommunitySolidServer#1097 idea (buggy form): the "lock" is a plain check of the
// slot followed by a plain write, and the version counter is bumped plainly by
// every worker.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const UNLOCKED = 0;
const LOCKED = 1;
const SLOTS = 1024;

export class SharedLocker {
  private readonly locks: Int32Array;
  private readonly versions: Int32Array;
  constructor(buffer: SharedArrayBuffer) {
    this.locks = new Int32Array(buffer, 0, SLOTS);
    this.versions = new Int32Array(buffer, SLOTS * 4, SLOTS);
  }
  private slot(id: string): number {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
    return Math.abs(h) % SLOTS;
  }
  withWriteLock<T>(id: string, fn: (version: number) => T): T {
    const s = this.slot(id);
    while (this.locks[s] !== UNLOCKED) { /* spin */ }
    this.locks[s] = LOCKED;
//  ^ shared-memory
    try {
      this.versions[s] = this.versions[s] + 1;
//    ^ shared-memory
      return fn(this.versions[s]);
    } finally {
      this.locks[s] = UNLOCKED;
    }
  }
}

if (isMainThread) {
  const buffer = new SharedArrayBuffer(SLOTS * 8);
  for (let i = 0; i < 4; i++) new Worker(__filename, { workerData: buffer });
} else {
  const locker = new SharedLocker(workerData as SharedArrayBuffer);
  locker.withWriteLock('/pod/profile', (v) => console.log('wrote version', v));
}
