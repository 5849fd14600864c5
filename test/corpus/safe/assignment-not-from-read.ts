// Safe (eslint/eslint#11950, a require-atomic-updates false positive): a shared property is
// assigned after an await, but the new value comes from the awaited result, not from a value
// of the property read before the await.
interface Manifest {
  version: string;
  files: string[];
}

declare function pureFetchManifest(id: string): Promise<Manifest | undefined>;

export const flasher: { manifestId: string; config?: Manifest } = { manifestId: 'board-v2' };

export async function tryFetchManifest(): Promise<void> {
  const config = await pureFetchManifest(flasher.manifestId);
  if (config) {
    flasher.config = config;
  }
}

export function onDeviceAttached(): void {
  void tryFetchManifest();
}
