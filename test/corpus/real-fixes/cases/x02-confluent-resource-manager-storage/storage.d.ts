// The StorageManager of confluentinc/vscode (src/storage/index.ts): a singleton over the
// extension's workspace Memento, each method a thin async wrapper of get/update.
export declare class StorageManager {
  getWorkspaceState<T>(key: string): Promise<T | undefined>;
  setWorkspaceState(key: string, value: unknown): Promise<void>;
  deleteWorkspaceState(key: string): Promise<void>;
}
export declare function getStorageManager(): StorageManager;
