// extism/js-sdk#52 (fixes #46), the reader's other half: before each block the worker hands the
// flag back (compare-exchange to BASE, notify) and then sleeps once on it with a timeout, trusting
// whatever Atomics.load returns next. BASE is the awaited value of every round, so a notify left
// over from the previous round, or the timeout, wakes the worker while the flag still says BASE:
// it reads a block the host has not written and the two threads fall out of step for good.
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
    Atomics.wait(this.flag, FLAG, BASE, MAX_WAIT);
//  ^ shared-memory
    this.expected = Atomics.load(this.flag, FLAG);
    return this.expected - BASE;
  }
}

const reader = new BlockReader(workerData.shared);
parentPort!.on('message', () => parentPort!.postMessage(reader.pull()));
