// NativeScript/ios#431 review (fixed form, JS side): everything the sender needs
// from the buffer (its size, a checksum) is read before the post that transfers it.
// (Cut down: the chunk is encoded here; in the source it is the caller's buffer, which
// the fixed code still transfers: see the suite's README.)
export class UploadQueue {
  private sent = 0;
  private bytes = 0;
  constructor(private worker: Worker) {}

  enqueue(name: string, text: string): void {
    const chunk = new TextEncoder().encode(text).buffer;
    const size = chunk.byteLength;
    const checksum = crc32(new Uint8Array(chunk));
    this.worker.postMessage({ type: 'upload', name, chunk, size, checksum }, [chunk]);
    this.sent++;
    this.bytes += size;
    console.debug(`queued ${name}: ${size} bytes, crc ${checksum.toString(16)}`);
  }

  stats(): { sent: number; bytes: number } {
    return { sent: this.sent, bytes: this.bytes };
  }
}

function crc32(data: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
