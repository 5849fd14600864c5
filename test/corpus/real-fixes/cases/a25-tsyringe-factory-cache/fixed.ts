// launchtray/tsyringe PR #3 "Fix race conditions for factory caching" (reduction, fixed)
import type { DependencyContainer } from 'tsyringe';

export type AsyncFactory<T> = (container: DependencyContainer) => Promise<T>;

// Cache the promise, not the value: a second resolve() while the first factory
// call is still pending gets the same instance.
export function instanceCachingAsyncFactory<T>(factoryFunc: AsyncFactory<T>): AsyncFactory<T> {
  let instance: Promise<T> | undefined;
  return (dependencyContainer: DependencyContainer) => {
    if (instance === undefined) {
      instance = factoryFunc(dependencyContainer).catch((err) => {
        instance = undefined;
        throw err;
      });
    }
    return instance;
  };
}

export function instancePerContainerCachingAsyncFactory<T>(factoryFunc: AsyncFactory<T>): AsyncFactory<T> {
  const cache = new WeakMap<DependencyContainer, Promise<T>>();
  return (dependencyContainer: DependencyContainer) => {
    let instance = cache.get(dependencyContainer);
    if (instance === undefined) {
      instance = factoryFunc(dependencyContainer);
      cache.set(dependencyContainer, instance);
    }
    return instance;
  };
}
