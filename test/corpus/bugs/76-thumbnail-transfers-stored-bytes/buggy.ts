// aghyad97/browserytools#46: on upload, the PDF tools store the file's bytes and render a
// thumbnail from them. The renderer (pdf.js getDocument, here a worker call in the same file)
// transfers the bytes' buffer to its worker, so the stored copy is detached right after upload
// and every later tool (merge, split, ...) fails on an empty buffer.
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
  renderThumbnail(stored.data);
//                ^ shared-memory
}

export function mergeAll(): Uint8Array[] {
  return [...files.values()].map((f) => f.data);
}
