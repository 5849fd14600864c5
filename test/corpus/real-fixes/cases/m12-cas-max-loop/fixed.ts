// Atomics.compareExchange loop (fixed form, pattern from the Mozilla Hacks
// "Avoiding race conditions in SharedArrayBuffers with Atomics" article): each
// worker raises the shared high-water mark only if nobody raised it meanwhile.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const HIGH_WATER = 0;

export function raiseHighWater(stats: Int32Array, observed: number): void {
  let current = Atomics.load(stats, HIGH_WATER);
  while (observed > current) {
    const seen = Atomics.compareExchange(stats, HIGH_WATER, current, observed);
    if (seen === current) return;
    current = seen;
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
