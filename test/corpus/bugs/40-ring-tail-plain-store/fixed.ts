// Fix (the fix): both writers move `tail` with compareExchange and retry on mismatch,
// so neither can rewind the other's update; no plain access to the header remains.
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
    let tail = Atomics.load(this.header, TAIL);
    while (head - tail >= this.size) {
      const seen = Atomics.compareExchange(this.header, TAIL, tail, tail + 1);
      if (seen === tail) break;
      tail = seen;
    }
    this.slots[head % this.size] = event;
    Atomics.store(this.header, HEAD, head + 1);
  }

  /** AudioWorklet thread: deliver every pending event. */
  drain(deliver: (event: number) => void): void {
    for (;;) {
      const tail = Atomics.load(this.header, TAIL);
      const head = Atomics.load(this.header, HEAD);
      const events: number[] = [];
      for (let i = tail; i < head; i++) events.push(this.slots[i % this.size]);
      if (Atomics.compareExchange(this.header, TAIL, tail, head) === tail) {
        events.forEach(deliver);
        return;
      }
    }
  }
}

export function connect(port: MessagePort, ring: EventRing): void {
  port.postMessage({ type: 'ring', sab: ring.sab, size: ring.size });
}
