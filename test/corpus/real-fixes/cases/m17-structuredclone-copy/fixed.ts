// structuredClone copy before transfer (fixed form; the idiom the withdrawn
// ArrayBuffer.transfer proposal points to, domenic/proposal-arraybuffer-transfer#4):
// the tile cache keeps its buffer and the worker gets a clone it may own.
export class TileCache {
  private tiles = new Map<string, ArrayBuffer>();
  constructor(private decoder: Worker) {}

  put(key: string, data: ArrayBuffer): void {
    this.tiles.set(key, data);
  }

  decode(key: string): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    const copy = structuredClone(tile);
    this.decoder.postMessage({ key, tile: copy }, [copy]);
  }

  sizeOf(key: string): number {
    return this.tiles.get(key)?.byteLength ?? 0;
  }
}
