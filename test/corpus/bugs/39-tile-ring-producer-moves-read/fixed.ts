// Fix (the review's proposal): only the consumer writes READ. A full producer marks overflow
// and drops the update; the consumer sees the flag and resynchronises the whole map.
const READ_INDEX = 0;
const WRITE_INDEX = 1;
const OVERFLOW = 2;

export function createTileRing(capacity: number): { header: Int32Array; buffer: Uint32Array } {
  const header = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const buffer = new Uint32Array(new SharedArrayBuffer(capacity * Uint32Array.BYTES_PER_ELEMENT));
  return { header, buffer };
}

/** Game worker: publish one changed tile. */
export function pushTileUpdate(header: Int32Array, buffer: Uint32Array, tile: number): void {
  const capacity = buffer.length;
  const write = Atomics.load(header, WRITE_INDEX);
  const nextWrite = (write + 1) % capacity;
  if (nextWrite === Atomics.load(header, READ_INDEX)) {
    Atomics.store(header, OVERFLOW, 1);
    return;
  }
  buffer[write] = tile;
  Atomics.store(header, WRITE_INDEX, nextWrite);
}

/** Main thread: drain every pending tile update. */
export function drainTileUpdates(header: Int32Array, buffer: Uint32Array, onTile: (tile: number) => void, resync: () => void): void {
  if (Atomics.exchange(header, OVERFLOW, 0) === 1) resync();
  const read = Atomics.load(header, READ_INDEX);
  const write = Atomics.load(header, WRITE_INDEX);
  for (let i = read; i !== write; i = (i + 1) % buffer.length) onTile(buffer[i]);
  Atomics.store(header, READ_INDEX, write);
}

export function startWorker(ring: { header: Int32Array; buffer: Uint32Array }): Worker {
  const worker = new Worker('game-worker.js');
  worker.postMessage({ header: ring.header.buffer, buffer: ring.buffer.buffer });
  return worker;
}
