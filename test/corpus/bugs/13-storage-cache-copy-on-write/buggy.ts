// launchdarkly/js-core PR #1262 (review finding): the singleton storage copies its cache, sets
// the key, awaits the file write and then replaces the cache; two clients calling set() at once
// both copy the old cache and the later one drops the other's key.
import { writeFile } from 'node:fs/promises';

export class ElectronStorage {
  private cache: Record<string, string> = {};

  constructor(private readonly file: string) {}

  get(key: string): string | undefined {
    return this.cache[key];
  }

  async set(key: string, value: string): Promise<void> {
    const next = { ...this.cache, [key]: value };
    await writeFile(this.file, JSON.stringify(next));
    this.cache = next;
//  ^ lost-update
  }
}

/** One instance shared by every SDK client in the process. */
export const storage = new ElectronStorage('/tmp/ld-flags.json');

export async function persistContexts(contexts: Array<[string, string]>): Promise<void> {
  await Promise.all(contexts.map(([key, value]) => storage.set(key, value)));
}
