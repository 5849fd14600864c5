// Safe: the flag word is written with plain indexing only while this thread alone holds the
// buffer (before the Worker is created); postMessage/new Worker orders those writes before
// anything the worker does. After that, every access to the flag is atomic, and the payload is
// written plainly only by the side that holds the flag.
import { Worker } from 'node:worker_threads';

const FLAG = 0;
const EMPTY = 0;
const FULL = 1;

export function startProducer(values: number[]): Worker {
  const shared = new Int32Array(new SharedArrayBuffer(4 * (values.length + 1)));
  shared[FLAG] = EMPTY;
  for (let i = 0; i < values.length; i++) shared[i + 1] = values[i];
  const worker = new Worker('./consumer.js', { workerData: shared });
  Atomics.store(shared, FLAG, FULL);
  Atomics.notify(shared, FLAG);
  return worker;
}

export function consume(shared: Int32Array<SharedArrayBuffer>): number {
  while (Atomics.load(shared, FLAG) !== FULL) Atomics.wait(shared, FLAG, EMPTY);
  let sum = 0;
  for (let i = 1; i < shared.length; i++) sum += shared[i];
  shared[1] = sum;
  Atomics.store(shared, FLAG, EMPTY);
  Atomics.notify(shared, FLAG);
  return sum;
}
