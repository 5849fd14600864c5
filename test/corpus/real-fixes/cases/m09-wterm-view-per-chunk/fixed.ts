// vercel-labs/wterm#92 (fixed form): the view over wasm memory is created per
// chunk, after any call that can grow (and so detach) the memory.
interface WasmExports {
  memory: WebAssembly.Memory;
  getWriteBuffer(): number;
  writeBytes(len: number): void;
}

export class WasmBridge {
  private dv: DataView | null = null;
  constructor(private exports: WasmExports) {}

  writeRaw(data: Uint8Array): void {
    const CHUNK = 8192;
    for (let off = 0; off < data.length; off += CHUNK) {
      const chunk = data.subarray(off, off + CHUNK);
      const ptr = this.exports.getWriteBuffer();
      const buf = new Uint8Array(this.exports.memory.buffer, ptr, chunk.length);
      buf.set(chunk);
      this.exports.writeBytes(chunk.length);
    }
  }

  private view(): DataView {
    if (!this.dv || this.dv.buffer !== this.exports.memory.buffer) {
      this.dv = new DataView(this.exports.memory.buffer);
    }
    return this.dv;
  }

  getCell(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }
}
