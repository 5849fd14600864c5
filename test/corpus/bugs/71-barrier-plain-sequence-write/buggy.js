// lars-t-hansen/parlib-simple#30: a reusable barrier on a shared Int32Array. The last thread to
// arrive resets the arrival counter and bumps the sequence word with plain writes, then wakes
// the others, while every other thread reads the sequence word with Atomics.load and sleeps on it
// with Atomics.wait. The plain writes are unordered with those atomic accesses: a thread can read
// the old sequence, sleep on it after the wake-up and deadlock at the next round.
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const COUNTER = 0;
const SEQUENCE = 1;
const AGENTS = 4;

/** @param {Int32Array<SharedArrayBuffer>} iab */
function barrierEnter(iab) {
  const seq = Atomics.load(iab, SEQUENCE);
  if (Atomics.sub(iab, COUNTER, 1) === 1) {
    iab[COUNTER] = AGENTS;
//  ^ shared-memory
    iab[SEQUENCE] = seq + 1;
//  ^ shared-memory
    Atomics.notify(iab, SEQUENCE, AGENTS - 1);
  } else {
    Atomics.wait(iab, SEQUENCE, seq);
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
