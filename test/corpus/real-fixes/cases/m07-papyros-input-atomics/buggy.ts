// dodona-edu/papyros#4 input hand-off (buggy form): the worker polls a plain
// flag and both sides write the length slot without Atomics.
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
    this.meta[FLAG_INDEX] = encoded.length;
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
  while (meta[FLAG_INDEX] === 0) { /* spin */ }
  const length = meta[FLAG_INDEX];
  const line = new TextDecoder().decode(bytes.slice(0, length));
  meta[FLAG_INDEX] = 0;
//^ shared-memory
  return line;
}
