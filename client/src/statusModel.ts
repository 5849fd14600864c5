// What the language status item says, as plain data. Kept free of `vscode` so the node unit tests
// can check the wording without an editor; status.ts copies these fields onto the real item.

/** The payload of the server's `racelint/status` notification. */
export interface ServerStatusParams {
  state: 'ready' | 'linting' | 'error';
  /** How long the last lint of a file took, in milliseconds. */
  lastLintMs?: number;
  message?: string;
}

/** The client's own view: the server's state, or where the connection itself is. */
export type ClientState = 'starting' | 'running' | 'stopped';

export interface StatusView {
  text: string;
  detail: string;
  severity: 'information' | 'warning' | 'error';
  busy: boolean;
}

export const STATUS_NAME = 'racelint';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Accepts only well-formed notifications: a server of another version must not crash the item. */
export function parseStatusParams(raw: unknown): ServerStatusParams | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.state !== 'ready' && r.state !== 'linting' && r.state !== 'error') return undefined;
  const out: ServerStatusParams = { state: r.state };
  if (typeof r.lastLintMs === 'number' && Number.isFinite(r.lastLintMs) && r.lastLintMs >= 0) out.lastLintMs = r.lastLintMs;
  if (typeof r.message === 'string' && r.message.trim() !== '') out.message = r.message.trim();
  return out;
}

/**
 * The item's text for a client state and the last status the server sent. The last lint time
 * survives a `linting` notification so the detail keeps saying how long the previous lint took.
 */
export function statusView(client: ClientState, server: ServerStatusParams | undefined, lastLintMs?: number): StatusView {
  const took = lastLintMs === undefined ? '' : `last lint took ${formatDuration(lastLintMs)}`;
  if (client === 'starting') return { text: 'racelint: starting', detail: '', severity: 'information', busy: true };
  if (client === 'stopped') {
    return { text: 'racelint: stopped', detail: 'the server is not running; run "racelint: Restart server"', severity: 'warning', busy: false };
  }
  switch (server?.state) {
    case 'linting':
      return { text: 'racelint: linting', detail: server.message ?? took, severity: 'information', busy: true };
    case 'error':
      return { text: 'racelint: error', detail: server.message ?? 'see "racelint: Show output"', severity: 'error', busy: false };
    default:
      return { text: 'racelint: ready', detail: server?.message ?? took, severity: 'information', busy: false };
  }
}

/** Folds a notification into the remembered last lint time. */
export function nextLastLintMs(previous: number | undefined, params: ServerStatusParams): number | undefined {
  return params.lastLintMs ?? previous;
}

/**
 * A one-line summary of the server's answer to `racelint.lintWorkspace`, or undefined when the
 * answer has no counts (then the Problems panel alone tells the story).
 */
export function lintWorkspaceSummary(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const files = count(r.files) ?? count(r.fileCount);
  const problems = count(r.problems) ?? count(r.findings) ?? count(r.findingCount);
  if (files === undefined || problems === undefined) return undefined;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `racelint: ${plural(problems, 'problem')} in ${plural(files, 'file')}`;
}

/** What the status bar says after "Fix all auto-fixable problems" (the server's answer). */
export function fixAllSummary(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (r.applied === true && typeof r.edits === 'number') return `racelint: applied ${r.edits} fix${r.edits === 1 ? '' : 'es'}`;
  if (r.applied === false && typeof r.reason === 'string' && r.reason) return `racelint: ${r.reason}`;
  return undefined;
}
