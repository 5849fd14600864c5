// yuichkun/unworklet#15 ([8] tail split-writer race): the main thread drops the oldest event by
// reading `tail` and writing tail + 1 with a plain store, while the worklet commits its drain
// with Atomics.store on the same word; the plain load + store loses the worklet's update.
const HEAD = 0;
const TAIL = 1;

export class EventRing {
  readonly header: Int32Array;
  readonly slots: Int32Array;

  constructor(readonly sab: SharedArrayBuffer, readonly size: number) {
    this.header = new Int32Array(sab, 0, 2);
    this.slots = new Int32Array(sab, 8, size);
  }

  /** Main thread: enqueue a MIDI event, dropping the oldest when the ring is full. */
  send(event: number): void {
    const head = Atomics.load(this.header, HEAD);
    const tail = Atomics.load(this.header, TAIL);
    if (head - tail >= this.size) {
      this.header[TAIL] = tail + 1;
//    ^ shared-memory
    }
    this.slots[head % this.size] = event;
    Atomics.store(this.header, HEAD, head + 1);
  }

  /** AudioWorklet thread: deliver every pending event. */
  drain(deliver: (event: number) => void): void {
    const tail = Atomics.load(this.header, TAIL);
    const head = Atomics.load(this.header, HEAD);
    for (let i = tail; i < head; i++) deliver(this.slots[i % this.size]);
    Atomics.store(this.header, TAIL, head);
  }
}

export function connect(port: MessagePort, ring: EventRing): void {
  port.postMessage({ type: 'ring', sab: ring.sab, size: ring.size });
}
