// SimonErm/react-native-job-queue#8: the queue polls on an interval; a tick skips when a job is
// executing, but the flag is set only after the next job has been fetched from storage, so a
// slow fetch lets the next tick fetch and run the same job again.
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
    const job = await this.store.getNextJob();
    if (!job) return;
    this.isExecuting = true;
//  ^ check-then-act
    try {
      await execute(job);
      await this.store.removeJob(job.id);
    } finally {
      this.isExecuting = false;
    }
  }
}
