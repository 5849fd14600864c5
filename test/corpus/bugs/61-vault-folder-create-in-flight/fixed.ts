// Fix (the project's): the creation is wrapped in try/catch; after a failure the folder is
// looked up again, and a folder created meanwhile by a concurrent write counts as success.
interface TFolder {
  path: string;
}
interface Vault {
  getAbstractFileByPath(path: string): TFolder | null;
  createFolder(path: string): Promise<TFolder>;
  create(path: string, data: string): Promise<unknown>;
}

export class LocalVault {
  constructor(private readonly vault: Vault) {}

  async ensureFolderExists(path: string): Promise<void> {
    if (!this.vault.getAbstractFileByPath(path)) {
      try {
        await this.vault.createFolder(path);
      } catch (error) {
        if (!this.vault.getAbstractFileByPath(path)) throw error;
      }
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    const dir = path.split('/').slice(0, -1).join('/');
    if (dir) await this.ensureFolderExists(dir);
    await this.vault.create(path, content);
  }

  async applyChanges(files: Array<{ path: string; content: string }>): Promise<void> {
    await Promise.all(files.map((f) => this.writeFile(f.path, f.content)));
  }
}
