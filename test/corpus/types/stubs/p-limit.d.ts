// Stub of p-limit: a function that runs at most `concurrency` of the given functions at once.
export interface LimitFunction {
  <Arguments extends unknown[], ReturnType>(fn: (...args: Arguments) => PromiseLike<ReturnType> | ReturnType, ...args: Arguments): Promise<ReturnType>;
  readonly activeCount: number;
  readonly pendingCount: number;
}

export default function pLimit(concurrency: number): LimitFunction;
