// Safe: acquire() / release() around the critical section, released in finally; the shared
// counter is read and written while the lock is held.
import { Mutex } from 'async-mutex';

declare function persist(value: number): Promise<void>;

export class SequenceAllocator {
  private next = 1;
  private readonly lock = new Mutex();

  async allocate(): Promise<number> {
    const release = await this.lock.acquire();
    try {
      const id = this.next;
      await persist(id + 1);
      this.next = id + 1;
      return id;
    } finally {
      release();
    }
  }

  allocateMany(n: number): Promise<number[]> {
    return Promise.all(Array.from({ length: n }, () => this.allocate()));
  }
}
