// vercel/workflow PR #704 "ULID generation happens synchronously before awaiting the runId" (reduction, fixed)
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

export interface StreamChunk { id: string; runId: string; name: string; data: Uint8Array | null }

export class Streamer {
  private chunks: StreamChunk[] = [];
  private lastWriteAt = 0;

  async writeToStream(name: string, runIdPromise: Promise<string> | string, data: Uint8Array) {
    // Take the chunk id (and its order) before the first await.
    const id = ulid();
    this.lastWriteAt = Date.now();
    const runId = await runIdPromise;
    this.chunks.push({ id, runId, name, data });
    this.chunks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async closeStream(name: string, runIdPromise: Promise<string> | string) {
    const id = ulid();
    const runId = await runIdPromise;
    this.chunks.push({ id, runId, name, data: null });
  }

  read(name: string) {
    return this.chunks.filter((c) => c.name === name);
  }
}

export const streamer = new Streamer();
