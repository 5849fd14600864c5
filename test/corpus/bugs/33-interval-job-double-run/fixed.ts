// Fix: take the flag before the first await, so a tick that starts while another is fetching or
// running returns at once.
interface Job {
  id: string;
  workerName: string;
  payload: unknown;
}
interface JobStore {
  getNextJob(): Promise<Job | undefined>;
  removeJob(id: string): Promise<void>;
}

declare function execute(job: Job): Promise<void>;

export class JobQueue {
  private isExecuting = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly store: JobStore) {}

  start(updateIntervalMs: number): void {
    this.timer = setInterval(() => void this.tick(), updateIntervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.isExecuting) return;
    this.isExecuting = true;
    try {
      const job = await this.store.getNextJob();
      if (!job) return;
      await execute(job);
      await this.store.removeJob(job.id);
    } finally {
      this.isExecuting = false;
    }
  }
}
