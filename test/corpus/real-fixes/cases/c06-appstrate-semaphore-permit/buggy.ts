// appstrate/appstrate issue #430 (buggy twin): release() frees the permit and wakes a parked
// waiter, which takes it back only when it resumes; an acquire() arriving in between sees a free
// permit and runs too, so more than maxConcurrent provider calls are in flight.
export class Semaphore {
  readonly maxConcurrent: number;
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent <= 0) {
      throw new Error(`Semaphore: maxConcurrent must be a positive integer, got ${String(maxConcurrent)}.`);
    }
    this.maxConcurrent = maxConcurrent;
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return this.makeRelease();
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
//  ^ check-then-act
    return this.makeRelease();
  }

  private makeRelease(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.waiters.shift();
      if (next) next();
    };
  }
}

export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError?: boolean;
}

export function buildProviderCallTool(options: {
  providerCallSemaphore?: Semaphore;
  providerCallInner: (rawArgs: unknown) => Promise<ToolResult>;
}) {
  const { providerCallSemaphore, providerCallInner } = options;
  return {
    name: 'provider_call',
    handler: async (rawArgs: unknown): Promise<ToolResult> => {
      // Run-scoped fan-out cap: the permit is held only for the upstream HTTP hop.
      const release = providerCallSemaphore ? await providerCallSemaphore.acquire() : null;
      try {
        return await providerCallInner(rawArgs);
      } finally {
        release?.();
      }
    },
  };
}

export const providerCallSemaphore = new Semaphore(Number(process.env.SIDECAR_PROVIDER_CALL_CONCURRENCY ?? 3));
