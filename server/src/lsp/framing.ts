// Getting back in step after a message whose header lies.
//
// The LSP base protocol frames each message with a Content-Length header and has no way to
// recover when one is wrong: every later byte is misread, and the JSON-RPC library's reader stops
// answering for the rest of the session (the server looks alive but is deaf). This splits the
// byte stream into frames before the library reads it, checks each header against what follows
// its body (the next header, or nothing yet), and on a mismatch reports the bad frame and skips
// to the next header, so a broken message costs one error instead of the session.
import { Transform, type TransformCallback } from 'node:stream';

/** Frames declared larger than this are refused at once (and skipped) rather than awaited. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_NAMES = ['content-length:', 'content-type:'];

function lowerAscii(bytes: Buffer): string {
  return bytes.toString('latin1').toLowerCase();
}

/** Whether `bytes` can be the start of a header block (or of one still arriving). */
function couldStartHeader(bytes: Buffer): boolean {
  const head = lowerAscii(bytes.subarray(0, 16));
  return HEADER_NAMES.some((name) => (head.length >= name.length ? head.startsWith(name) : name.startsWith(head)));
}

/** The offset of the next `Content-Length:` at or after `from`, or -1. */
function nextContentLength(bytes: Buffer, from: number): number {
  const text = lowerAscii(bytes);
  return text.indexOf('content-length:', from);
}

export class FrameResynchronizer extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** The header of the frame whose body is being read, and the body's declared length. */
  private expected?: { header: Buffer; length: number };
  /** Bytes received while a large body is still incomplete (joined once, when it is). */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** Set while skipping the rest of a bad frame, so one incident is reported once. */
  private skipping = false;

  constructor(private readonly reportBadFrame: (why: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.expected && this.buffer.length + this.waitingBytes + chunk.length < this.expected.length) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      done();
      return;
    }
    this.buffer = Buffer.concat([this.buffer, ...this.waiting, chunk]);
    this.waiting = [];
    this.waitingBytes = 0;
    try {
      this.drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private report(why: string): void {
    if (!this.skipping) this.reportBadFrame(why);
    this.skipping = true;
  }

  private drain(): void {
    for (;;) {
      if (!this.expected) {
        if (this.buffer.length === 0) return;
        if (!couldStartHeader(this.buffer)) {
          const at = nextContentLength(this.buffer, 1);
          if (at < 0) {
            // Keep a tail in case a header is split across chunks.
            this.report(`skipped ${this.buffer.length} bytes that are not part of a message`);
            this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 16));
            if (couldStartHeader(this.buffer)) continue;
            return;
          }
          this.report(`skipped ${at} bytes that are not part of a message`);
          this.buffer = this.buffer.subarray(at);
          continue;
        }
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length <= MAX_HEADER_BYTES) return;
          this.report('a message header that never ends');
          this.buffer = this.buffer.subarray(1);
          continue;
        }
        const header = this.buffer.subarray(0, end + HEADER_END.length);
        let length: number | undefined;
        let declared: string | undefined;
        for (const line of header.toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-length') declared = line.slice(colon + 1).trim();
        }
        if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) <= MAX_FRAME_BYTES) length = Number(declared);
        this.buffer = this.buffer.subarray(header.length);
        if (length === undefined) {
          this.report(declared === undefined ? 'a message without a Content-Length header' : `a message with Content-Length "${declared.slice(0, 40)}"`);
          continue;
        }
        this.expected = { header, length };
      }
      const { header, length } = this.expected;
      if (this.buffer.length < length) return;
      const body = this.buffer.subarray(0, length);
      const rest = this.buffer.subarray(length);
      this.expected = undefined;
      if (rest.length > 0 && !couldStartHeader(rest)) {
        // The declared length was wrong: too short, or too long (swallowing the start of the next
        // message). Either way the next real header is the first one after the body's start.
        this.report('a message whose Content-Length does not match its body');
        const next = nextContentLength(this.buffer, 0);
        if (next >= 0) this.buffer = this.buffer.subarray(next);
        continue;
      }
      this.skipping = false;
      this.push(Buffer.concat([header, body]));
      this.buffer = rest;
    }
  }
}
