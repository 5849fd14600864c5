// fuzdev/gro PR #288 "fix writing source meta concurrently" with throttleAsync (reduction, fixed)
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

// Discards all but the first and the last call while one is running: the last
// call runs after the in-flight one, never beside it.
export const throttleAsync = <T extends (...args: any[]) => Promise<void>>(fn: T): T => {
  let running: Promise<void> | null = null;
  let nextArgs: Parameters<T> | null = null;
  const run = async (...args: Parameters<T>): Promise<void> => {
    if (running) {
      nextArgs = args;
      return running;
    }
    running = fn(...args);
    try {
      await running;
    } finally {
      running = null;
    }
    if (nextArgs) {
      const queued = nextArgs;
      nextArgs = null;
      await run(...queued);
    }
  };
  return run as T;
};

interface SourceMeta { id: string; contentHash: string; dependencies: string[] }

const sourceMetaById = new Map<string, SourceMeta>();

const writeSourceMetaFile = throttleAsync(async (cacheDir: string) => {
  const file = `${cacheDir}/source_meta.json`;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify([...sourceMetaById.values()], null, '\t'));
});

export const updateSourceMeta = async (cacheDir: string, meta: SourceMeta): Promise<void> => {
  sourceMetaById.set(meta.id, meta);
  await writeSourceMetaFile(cacheDir);
};

export const deleteSourceMeta = async (cacheDir: string, id: string): Promise<void> => {
  sourceMetaById.delete(id);
  await writeSourceMetaFile(cacheDir);
};
