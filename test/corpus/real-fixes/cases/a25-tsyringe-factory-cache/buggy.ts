// launchtray/tsyringe before PR #3 (buggy twin): the value is cached only after the await
import type { DependencyContainer } from 'tsyringe';

export type AsyncFactory<T> = (container: DependencyContainer) => Promise<T>;

export function instanceCachingAsyncFactory<T>(factoryFunc: AsyncFactory<T>): AsyncFactory<T> {
  let instance: T | undefined;
  return async (dependencyContainer: DependencyContainer) => {
    if (instance === undefined) {
      instance = await factoryFunc(dependencyContainer);
//    ^ check-then-act
    }
    return instance;
  };
}
