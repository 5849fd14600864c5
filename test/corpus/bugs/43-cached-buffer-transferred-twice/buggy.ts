// sparkjsdev/spark#93: the splat loader transfers the downloaded ArrayBuffer to its decoding
// worker, but concurrent loads of the same URL (and THREE.Cache) hand the same ArrayBuffer to
// two loads; the second postMessage fails on the already-detached buffer.
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
  const bytes = await fetchBytes(url);
  decoder.postMessage({ type: 'decode', url, bytes }, [bytes]);
//^ shared-memory
}

export async function loadScene(urls: string[]): Promise<void> {
  await Promise.all(urls.map((url) => loadSplat(url)));
}
