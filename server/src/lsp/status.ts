// The `racelint/status` notification: what the server is doing, for an editor's status item.
// Sent when a lint that may take a while starts (the first lint of a document, which may load a
// whole TypeScript project; a workspace lint), after each lint, and when something is broken.
import { NotificationType, type Connection } from 'vscode-languageserver';

export interface StatusParams {
  state: 'ready' | 'linting' | 'error';
  /** How long the last lint of a document took, in milliseconds. */
  lastLintMs?: number;
  /** What is going on, or what is wrong and how to fix it. */
  message?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('racelint/status');

export class StatusReporter {
  private last?: StatusParams;

  constructor(private readonly connection: Connection) {}

  linting(message?: string): void {
    this.send({ state: 'linting', message });
  }

  /** A lint finished; `problem` keeps the item in the error state while configuration is broken. */
  done(lastLintMs: number | undefined, problem?: string): void {
    this.send(problem ? { state: 'error', lastLintMs, message: problem } : { state: 'ready', lastLintMs });
  }

  error(message: string): void {
    this.send({ state: 'error', message });
  }

  private send(params: StatusParams): void {
    const p = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as unknown as StatusParams;
    if (p.lastLintMs !== undefined) p.lastLintMs = Math.round(p.lastLintMs);
    if (this.last && JSON.stringify(this.last) === JSON.stringify(p)) return;
    this.last = p;
    void this.connection.sendNotification(StatusNotification, p).catch(() => undefined);
  }
}
