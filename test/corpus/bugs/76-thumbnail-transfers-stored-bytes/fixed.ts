// Fix: the thumbnail renderer gets a copy; the stored bytes stay attached for the other tools.
interface StoredPdf {
  name: string;
  data: Uint8Array;
}

const files = new Map<string, StoredPdf>();
const renderer = new Worker(new URL('./pdf-worker.js', import.meta.url), { type: 'module' });

function renderThumbnail(data: Uint8Array): void {
  renderer.postMessage({ type: 'thumbnail', data }, [data.buffer]);
}

export async function upload(file: File): Promise<void> {
  const stored: StoredPdf = { name: file.name, data: new Uint8Array(await file.arrayBuffer()) };
  files.set(file.name, stored);
  renderThumbnail(new Uint8Array(stored.data));
}

export function mergeAll(): Uint8Array[] {
  return [...files.values()].map((f) => f.data);
}
