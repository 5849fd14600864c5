// moq-dev/moq PR #1295 (review finding): on overflow the producer moves the READ index with
// Atomics.load + Atomics.store, while the audio worklet also advances READ with its own load +
// store; each store can overwrite the other's advance.
const READ = 0;
const WRITE = 1;

export class SharedRingBuffer {
  readonly control: Int32Array;
  readonly samples: Float32Array;

  constructor(
    readonly sab: SharedArrayBuffer,
    readonly capacity: number,
  ) {
    this.control = new Int32Array(sab, 0, 2);
    this.samples = new Float32Array(sab, 8, capacity);
  }

  /** Main thread: append decoded audio, dropping the oldest samples when full. */
  insert(frames: Float32Array): void {
    const write = Atomics.load(this.control, WRITE);
    const read = Atomics.load(this.control, READ);
    const end = write + frames.length;
    if (end - read > this.capacity) {
      Atomics.store(this.control, READ, end - this.capacity);
//    ^ shared-memory
    }
    for (let i = 0; i < frames.length; i++) this.samples[(write + i) % this.capacity] = frames[i];
    Atomics.store(this.control, WRITE, end);
  }

  /** Audio worklet: take up to out.length samples. */
  read(out: Float32Array): number {
    const read = Atomics.load(this.control, READ);
    const n = Math.min(out.length, Atomics.load(this.control, WRITE) - read);
    for (let i = 0; i < n; i++) out[i] = this.samples[(read + i) % this.capacity];
    Atomics.store(this.control, READ, read + n);
    return n;
  }
}

export function shareWith(worklet: MessagePort, ring: SharedRingBuffer): void {
  worklet.postMessage({ sab: ring.sab, capacity: ring.capacity });
}
