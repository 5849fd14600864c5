// Safe: create-if-absent is one atomic open with the 'wx' flag; EEXIST means another process
// created the file first. No separate existence check decides anything.
import { open } from 'node:fs/promises';

export async function acquirePidFile(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export async function startWorkers(paths: string[]): Promise<boolean[]> {
  return Promise.all(paths.map((p) => acquirePidFile(p)));
}
