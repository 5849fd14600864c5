// GoogleChromeLabs/web-audio-samples#177: in the SharedArrayBuffer design pattern the audio
// thread adds to the "frames available" counter and the worker subtracts from it with plain
// `+=`/`-=` on the shared Int32Array; the two read-modify-writes interleave and frames are lost.
const STATE = { FRAMES_AVAILABLE: 0, READ_INDEX: 1, WRITE_INDEX: 2, KERNEL_LENGTH: 3 };

const stateBuffer = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
const states = new Int32Array(stateBuffer);
const ring = new Float32Array(new SharedArrayBuffer(4096 * Float32Array.BYTES_PER_ELEMENT));
states[STATE.KERNEL_LENGTH] = 512;

const worker = new Worker('shared-buffer-worker.js');
worker.postMessage({ stateBuffer, ringBuffer: ring.buffer });

/** Audio thread: called for every 128-frame render quantum. @param {Float32Array} input */
export function pushInput(input) {
  const write = states[STATE.WRITE_INDEX];
  ring.set(input, write);
  states[STATE.WRITE_INDEX] = (write + input.length) % ring.length;
  states[STATE.FRAMES_AVAILABLE] += input.length;
//^ shared-memory
}

/** Worker thread (shared-buffer-worker.js): consumes one kernel's worth of frames. */
export function processKernel() {
  const kernelLength = states[STATE.KERNEL_LENGTH];
  if (states[STATE.FRAMES_AVAILABLE] < kernelLength) return;
  states[STATE.READ_INDEX] = (states[STATE.READ_INDEX] + kernelLength) % ring.length;
  states[STATE.FRAMES_AVAILABLE] -= kernelLength;
}
