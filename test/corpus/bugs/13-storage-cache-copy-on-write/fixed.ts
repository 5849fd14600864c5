// Fix: update the in-memory cache synchronously (no await between reading and replacing it) and
// chain the file writes so they land in order, each with the newest cache.
import { writeFile } from 'node:fs/promises';

export class ElectronStorage {
  private cache: Record<string, string> = {};
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  get(key: string): string | undefined {
    return this.cache[key];
  }

  set(key: string, value: string): Promise<void> {
    this.cache = { ...this.cache, [key]: value };
    const snapshot = JSON.stringify(this.cache);
    this.writes = this.writes.catch(() => undefined).then(() => writeFile(this.file, snapshot));
    return this.writes;
  }
}

/** One instance shared by every SDK client in the process. */
export const storage = new ElectronStorage('/tmp/ld-flags.json');

export async function persistContexts(contexts: Array<[string, string]>): Promise<void> {
  await Promise.all(contexts.map(([key, value]) => storage.set(key, value)));
}
