// Fix: the finishing task hands its slot directly to the first waiter (the running count never
// drops), so a newcomer cannot take a slot that is already promised.
export class Queue {
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly maxConcurrent: number) {}

  wait(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  end(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.running--;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    await this.wait();
    try {
      return await job();
    } finally {
      this.end();
    }
  }
}

export const downloads = new Queue(2);
