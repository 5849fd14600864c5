// Fix (the book's next example): Atomics.add performs each increment as one indivisible
// read-modify-write, and the main thread reads the total with Atomics.load.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const sharedArrayBuffer = new SharedArrayBuffer(4);
  const view = new Uint32Array(sharedArrayBuffer);
  Atomics.store(view, 0, 1);
  let responseCount = 0;
  for (let i = 0; i < 4; ++i) {
    const worker = new Worker(new URL(import.meta.url), { workerData: sharedArrayBuffer });
    worker.on('message', () => {
      if (++responseCount === 4) console.log(`Final buffer value: ${Atomics.load(view, 0)}`);
    });
  }
} else {
  const view = new Uint32Array(/** @type {SharedArrayBuffer} */ (workerData));
  for (let i = 0; i < 1e6; ++i) {
    Atomics.add(view, 0, 1);
  }
  parentPort?.postMessage(null);
}
