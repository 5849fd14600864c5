// embedpdf/embed-pdf-viewer#499 (buggy form): the document bytes the runner keeps
// are transferred on open, so reopen() reads a detached buffer.
type Payload = { pixels?: ArrayBuffer; file?: ArrayBuffer; [k: string]: unknown };

function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): Set<ArrayBuffer> {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (value instanceof ArrayBuffer) { out.add(value); return out; }
  if (ArrayBuffer.isView(value)) { out.add(value.buffer as ArrayBuffer); return out; }
  for (const v of Object.values(value as Record<string, unknown>)) collectTransferables(v, out, depth + 1);
  return out;
}

export class EngineRunner {
  private docBytes: ArrayBuffer | null = null;

  constructor(private port: MessagePort) {}

  openDocument(bytes: ArrayBuffer): void {
    this.docBytes = bytes;
    this.port.postMessage({ id: 1, type: 'open', args: { file: bytes } }, [bytes]);
//  ^ shared-memory
  }

  respond(id: number, result: Payload): void {
    const transfer = [...collectTransferables(result)];
    this.port.postMessage({ id, type: 'result', result }, transfer);
  }

  reopen(): void {
    if (!this.docBytes) return;
    const size = this.docBytes.byteLength;
    this.port.postMessage({ id: 2, type: 'open', args: { file: this.docBytes.slice(0), size } });
  }
}
