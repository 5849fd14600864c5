// Fix (the project's): "File already exists." from create() is caught and the write falls
// back to writing the existing note.
interface TFile {
  path: string;
}
interface Vault {
  getAbstractFileByPath(path: string): TFile | null;
  create(path: string, data: string): Promise<TFile>;
  modify(file: TFile, data: string): Promise<void>;
  adapter: { write(path: string, data: string): Promise<void> };
}

export class StorageAccess {
  constructor(private readonly vault: Vault) {}

  async writeFileAuto(path: string, data: string): Promise<void> {
    const file = this.vault.getAbstractFileByPath(path);
    if (file) {
      await this.vault.modify(file, data);
      return;
    }
    try {
      await this.vault.create(path, data);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes('File already exists')) throw e;
      await this.vault.adapter.write(path, data);
    }
  }
}

export async function updateStorage(storage: StorageAccess, docs: Array<{ path: string; data: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 10) {
    await Promise.all(docs.slice(i, i + 10).map((d) => storage.writeFileAuto(d.path, d.data)));
  }
}
