// Safe: every message transfers a buffer created for that message, and the sender never touches
// it again after postMessage.
const encoder = new Worker('encoder-worker.js');

export function encodeFrame(pixels: Uint8ClampedArray): void {
  const copy = new Uint8ClampedArray(pixels);
  encoder.postMessage({ type: 'frame', width: 640, pixels: copy }, [copy.buffer]);
}

export function encodeClip(frames: Uint8ClampedArray[]): void {
  for (const frame of frames) encodeFrame(frame);
}
