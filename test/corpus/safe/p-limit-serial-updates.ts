// Safe: every update of the shared index goes through a p-limit(1) limiter, so the updates run
// one at a time even though callers start them concurrently.
import pLimit from 'p-limit';
import { readFile, writeFile } from 'node:fs/promises';

const INDEX = '/var/cache/app/index.json';
const serial = pLimit(1);

async function addEntry(key: string, value: string): Promise<void> {
  const index = JSON.parse(await readFile(INDEX, 'utf8')) as Record<string, string>;
  index[key] = value;
  await writeFile(INDEX, JSON.stringify(index));
}

export function indexAll(entries: Array<[string, string]>): Promise<void[]> {
  return Promise.all(entries.map(([key, value]) => serial(() => addEntry(key, value))));
}
