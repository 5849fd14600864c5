// getsentry/sentry-replay PR #49 "fix: Fix events being dropped" (reduction, fixed): the buffer is
// taken and replaced with a fresh one before the upload starts, so events recorded during the
// upload stay for the next flush.
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
    const events = this.eventBuffer;
    this.eventBuffer = [];
    await this.sendReplay(this.replayId, events);
  }

  async sendReplay(replayId: string, events: RecordingEvent[]): Promise<void> {
    await fetch(`/api/replays/${replayId}/attachments`, { method: 'POST', body: JSON.stringify(events) });
  }
}
