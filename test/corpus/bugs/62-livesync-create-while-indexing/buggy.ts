// vrtmrz/obsidian-livesync PR #802: during the startup sync up to ten writes run at once;
// writeFileAuto looks the note up in the vault and calls vault.create() when it is not there.
// A note still being created by another of those writes is not found, and the second create
// throws "File already exists.", counted as a failed sync.
interface TFile {
  path: string;
}
interface Vault {
  getAbstractFileByPath(path: string): TFile | null;
  create(path: string, data: string): Promise<TFile>;
  modify(file: TFile, data: string): Promise<void>;
}

export class StorageAccess {
  constructor(private readonly vault: Vault) {}

  async writeFileAuto(path: string, data: string): Promise<void> {
    const file = this.vault.getAbstractFileByPath(path);
    if (file) {
      await this.vault.modify(file, data);
      return;
    }
    await this.vault.create(path, data);
//        ^ check-then-act
  }
}

export async function updateStorage(storage: StorageAccess, docs: Array<{ path: string; data: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 10) {
    await Promise.all(docs.slice(i, i + 10).map((d) => storage.writeFileAuto(d.path, d.data)));
  }
}
