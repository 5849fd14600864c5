// Stub of the callback-style chrome.storage extension API.
declare namespace chrome.storage {
  interface StorageArea {
    get(keys: string | string[] | null, callback: (items: Record<string, any>) => void): void;
    set(items: Record<string, unknown>, callback?: () => void): void;
  }
  const sync: StorageArea;
  const local: StorageArea;
}
