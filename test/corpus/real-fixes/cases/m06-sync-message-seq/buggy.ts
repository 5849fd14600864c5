// alexmojaki/sync-message style hand-off (buggy form): the reader waits on a
// flag it resets itself, and reads the length plainly; a late notify from the
// previous request wakes it before the new answer is written.
const STATUS = 0;
const LENGTH = 2;

export class SyncChannel {
  readonly control: Int32Array;
  readonly data: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, 3);
    this.data = new Uint8Array(buffer, 12);
  }

  // Worker side: blocks until the main thread answers.
  readMessage(worker: { postMessage(m: unknown): void }, request: unknown): string {
    this.control[STATUS] = 0;
    worker.postMessage({ request });
    Atomics.wait(this.control, STATUS, 0);
//  ^ shared-memory
    const length = this.control[LENGTH];
    const text = new TextDecoder().decode(this.data.slice(0, length));
    return text;
  }
}

// Main thread side.
export function writeMessage(control: Int32Array, data: Uint8Array, text: string): void {
  const bytes = new TextEncoder().encode(text);
  data.set(bytes);
  control[LENGTH] = bytes.length;
  control[STATUS] = 1;
  Atomics.notify(control, STATUS);
}
