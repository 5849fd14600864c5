// Safe: a helper transfers its argument's buffer, and every caller hands it memory nobody else
// holds: a fresh array, a copy of stored bytes, a view made over a fresh buffer.
const worker = new Worker(new URL('./decoder.js', import.meta.url), { type: 'module' });
const stored = new Map<string, Uint8Array>();

function decode(bytes: Uint8Array): void {
  worker.postMessage({ type: 'decode', bytes }, [bytes.buffer]);
}

export async function load(url: string): Promise<void> {
  const body = await (await fetch(url)).arrayBuffer();
  stored.set(url, new Uint8Array(body.slice(0)));
  decode(new Uint8Array(body));
}

export function redecode(url: string): void {
  const bytes = stored.get(url);
  if (bytes) decode(bytes.slice());
}

export function decodeSamples(samples: number[]): void {
  const fresh = Uint8Array.from(samples);
  decode(fresh);
}
