// hajipy/embedded-queue issue #31, fixed in 950f2a9 ("Add exclusive control"): the look-up of the
// next INACTIVE job and marking it ACTIVE happen under one Mutex of the queue.
import { EventEmitter } from 'node:events';
import { Mutex } from 'await-semaphore';

type Processor = (job: Job) => Promise<unknown>;

const enum State {
  INACTIVE = 'INACTIVE',
  ACTIVE = 'ACTIVE',
  COMPLETE = 'COMPLETE',
}

interface NeDbJob {
  _id: string;
  type: string;
  state: State;
  data: unknown;
}

interface Datastore {
  find(query: object): { sort(s: object): { limit(n: number): { exec(cb: (err: Error | null, docs: NeDbJob[]) => void): void } } };
  update(query: object, doc: object, options: object, cb: (err: Error | null) => void): void;
}

export class JobRepository {
  constructor(private db: Datastore) {}

  findInactiveJobByType(type: string): Promise<NeDbJob | null> {
    return new Promise<NeDbJob | null>((resolve, reject) => {
      this.db.find({ type, state: State.INACTIVE }).sort({ createdAt: 1 }).limit(1).exec((error, docs) => {
        if (error !== null) {
          reject(error);
          return;
        }
        resolve(docs.length === 0 ? null : docs[0]);
      });
    });
  }

  updateJob(job: Job): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.db.update({ _id: job.id }, { $set: { state: job.state } }, {}, (error) => (error ? reject(error) : resolve()));
    });
  }
}

export class Job {
  constructor(
    private readonly queue: Queue,
    public readonly id: string,
    public readonly type: string,
    public state: State,
    public readonly data: unknown,
  ) {}

  async setStateToActive(): Promise<void> {
    this.state = State.ACTIVE;
    await this.queue.updateJob(this);
    this.queue.emit('start', this);
  }

  async setStateToComplete(): Promise<void> {
    this.state = State.COMPLETE;
    await this.queue.updateJob(this);
  }
}

export class Queue extends EventEmitter {
  private readonly workers: Worker[] = [];
  private readonly requestJobForProcessingMutex = new Mutex();

  constructor(private readonly repository: JobRepository) {
    super();
  }

  process(type: string, processor: Processor, concurrency: number): void {
    for (let i = 0; i < concurrency; i++) {
      const worker = new Worker(type, this);
      worker.start(processor);
      this.workers.push(worker);
    }
  }

  async requestJobForProcessing(type: string, stillRequest: () => boolean): Promise<Job | null> {
    // exclusive, so that two workers never take the same job
    const releaseMutex = await this.requestJobForProcessingMutex.acquire();
    try {
      const doc = await this.repository.findInactiveJobByType(type);
      if (doc === null || !stillRequest()) return null;
      const job = new Job(this, doc._id, doc.type, doc.state, doc.data);
      await job.setStateToActive();
      return job;
    } finally {
      releaseMutex();
    }
  }

  async updateJob(job: Job): Promise<void> {
    await this.repository.updateJob(job);
  }
}

export class Worker {
  private isRunning = false;
  private currentJob: Job | null = null;

  constructor(
    public readonly type: string,
    private readonly queue: Queue,
  ) {}

  start(processor: Processor): void {
    this.isRunning = true;
    this.startInternal(processor);
  }

  private startInternal(processor: Processor): void {
    if (!this.isRunning) return;

    (async (): Promise<void> => {
      this.currentJob = await this.queue.requestJobForProcessing(this.type, () => this.isRunning);
      if (this.currentJob === null) {
        setTimeout(() => this.startInternal(processor), 100);
        return;
      }
      await this.process(processor);
      this.startInternal(processor);
    })();
  }

  private async process(processor: Processor): Promise<void> {
    if (this.currentJob === null) return;

    await processor(this.currentJob);
    await this.currentJob.setStateToComplete();
    this.currentJob = null;
  }
}
