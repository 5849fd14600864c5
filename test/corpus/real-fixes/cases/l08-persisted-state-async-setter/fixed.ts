// Akurganow/use-persisted-state PR #949 "Stop concurrent and unreadable-entry writes from losing
// data" (reduction, fixed): writes to the factory's entry run one at a time, chained on the
// factory, each reading the entry the previous write left.
import { useCallback, useState } from 'react';

export interface AsyncStorage {
  get(key: string): Promise<Record<string, string | undefined>>;
  set(items: Record<string, string>): Promise<void>;
  remove(key: string): Promise<void>;
}

function getNewItem<T>(key: string, item: string | undefined, value: T): string {
  const parsed = item ? (JSON.parse(item) as Record<string, unknown>) : {};
  return JSON.stringify({ ...parsed, [key]: value });
}

export default function createAsyncPersistedState(storageKey: string, storage: AsyncStorage) {
  const safeStorageKey = `persisted_state_hook:${storageKey}`;

  // The entry is what cannot take two writes at once, so the queue belongs to the factory.
  let writeChain: Promise<void> = Promise.resolve();
  const enqueue = (write: () => Promise<void>): Promise<void> => {
    const run = writeChain.then(write);
    writeChain = run.catch(() => undefined);
    return run;
  };

  const usePersistedState = <T>(key: string, initialValue: T) => {
    const [state, setState] = useState<T>(initialValue);

    const setPersistedState = useCallback(
      (newValue: T): Promise<void> => {
        setState(newValue);
        return enqueue(async () => {
          const persistedItem = await storage.get(safeStorageKey);
          const newItem = getNewItem<T>(key, persistedItem[safeStorageKey], newValue);
          await storage.set({ [safeStorageKey]: newItem });
        });
      },
      [key],
    );

    return [state, setPersistedState] as const;
  };

  return [usePersistedState, () => enqueue(() => storage.remove(safeStorageKey))] as const;
}
