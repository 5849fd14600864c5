// Transfer of a cached buffer (buggy form): decode() transfers the buffer that
// stays in the tile cache, so a later decode or sizeOf sees a detached buffer.
export class TileCache {
  private tiles = new Map<string, ArrayBuffer>();
  constructor(private decoder: Worker) {}

  put(key: string, data: ArrayBuffer): void {
    this.tiles.set(key, data);
  }

  decode(key: string): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    this.decoder.postMessage({ key, tile }, [tile]);
//  ^ shared-memory
  }

  sizeOf(key: string): number {
    return this.tiles.get(key)?.byteLength ?? 0;
  }
}
