// getsentry/sentry-replay before PR #49 (buggy twin): the recorder pushes events into eventBuffer
// as they happen; a debounced flush uploads the buffer and empties it only after the upload
// resolves, so events recorded during the upload are emptied unsent.
import { record } from 'rrweb';

export interface RecordingEvent {
  type: number;
  timestamp: number;
  data: unknown;
}

export class SentryReplay {
  eventBuffer: RecordingEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly replayId: string, private readonly uploadDelay = 5000) {}

  setup(): void {
    record({
      emit: (event: RecordingEvent) => {
        this.eventBuffer.push(event);
        this.scheduleFlush();
      },
    });
  }

  private scheduleFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushUpdate();
    }, this.uploadDelay);
  }

  async flushUpdate(): Promise<void> {
    if (!this.eventBuffer.length) return;
    await this.sendReplay(this.replayId, this.eventBuffer);
    this.eventBuffer = [];
//  ^ lost-update
  }

  async sendReplay(replayId: string, events: RecordingEvent[]): Promise<void> {
    await fetch(`/api/replays/${replayId}/attachments`, { method: 'POST', body: JSON.stringify(events) });
  }
}
