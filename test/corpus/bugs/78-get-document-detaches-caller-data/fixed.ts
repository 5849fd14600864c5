// Fix (the maintainers' resolution): the API documents that the data is transferred; a caller
// that wants to keep its bytes passes a copy.
interface DocumentInitParameters {
  url?: string;
  /**
   * Binary PDF data. NOTE: TypedArray data is transferred to the worker-thread: the caller's
   * array is detached afterwards; pass a copy (`data.slice()`) to keep using it.
   */
  data?: Uint8Array;
}

const pdfWorker = new Worker(new URL('./pdf.worker.js', import.meta.url), { type: 'module' });
let nextDocId = 0;

/**
 * Loads a PDF document from a URL or from binary data. Takes ownership of `params.data`: its
 * buffer is transferred to the worker.
 */
export function getDocument(params: DocumentInitParameters): number {
  const docId = nextDocId++;
  if (params.data) {
    pdfWorker.postMessage({ type: 'GetDocRequest', docId, data: params.data }, [params.data.buffer]);
  } else {
    pdfWorker.postMessage({ type: 'GetDocRequest', docId, url: params.url });
  }
  return docId;
}
