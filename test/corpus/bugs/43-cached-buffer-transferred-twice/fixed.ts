// Fix: the shared download stays untouched; each load transfers its own copy (slice) to the
// worker, so no buffer is transferred twice.
const downloads = new Map<string, Promise<ArrayBuffer>>();

function fetchBytes(url: string): Promise<ArrayBuffer> {
  let pending = downloads.get(url);
  if (!pending) {
    pending = fetch(url).then((r) => r.arrayBuffer());
    downloads.set(url, pending);
  }
  return pending;
}

const decoder = new Worker('splat-worker.js');

export async function loadSplat(url: string): Promise<void> {
  const bytes = (await fetchBytes(url)).slice(0);
  decoder.postMessage({ type: 'decode', url, bytes }, [bytes]);
}

export async function loadScene(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => loadSplat(url)));
}
