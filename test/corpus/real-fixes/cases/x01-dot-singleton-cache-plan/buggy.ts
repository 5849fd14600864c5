// mscharley/dot commit b9351f3 (buggy twin): the container hands its one singleton ResolutionCache
// to every request's plan. A plan's fetchFromCache step tests the cache, a later createClass step
// awaits the factory and only then sets the entry: two concurrent get()s of the same singleton both
// miss and both create it.
type Binding = { id: symbol };
type Step =
  | { type: 'fetchFromCache'; cache: 'singleton' | 'request'; binding: Binding; id: symbol; skipStepsIfFound: number }
  | { type: 'createClass'; cache?: 'singleton' | 'request'; binding?: Binding; id: symbol; generate: () => Promise<unknown> };

export class ResolutionCache {
  readonly #cache = new Map<Binding, unknown>();

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

  let skip = 0;
  for (const step of plan) {
    if (skip > 0) {
      skip--;
      continue;
    }
    const stepStack = stack[step.id] ?? [];
    switch (step.type) {
      case 'fetchFromCache':
        if (caches[step.cache].has(step.binding)) {
          stepStack.push(caches[step.cache].get(step.binding));
          skip = step.skipStepsIfFound;
        }
        break;
      case 'createClass': {
        const value = await step.generate();
        stepStack.push(value);
        if (step.cache != null && step.binding != null) {
          caches[step.cache].set(step.binding, value);
//        ^ check-then-act
        }
        break;
      }
    }
    stack[step.id] = stepStack;
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
