// Stub of p-queue: a promise queue with a concurrency limit.
export interface QueueOptions {
  concurrency?: number;
  autoStart?: boolean;
}

export default class PQueue {
  constructor(options?: QueueOptions);
  add<T>(task: () => PromiseLike<T> | T): Promise<T>;
  onIdle(): Promise<void>;
  readonly size: number;
  readonly pending: number;
}
