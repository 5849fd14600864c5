// Safe: a worker hands a result to the main thread through shared memory. The data is written
// before the flag is published with Atomics.store, and the reader waits on the flag with
// Atomics.wait before reading; each side writes different slots.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const READY = 0;
const VALUE = 1;

if (isMainThread) {
  const shared = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  new Worker(new URL(import.meta.url), { workerData: shared.buffer });
  Atomics.wait(shared, READY, 0);
  console.log('result', Atomics.load(shared, VALUE));
} else {
  const shared = new Int32Array(/** @type {SharedArrayBuffer} */ (workerData));
  Atomics.store(shared, VALUE, 42);
  Atomics.store(shared, READY, 1);
  Atomics.notify(shared, READY);
}
