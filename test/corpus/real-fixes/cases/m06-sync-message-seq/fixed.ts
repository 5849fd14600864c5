// alexmojaki/sync-message style hand-off (fixed form): every request carries a
// sequence number; the reader waits until the writer publishes that number, so a
// late notify from the previous request cannot wake it early.
const STATUS = 0;
const SEQ = 1;
const LENGTH = 2;

export class SyncChannel {
  readonly control: Int32Array;
  readonly data: Uint8Array;
  private seq = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, 3);
    this.data = new Uint8Array(buffer, 12);
  }

  // Worker side: blocks until the main thread answers request `id`.
  readMessage(worker: { postMessage(m: unknown): void }, request: unknown): string {
    const id = ++this.seq;
    worker.postMessage({ id, request });
    while (Atomics.load(this.control, SEQ) !== id) {
      Atomics.wait(this.control, SEQ, id - 1, 50);
    }
    const length = Atomics.load(this.control, LENGTH);
    const text = new TextDecoder().decode(this.data.slice(0, length));
    Atomics.store(this.control, STATUS, 0);
    return text;
  }
}

// Main thread side: answers request `id`.
export function writeMessage(control: Int32Array, data: Uint8Array, id: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  data.set(bytes);
  Atomics.store(control, LENGTH, bytes.length);
  Atomics.store(control, STATUS, 1);
  Atomics.store(control, SEQ, id);
  Atomics.notify(control, SEQ);
}
