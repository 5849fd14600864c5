// msfrisbie/professional-javascript-for-web-developers-4e, chapter 27 SharedArrayBuffer example:
// four workers each add 1 a million times to the same Uint32Array slot with `view[0] += 1`;
// the expected 4000001 comes out as about 2145106 because the read-modify-writes interleave.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const sharedArrayBuffer = new SharedArrayBuffer(4);
  const view = new Uint32Array(sharedArrayBuffer);
  view[0] = 1;
  let responseCount = 0;
  for (let i = 0; i < 4; ++i) {
    const worker = new Worker(new URL(import.meta.url), { workerData: sharedArrayBuffer });
    worker.on('message', () => {
      if (++responseCount === 4) console.log(`Final buffer value: ${view[0]}`);
    });
  }
} else {
  const view = new Uint32Array(/** @type {SharedArrayBuffer} */ (workerData));
  for (let i = 0; i < 1e6; ++i) {
    view[0] += 1;
//  ^ shared-memory
  }
  parentPort?.postMessage(null);
}
