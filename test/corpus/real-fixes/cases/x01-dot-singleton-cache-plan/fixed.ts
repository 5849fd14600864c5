// mscharley/dot commit b9351f3 (fixed): the cache keeps a Mutex per binding. The fetchFromCache
// step takes the binding's lock before it tests the cache and releases it on a hit; on a miss the
// lock is held until the createClass step has set the entry (or the plan fails), so a concurrent
// get() of the same singleton waits and then finds it.
import { Mutex } from 'async-mutex';

type Binding = { id: symbol };
type Releaser = () => void;
type Step =
  | { type: 'fetchFromCache'; cache: 'singleton' | 'request'; binding: Binding; id: symbol; skipStepsIfFound: number }
  | { type: 'createClass'; cache?: 'singleton' | 'request'; binding?: Binding; id: symbol; generate: () => Promise<unknown> };

export class ResolutionCache {
  readonly #mutexes = new Map<Binding, Mutex>();
  readonly #cache = new Map<Binding, unknown>();

  public readonly lock = async (key: Binding): Promise<Releaser> => {
    const mutex = this.#mutexes.get(key) ?? new Mutex();
    this.#mutexes.set(key, mutex);
    return mutex.acquire();
  };

  public readonly get = this.#cache.get.bind(this.#cache);
  public readonly set = this.#cache.set.bind(this.#cache);
  public readonly has = this.#cache.has.bind(this.#cache);
}

interface Request {
  singletonCache: ResolutionCache;
  stack: Record<symbol, unknown[]>;
  id: symbol;
}

export const executePlan = async (plan: Step[], { singletonCache, stack, id }: Request): Promise<unknown> => {
  const caches: Record<'singleton' | 'request', ResolutionCache> = {
    singleton: singletonCache,
    request: new ResolutionCache(),
  };
  const releases = new Map<Binding, Releaser>();

  try {
    let skip = 0;
    for (const step of plan) {
      if (skip > 0) {
        skip--;
        continue;
      }
      const stepStack = stack[step.id] ?? [];
      switch (step.type) {
        case 'fetchFromCache': {
          const releaser = await caches[step.cache].lock(step.binding);
          releases.set(step.binding, releaser);
          if (caches[step.cache].has(step.binding)) {
            stepStack.push(caches[step.cache].get(step.binding));
            skip = step.skipStepsIfFound;
            releaser();
            releases.delete(step.binding);
          }
          break;
        }
        case 'createClass': {
          const value = await step.generate();
          stepStack.push(value);
          if (step.cache != null && step.binding != null) {
            caches[step.cache].set(step.binding, value);
            releases.get(step.binding)?.();
            releases.delete(step.binding);
          }
          break;
        }
      }
      stack[step.id] = stepStack;
    }
  } finally {
    for (const release of releases.values()) release();
  }
  return stack[id]?.[0];
};

export class Container {
  readonly #singletonCache = new ResolutionCache();

  constructor(private readonly plans: Map<symbol, Step[]>) {}

  public async get(id: symbol): Promise<unknown> {
    const plan = this.plans.get(id) ?? [];
    return executePlan(plan, { singletonCache: this.#singletonCache, stack: {}, id });
  }
}
