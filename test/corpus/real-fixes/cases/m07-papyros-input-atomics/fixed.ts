// dodona-edu/papyros#4 input hand-off (fixed form): the main thread writes the
// line, then publishes its length with Atomics.store and notifies; the worker
// waits on that slot and reads it with Atomics.load.
const META = 0; // 0 = empty, n > 0 = bytes ready
const FLAG_INDEX = 0;

// main thread
export class InputManager {
  private meta: Int32Array;
  private bytes: Uint8Array;
  constructor(private worker: Worker) {
    const sab = new SharedArrayBuffer(4 + 1024);
    this.meta = new Int32Array(sab, 0, 1);
    this.bytes = new Uint8Array(sab, 4);
    worker.postMessage({ type: 'input-buffer', sab });
  }
  sendInput(line: string): void {
    const encoded = new TextEncoder().encode(line + '\n');
    this.bytes.set(encoded);
    Atomics.store(this.meta, FLAG_INDEX, encoded.length);
    Atomics.notify(this.meta, FLAG_INDEX);
  }
}

// worker
let meta: Int32Array;
let bytes: Uint8Array;
self.onmessage = (e: MessageEvent) => {
  if (e.data.type === 'input-buffer') {
    meta = new Int32Array(e.data.sab, 0, 1);
    bytes = new Uint8Array(e.data.sab, 4);
  }
};
export function readline(): string {
  while (Atomics.load(meta, FLAG_INDEX) === META) Atomics.wait(meta, FLAG_INDEX, META);
  const length = Atomics.load(meta, FLAG_INDEX);
  const line = new TextDecoder().decode(bytes.slice(0, length));
  Atomics.store(meta, FLAG_INDEX, META);
  return line;
}
