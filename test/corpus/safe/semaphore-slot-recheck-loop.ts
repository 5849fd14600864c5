// Safe: a hand-written semaphore whose waiters re-check the condition in a loop after every
// wake-up before they take a slot.
export class Semaphore {
  private active = 0;
  private readonly wakeups: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    while (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.wakeups.push(resolve));
    }
    this.active++;
  }

  release(): void {
    this.active--;
    this.wakeups.shift()?.();
  }
}

const downloads = new Semaphore(3);

export async function download(url: string): Promise<ArrayBuffer> {
  await downloads.acquire();
  try {
    return await (await fetch(url)).arrayBuffer();
  } finally {
    downloads.release();
  }
}
