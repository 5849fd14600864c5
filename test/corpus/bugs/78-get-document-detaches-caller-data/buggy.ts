// mozilla/pdf.js#19509 ("pdfjsLib.getDocument clears passed data"): getDocument sends the PDF
// bytes to its worker with their buffer in the transfer list, so the caller's Uint8Array is
// empty afterwards. Nothing in the API said so; callers that kept the bytes (to save them, or to
// open the document again) found them detached. The maintainers' resolution was to document
// that TypedArray data is transferred and that callers must pass a copy to keep theirs.
interface DocumentInitParameters {
  url?: string;
  data?: Uint8Array;
}

const pdfWorker = new Worker(new URL('./pdf.worker.js', import.meta.url), { type: 'module' });
let nextDocId = 0;

/** Loads a PDF document from a URL or from binary data. */
export function getDocument(params: DocumentInitParameters): number {
  const docId = nextDocId++;
  if (params.data) {
    pdfWorker.postMessage({ type: 'GetDocRequest', docId, data: params.data }, [params.data.buffer]);
//  ^ shared-memory
  } else {
    pdfWorker.postMessage({ type: 'GetDocRequest', docId, url: params.url });
  }
  return docId;
}
