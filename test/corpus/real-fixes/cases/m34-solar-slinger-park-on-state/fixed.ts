// mark3apps/solar-slinger issue #464 (the fix it suggests; reduction, fixed): the physics worker
// parks on whatever non-WORK state the control word holds, so after it stores DONE it sleeps until
// the main thread writes the word again instead of spinning; the main thread dispatches with
// Atomics.store + notify and joins by waiting on DONE.
import { parentPort, workerData } from 'node:worker_threads';

const CTRL_IDLE = 0;
const CTRL_WORK = 1;
const CTRL_DONE = 2;

declare function stepTier(bodies: Float64Array, dt: number): void;

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);
const bodies = new Float64Array(workerData.bodies as SharedArrayBuffer);
const params = new Float64Array(workerData.params as SharedArrayBuffer);

function workerLoop(): void {
  for (;;) {
    const state = Atomics.load(ctrl, 0);
    if (state === CTRL_WORK) {
      stepTier(bodies, params[0]);
      Atomics.store(ctrl, 0, CTRL_DONE);
      Atomics.notify(ctrl, 0);
      continue;
    }
    // Park on the state seen (IDLE or DONE): woken only when the main thread changes the word.
    Atomics.wait(ctrl, 0, state);
  }
}

parentPort?.postMessage('ready');
workerLoop();
