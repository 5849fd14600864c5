// shouri123/Late-Meet PR #879 (for issue #778): one drain loop at a time (the `processing` flag is
// checked and set before the first await), and whether the queue was full is tracked across the
// loop, since enqueue() keeps adding chunks while the drain awaits.
export interface AudioChunk {
  seq: number;
  data: Blob;
}

export class AudioChunkQueue {
  private pendingItems: AudioChunk[] = [];
  private processing = false;

  constructor(
    private readonly upload: (chunk: AudioChunk) => Promise<void>,
    private readonly maxPending: number,
    private readonly onFull?: () => void,
    private readonly onDrain?: () => void,
  ) {}

  enqueue(chunk: AudioChunk): void {
    this.pendingItems.push(chunk);
    if (this.pendingItems.length >= this.maxPending) this.onFull?.();
    void this.drain();
  }

  get size(): number {
    return this.pendingItems.length;
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    let wasFull = this.pendingItems.length >= this.maxPending;
    try {
      while (this.pendingItems.length > 0) {
        const chunk = this.pendingItems.shift()!;
        try {
          await this.upload(chunk);
        } catch (err) {
          console.warn('chunk upload failed', chunk.seq, err);
        }
        if (this.pendingItems.length >= this.maxPending) wasFull = true;
      }
    } finally {
      this.processing = false;
      if (wasFull && this.pendingItems.length < this.maxPending) {
        this.onDrain?.();
      }
    }
  }
}
