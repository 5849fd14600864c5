// Histogram without the lock (buggy form): every worker bumps buckets plainly.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

if (isMainThread) {
  const shared = new SharedArrayBuffer(4 + 256 * 4);
  for (let i = 0; i < 4; i++) new Worker(__filename, { workerData: shared });
} else {
  const shared = workerData as SharedArrayBuffer;
  const histogram = new Uint32Array(shared, 4, 256);
  for (let i = 0; i < 10000; i++) {
    const bucket = (Math.random() * 256) | 0;
    histogram[bucket] = histogram[bucket] + 1;
//  ^ shared-memory
  }
}
