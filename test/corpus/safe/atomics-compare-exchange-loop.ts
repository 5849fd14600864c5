// Safe: a lock-free "max" on shared memory. The new value is written with compareExchange and
// the loop retries with the freshly observed value when another thread got there first.
export function recordPeak(levels: Int32Array, index: number, sample: number): void {
  let current = Atomics.load(levels, index);
  while (sample > current) {
    const seen = Atomics.compareExchange(levels, index, current, sample);
    if (seen === current) return;
    current = seen;
  }
}

export function startMeters(workerCount: number): Int32Array {
  const levels = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < workerCount; i++) {
    new Worker('meter-worker.js').postMessage({ levels: levels.buffer });
  }
  return levels;
}
