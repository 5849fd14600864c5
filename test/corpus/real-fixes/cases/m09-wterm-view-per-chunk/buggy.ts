// vercel-labs/wterm#92 (buggy form): one view is built before the loop and the
// DataView is cached at init; writeBytes can grow memory and detach both.
interface WasmExports {
  memory: WebAssembly.Memory;
  getWriteBuffer(): number;
  writeBytes(len: number): void;
}

export class WasmBridge {
  private dv: DataView;
  constructor(private exports: WasmExports) {
    this.dv = new DataView(exports.memory.buffer);
  }

  writeRaw(data: Uint8Array): void {
    const CHUNK = 8192;
    const ptr = this.exports.getWriteBuffer();
    const buf = new Uint8Array(this.exports.memory.buffer, ptr, CHUNK);
    for (let off = 0; off < data.length; off += CHUNK) {
      const chunk = data.subarray(off, off + CHUNK);
      buf.set(chunk);
//    ^ shared-memory
      this.exports.writeBytes(chunk.length);
    }
  }

  getCell(ptr: number): number {
    return this.dv.getUint32(ptr, true);
  }
}
