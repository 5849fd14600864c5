// Create-if-missing done right: the pending creation is kept in a map of promises, so a second
// caller that finds no folder yet awaits the creation already in flight instead of starting one.
interface TFolder {
  path: string;
}
interface Vault {
  getAbstractFileByPath(path: string): TFolder | null;
  createFolder(path: string): Promise<TFolder>;
}

export class FolderCreator {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly vault: Vault) {}

  ensureFolder(path: string): Promise<void> {
    if (this.vault.getAbstractFileByPath(path)) return Promise.resolve();
    let creating = this.pending.get(path);
    if (!creating) {
      creating = this.vault.createFolder(path).then(
        () => undefined,
        (err: unknown) => {
          if (!this.vault.getAbstractFileByPath(path)) throw err;
        },
      );
      this.pending.set(path, creating);
      void creating.finally(() => this.pending.delete(path));
    }
    return creating;
  }

  async ensureAll(paths: string[]): Promise<void> {
    await Promise.all(paths.map((p) => this.ensureFolder(p)));
  }
}
