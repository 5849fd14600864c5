// mmomtchev/Queue PR #54: wait() let a task start when the running list had a free slot, and a
// woken waiter started without checking again; a task queued while the finishing task resolved
// grabbed the slot too, so more than maxConcurrent tasks ran and priorities were skipped.
export class Queue {
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly maxConcurrent: number) {}

  async wait(): Promise<void> {
    if (this.running >= this.maxConcurrent) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.running++;
//  ^ check-then-act
  }

  end(): void {
    this.running--;
    this.waiters.shift()?.();
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
