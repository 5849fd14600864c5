// Safe: wake-ups that follow a change of the word: a helper that only notifies (its callers
// store first), and a notify after a method that stores the new state.
const STATE = 0;
const RUNNING = 1;
const STOPPED = 2;

function wake(word: Int32Array<SharedArrayBuffer>): void {
  Atomics.notify(word, STATE);
}

export class Control {
  constructor(private readonly word: Int32Array<SharedArrayBuffer>) {}

  private setState(next: number): void {
    Atomics.store(this.word, STATE, next);
  }

  start(): void {
    Atomics.store(this.word, STATE, RUNNING);
    wake(this.word);
  }

  stop(): void {
    this.setState(STOPPED);
    Atomics.notify(this.word, STATE);
  }

  waitUntilStopped(): void {
    for (let s = Atomics.load(this.word, STATE); s !== STOPPED; s = Atomics.load(this.word, STATE)) Atomics.wait(this.word, STATE, s);
  }
}
