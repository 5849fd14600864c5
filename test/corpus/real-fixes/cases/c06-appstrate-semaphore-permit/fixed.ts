// appstrate/appstrate issue #430, fixed in f4048c1 (p-queue migration): the hand-rolled semaphore
// is replaced by p-queue, which hands a freed slot to the next queued call synchronously.
import PQueue from 'p-queue';

export class Limiter {
  private readonly queue: PQueue;

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency <= 0) {
      throw new Error(`Limiter: concurrency must be a positive integer, got ${String(concurrency)}.`);
    }
    this.queue = new PQueue({ concurrency });
  }

  get active(): number {
    return this.queue.pending;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.add(fn) as Promise<T>;
  }
}

export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError?: boolean;
}

export function buildProviderCallTool(options: {
  providerCallLimiter?: Limiter;
  providerCallInner: (rawArgs: unknown) => Promise<ToolResult>;
}) {
  const { providerCallLimiter, providerCallInner } = options;
  return {
    name: 'provider_call',
    handler: async (rawArgs: unknown): Promise<ToolResult> => {
      // Run-scoped fan-out cap: the slot is held only for the upstream HTTP hop.
      const run = () => providerCallInner(rawArgs);
      if (!providerCallLimiter) return run();
      return await providerCallLimiter.run(run);
    },
  };
}

export const providerCallLimiter = new Limiter(Number(process.env.SIDECAR_PROVIDER_CALL_CONCURRENCY ?? 3));
