// Fix: the last thread resets the counter and publishes the new sequence with Atomics.store, so
// the other threads' Atomics.load and Atomics.wait see the new round.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const COUNTER = 0;
const SEQUENCE = 1;
const AGENTS = 4;

/** @param {Int32Array<SharedArrayBuffer>} iab */
function barrierEnter(iab) {
  const seq = Atomics.load(iab, SEQUENCE);
  if (Atomics.sub(iab, COUNTER, 1) === 1) {
    Atomics.store(iab, COUNTER, AGENTS);
    Atomics.store(iab, SEQUENCE, seq + 1);
    Atomics.notify(iab, SEQUENCE, AGENTS - 1);
  } else {
    while (Atomics.load(iab, SEQUENCE) === seq) Atomics.wait(iab, SEQUENCE, seq);
  }
}

if (isMainThread) {
  const iab = new Int32Array(new SharedArrayBuffer(8));
  iab[COUNTER] = AGENTS;
  for (let i = 0; i < AGENTS; i++) new Worker(new URL(import.meta.url), { workerData: iab });
} else {
  const iab = /** @type {Int32Array<SharedArrayBuffer>} */ (workerData);
  for (let round = 0; round < 100; round++) barrierEnter(iab);
}
