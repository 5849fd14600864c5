// worker_threads transferList (fixed form; nodejs/node#33240 discussion, Buffer
// slices share a pooled ArrayBuffer): the hash worker gets a copy it may own; the
// caller's Buffer (a view into the pool) is never in the transfer list.
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
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  const digest = await new Promise<string>((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
  return { digest, head: data.subarray(0, 16).toString('hex') };
}
