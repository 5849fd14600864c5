// CommunitySolidServer#1097 idea (fixed form): a lock per resource slot in a
// SharedArrayBuffer, taken with compareExchange and released with store + notify;
// the slot's version counter is only touched while the lock is held.
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
    while (Atomics.compareExchange(this.locks, s, UNLOCKED, LOCKED) !== UNLOCKED) {
      Atomics.wait(this.locks, s, LOCKED);
    }
    try {
      this.versions[s] = this.versions[s] + 1;
      return fn(this.versions[s]);
    } finally {
      Atomics.store(this.locks, s, UNLOCKED);
      Atomics.notify(this.locks, s, 1);
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
