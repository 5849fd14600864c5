// Fix: wait in a loop until the flag has actually left BASE, whatever woke the thread.
import { parentPort, workerData } from 'node:worker_threads';

const FLAG = 0;
const BASE = 4;
const MAX_WAIT = 500;

class BlockReader {
  private readonly flag: Int32Array<SharedArrayBuffer>;
  private expected = BASE;

  constructor(shared: SharedArrayBuffer) {
    this.flag = new Int32Array(shared);
  }

  pull(): number {
    Atomics.compareExchange(this.flag, FLAG, this.expected, BASE);
    Atomics.notify(this.flag, FLAG, 1);
    while (Atomics.load(this.flag, FLAG) === BASE) Atomics.wait(this.flag, FLAG, BASE, MAX_WAIT);
    this.expected = Atomics.load(this.flag, FLAG);
    return this.expected - BASE;
  }
}

const reader = new BlockReader(workerData.shared);
parentPort!.on('message', () => parentPort!.postMessage(reader.pull()));
