// joshuakto/fit PR #108: LocalVault.ensureFolderExists looked the folder up in the vault and
// created it when missing. Writes of several files run at once; two of them need the same new
// folder, both find nothing while the first createFolder is still in flight, and the second
// createFolder fails ("Folder already exists").
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
      await this.vault.createFolder(path);
//          ^ check-then-act
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
