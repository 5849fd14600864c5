// Stub of the async-mutex API the corpus uses (https://github.com/DirtyHairy/async-mutex).
export type MutexInterfaceReleaser = () => void;

export class Mutex {
  acquire(): Promise<MutexInterfaceReleaser>;
  runExclusive<T>(callback: () => T | Promise<T>): Promise<T>;
  isLocked(): boolean;
  release(): void;
  waitForUnlock(): Promise<void>;
}

export class Semaphore {
  constructor(value: number);
  acquire(): Promise<[number, MutexInterfaceReleaser]>;
  runExclusive<T>(callback: (value: number) => T | Promise<T>): Promise<T>;
}
