// Fix: every access to the shared counters goes through Atomics; the counter is changed with
// Atomics.add / Atomics.sub, which cannot interleave, and the worker is woken with notify.
const STATE = { FRAMES_AVAILABLE: 0, READ_INDEX: 1, WRITE_INDEX: 2, KERNEL_LENGTH: 3 };

const stateBuffer = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
const states = new Int32Array(stateBuffer);
const ring = new Float32Array(new SharedArrayBuffer(4096 * Float32Array.BYTES_PER_ELEMENT));
Atomics.store(states, STATE.KERNEL_LENGTH, 512);

const worker = new Worker('shared-buffer-worker.js');
worker.postMessage({ stateBuffer, ringBuffer: ring.buffer });

/** Audio thread: called for every 128-frame render quantum. @param {Float32Array} input */
export function pushInput(input) {
  const write = Atomics.load(states, STATE.WRITE_INDEX);
  ring.set(input, write);
  Atomics.store(states, STATE.WRITE_INDEX, (write + input.length) % ring.length);
  Atomics.add(states, STATE.FRAMES_AVAILABLE, input.length);
  Atomics.notify(states, STATE.FRAMES_AVAILABLE);
}

/** Worker thread (shared-buffer-worker.js): consumes one kernel's worth of frames. */
export function processKernel() {
  const kernelLength = Atomics.load(states, STATE.KERNEL_LENGTH);
  if (Atomics.load(states, STATE.FRAMES_AVAILABLE) < kernelLength) return;
  const read = Atomics.load(states, STATE.READ_INDEX);
  Atomics.store(states, STATE.READ_INDEX, (read + kernelLength) % ring.length);
  Atomics.sub(states, STATE.FRAMES_AVAILABLE, kernelLength);
}
