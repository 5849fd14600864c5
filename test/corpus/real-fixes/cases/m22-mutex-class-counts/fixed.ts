// A lock in shared memory as a small class (fixed form; the Mutex idiom of the v8.dev
// Atomics explainer, v8/v8.dev#468): every worker updates the histogram only
// between lock() and unlock().
import { Worker, isMainThread, workerData } from 'node:worker_threads';

export class Mutex {
  private readonly cell: Int32Array;
  constructor(buffer: SharedArrayBuffer, index = 0) {
    this.cell = new Int32Array(buffer, index * 4, 1);
  }
  lock(): void {
    while (Atomics.compareExchange(this.cell, 0, 0, 1) !== 0) {
      Atomics.wait(this.cell, 0, 1);
    }
  }
  unlock(): void {
    Atomics.store(this.cell, 0, 0);
    Atomics.notify(this.cell, 0, 1);
  }
}

if (isMainThread) {
  const shared = new SharedArrayBuffer(4 + 256 * 4);
  for (let i = 0; i < 4; i++) new Worker(__filename, { workerData: shared });
} else {
  const shared = workerData as SharedArrayBuffer;
  const mutex = new Mutex(shared);
  const histogram = new Uint32Array(shared, 4, 256);
  for (let i = 0; i < 10000; i++) {
    const bucket = (Math.random() * 256) | 0;
    mutex.lock();
    try {
      histogram[bucket] = histogram[bucket] + 1;
    } finally {
      mutex.unlock();
    }
  }
}
