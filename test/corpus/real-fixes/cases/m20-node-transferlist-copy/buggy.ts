// worker_threads transferList (buggy form): the Buffer's backing ArrayBuffer is
// transferred, and the caller then reads the detached Buffer for the head.
import { Worker } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';

const worker = new Worker(new URL('./hash-worker.js', import.meta.url));
let nextId = 0;
const pending = new Map<number, (digest: string) => void>();
worker.on('message', (m: { id: number; digest: string }) => {
  pending.get(m.id)?.(m.digest);
  pending.delete(m.id);
});

export async function hashFile(path: string): Promise<{ digest: string; head: string }> {
  const data = await readFile(path);
  const id = nextId++;
  const digest = await new Promise<string>((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, bytes: data }, [data.buffer]);
  });
  return { digest, head: data.subarray(0, 16).toString('hex') };
//                       ^ shared-memory
}
