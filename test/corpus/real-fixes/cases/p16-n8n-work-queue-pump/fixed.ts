// n8n-io/n8n PR #34795 (packages/@n8n/engine, the in-memory work queue): pump() starts the one
// consumer loop only when none runs (flag checked and set synchronously); the loop takes messages
// until the queue is empty, then the flag is cleared, the queue pumped again and idle waiters told.
export interface WorkMessage {
  executionId: string;
  kind: 'execution_start' | 'node_finished';
}

type Handler = (message: WorkMessage) => Promise<void>;

export class InMemoryWorkQueue {
  private readonly pending: WorkMessage[] = [];
  private processing = false;
  private handler?: Handler;
  private idleWaiters: Array<() => void> = [];
  processedCount = 0;

  consume(handler: Handler): void {
    this.handler = handler;
    this.pump();
  }

  publish(message: WorkMessage): void {
    this.pending.push(message);
    this.pump();
  }

  /** Resolves once all currently-queued messages have been processed. */
  async drain(): Promise<void> {
    if (!this.processing && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.processing || !this.handler || this.pending.length === 0) return;
    this.processing = true;
    this.loop()
      .catch((error: unknown) => {
        console.error('work queue handler failed', error);
      })
      .finally(() => {
        this.processing = false;
        if (this.pending.length > 0) {
          this.pump();
          return;
        }
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      });
  }

  private async loop(): Promise<void> {
    while (this.pending.length > 0) {
      const message = this.pending.shift()!;
      await this.handler!(message);
      this.processedCount = this.processedCount + 1;
    }
  }
}
