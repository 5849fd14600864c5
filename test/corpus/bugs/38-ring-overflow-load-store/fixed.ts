// Fix: both writers of READ use a compareExchange loop, so an advance only lands if READ still
// holds the value it was computed from; otherwise the writer recomputes from the new value.
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
    const end = write + frames.length;
    let read = Atomics.load(this.control, READ);
    while (end - read > this.capacity) {
      const seen = Atomics.compareExchange(this.control, READ, read, end - this.capacity);
      if (seen === read) break;
      read = seen;
    }
    for (let i = 0; i < frames.length; i++) this.samples[(write + i) % this.capacity] = frames[i];
    Atomics.store(this.control, WRITE, end);
  }

  /** Audio worklet: take up to out.length samples. */
  read(out: Float32Array): number {
    for (;;) {
      const read = Atomics.load(this.control, READ);
      const n = Math.min(out.length, Atomics.load(this.control, WRITE) - read);
      for (let i = 0; i < n; i++) out[i] = this.samples[(read + i) % this.capacity];
      if (Atomics.compareExchange(this.control, READ, read, read + n) === read) return n;
    }
  }
}

export function shareWith(worklet: MessagePort, ring: SharedRingBuffer): void {
  worklet.postMessage({ sab: ring.sab, capacity: ring.capacity });
}
