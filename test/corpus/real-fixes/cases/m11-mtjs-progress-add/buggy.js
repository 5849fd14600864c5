// Multithreaded JavaScript (le4onardo/Multithreaded-JavaScript) progress counter
// (buggy form): every worker bumps the shared counter with ++, so
// concurrent increments are lost and the bar never reaches 100%.
const { Worker, isMainThread, workerData, parentPort } = require('worker_threads');

const TOTAL = 0;
const DONE = 1;

if (isMainThread) {
  const buffer = new SharedArrayBuffer(8);
  const progress = new Int32Array(buffer);
  const files = ['a.csv', 'b.csv', 'c.csv', 'd.csv'];
  Atomics.store(progress, TOTAL, files.length * 100);
  for (const file of files) {
    const worker = new Worker(__filename, { workerData: { buffer, file } });
    worker.on('exit', () => report());
  }
  const timer = setInterval(report, 250);
  function report() {
    const done = Atomics.load(progress, DONE);
    const total = Atomics.load(progress, TOTAL);
    process.stdout.write(`\r${Math.round((done / total) * 100)}%`);
    if (done >= total) clearInterval(timer);
  }
} else {
  const progress = new Int32Array(workerData.buffer);
  for (let chunk = 0; chunk < 100; chunk++) {
    parseChunk(workerData.file, chunk);
    progress[DONE]++;
//  ^ shared-memory
  }
  /** @type {import('node:worker_threads').MessagePort} */ (parentPort).postMessage('done');
}

function parseChunk(file, chunk) {
  return file.length + chunk;
}
