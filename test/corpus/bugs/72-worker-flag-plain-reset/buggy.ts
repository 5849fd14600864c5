// extism/js-sdk#52 (fixes #46): a plugin worker calls a host function and reads the result the
// host copies into a shared buffer. The first word is the hand-off flag: the host publishes how
// many bytes it wrote with Atomics.compareExchange and notifies, the worker sleeps on it with
// Atomics.wait. When the worker is done it gives the buffer back with a plain write of the flag
// word: the host, waiting on that word with Atomics.wait, is not woken and may not see the write,
// and the two threads fall out of step.
import { parentPort, workerData } from 'node:worker_threads';

const FLAG = 0;
const BASE = 4;

class HostCallReader {
  private readonly flag: Int32Array<SharedArrayBuffer>;
  private readonly bytes: Uint8Array<SharedArrayBuffer>;

  constructor(shared: SharedArrayBuffer) {
    this.flag = new Int32Array(shared);
    this.bytes = new Uint8Array(shared);
  }

  callHost(name: string): Uint8Array {
    parentPort!.postMessage({ type: 'invoke', name });
    while (Atomics.load(this.flag, FLAG) === BASE) Atomics.wait(this.flag, FLAG, BASE);
    const end = Atomics.load(this.flag, FLAG);
    const result = this.bytes.slice(BASE, end);
    this.flag[FLAG] = BASE;
//  ^ shared-memory
    return result;
  }
}

const reader = new HostCallReader(workerData.shared);
parentPort!.on('message', (name: string) => reader.callHost(name));

// The host side of the protocol (a host thread that may block), in the same file for the reduction.
export function answerHost(flag: Int32Array<SharedArrayBuffer>, bytes: Uint8Array<SharedArrayBuffer>, payload: Uint8Array): void {
  const published = BASE + payload.length;
  bytes.set(payload, BASE);
  Atomics.compareExchange(flag, FLAG, BASE, published);
  Atomics.notify(flag, FLAG, 1);
  // Sleep until the worker hands the buffer back.
  while (Atomics.load(flag, FLAG) === published) Atomics.wait(flag, FLAG, published);
}
