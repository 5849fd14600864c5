// Akurganow/use-persisted-state before PR #949 (buggy twin): all hooks of one factory keep their
// values as properties of one storage entry. On an asynchronous storage the setter reads the entry,
// awaits, sets its key and writes the whole entry back; two hooks setting at once both read the
// entry without the other's key, and the second write drops the first.
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

  const usePersistedState = <T>(key: string, initialValue: T) => {
    const [state, setState] = useState<T>(initialValue);

    const setPersistedState = useCallback(
      async (newValue: T): Promise<void> => {
        setState(newValue);
        const persistedItem = await storage.get(safeStorageKey);
        const newItem = getNewItem<T>(key, persistedItem[safeStorageKey], newValue);
        await storage.set({ [safeStorageKey]: newItem });
//            ^ lost-update
      },
      [key],
    );

    return [state, setPersistedState] as const;
  };

  return [usePersistedState, () => storage.remove(safeStorageKey)] as const;
}
