// Fix (the demo's fix): use the buffer the worker transferred back (msg.data) and build a new
// view on it; the sent buffer is never touched again.
const WIDTH = 640;
const HEIGHT = 480;

const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('out'));
const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
const worker = new Worker('invert-worker.js');

export function invertFrame() {
  const frame = ctx.getImageData(0, 0, WIDTH, HEIGHT);
  const buffer = frame.data.buffer;
  worker.postMessage(buffer, [buffer]);
  worker.onmessage = (msg) => {
    const pixels = new Uint8ClampedArray(/** @type {ArrayBuffer} */ (msg.data));
    ctx.putImageData(new ImageData(pixels, WIDTH, HEIGHT), 0, 0);
  };
}
