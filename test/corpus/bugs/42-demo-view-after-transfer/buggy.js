// AVGP/js-parallelism-demos#2: the demo transferred its buffer to the worker and, when the
// worker answered, kept using the original (now detached, byteLength 0) buffer instead of the
// one the worker sent back.
const WIDTH = 640;
const HEIGHT = 480;

const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('out'));
const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
const worker = new Worker('invert-worker.js');

export function invertFrame() {
  const frame = ctx.getImageData(0, 0, WIDTH, HEIGHT);
  const buffer = frame.data.buffer;
  worker.postMessage(buffer, [buffer]);
  worker.onmessage = () => {
    const pixels = new Uint8ClampedArray(buffer);
//                                       ^ shared-memory
    ctx.putImageData(new ImageData(pixels, WIDTH, HEIGHT), 0, 0);
  };
}
