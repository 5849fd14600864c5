// Workers that share a counter through a SharedArrayBuffer.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

if (isMainThread) {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 4; i++) new Worker(new URL(import.meta.url), { workerData: shared });
} else {
  const counter = workerData;
  for (let i = 0; i < 1000; i++) {
    // A plain read-modify-write: two workers can read the same value and lose an increment.
    counter[0]++;
  }
}
