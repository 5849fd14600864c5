// Atomics high-water mark (buggy form): read, compare, store; two workers can
// both read the old mark and the smaller value can win.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const HIGH_WATER = 0;

export function raiseHighWater(stats: Int32Array, observed: number): void {
  const current = Atomics.load(stats, HIGH_WATER);
  if (observed > current) {
    Atomics.store(stats, HIGH_WATER, observed);
//  ^ shared-memory
  }
}

if (isMainThread) {
  const shared = new SharedArrayBuffer(4);
  const stats = new Int32Array(shared);
  const workers = [1, 2, 3].map(() => new Worker(__filename, { workerData: shared }));
  Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r)))).then(() => {
    console.log('peak queue length', Atomics.load(stats, HIGH_WATER));
  });
} else {
  const stats = new Int32Array(workerData as SharedArrayBuffer);
  for (let i = 0; i < 1000; i++) {
    const queueLength = Math.floor(Math.random() * 500);
    raiseHighWater(stats, queueLength);
  }
}
