// Safe: workers count into one shared slot with Atomics.add; the main thread reads the total
// with Atomics.load after every worker reported.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  let finished = 0;
  for (let i = 0; i < 4; i++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: counter.buffer });
    worker.on('message', () => {
      if (++finished === 4) console.log('lines', Atomics.load(counter, 0));
    });
  }
} else {
  const counter = new Int32Array(/** @type {SharedArrayBuffer} */ (workerData));
  for (let line = 0; line < 10_000; line++) Atomics.add(counter, 0, 1);
  parentPort?.postMessage('done');
}
