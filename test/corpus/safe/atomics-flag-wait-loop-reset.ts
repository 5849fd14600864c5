// Safe: a request/response hand-off on one word, every access to it atomic. The caller raises
// the word and waits in a loop until the worker moves it on; the worker takes the request with
// Atomics.exchange and answers with Atomics.store + notify. The payload slots are written plainly
// by whichever side the word says holds them.
import { parentPort, workerData } from 'node:worker_threads';

const STATE = 0;
const IDLE = 0;
const REQUEST = 1;
const ANSWER = 2;

export function callWorker(io: Int32Array<SharedArrayBuffer>, argument: number): number {
  io[1] = argument;
  Atomics.store(io, STATE, REQUEST);
  Atomics.notify(io, STATE, 1);
  while (Atomics.load(io, STATE) !== ANSWER) Atomics.wait(io, STATE, REQUEST, 1000);
  const result = io[2];
  Atomics.store(io, STATE, IDLE);
  return result;
}

function serve(io: Int32Array<SharedArrayBuffer>): void {
  for (;;) {
    Atomics.wait(io, STATE, IDLE);
    if (Atomics.compareExchange(io, STATE, REQUEST, REQUEST) !== REQUEST) continue;
    io[2] = io[1] * 2;
    Atomics.store(io, STATE, ANSWER);
    Atomics.notify(io, STATE, 1);
  }
}

if (parentPort) serve(workerData as Int32Array<SharedArrayBuffer>);
