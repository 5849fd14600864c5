// The language status item ({} in the status bar next to the language name): whether the server
// is ready, linting or in trouble, and how long the last lint took. The wording lives in
// statusModel.ts; this file only feeds it events and copies the result onto the item.
import * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from './client';
import {
  STATUS_NAME,
  nextLastLintMs,
  parseStatusParams,
  statusView,
  type ClientState,
  type ServerStatusParams,
} from './statusModel';

const SEVERITY = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
} as const;

export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private clientState: ClientState = 'starting';
  private server: ServerStatusParams | undefined;
  private lastLintMs: number | undefined;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('racelint.status', DOCUMENT_SELECTOR);
    this.item.name = STATUS_NAME;
    this.item.command = { title: 'Show output', command: 'racelint.showOutput' };
    this.render();
  }

  setClientState(state: ClientState): void {
    this.clientState = state;
    // A new server process starts with no status of its own yet.
    if (state !== 'running') this.server = undefined;
    this.render();
  }

  /** Handles a `racelint/status` notification; malformed ones are ignored. */
  onServerStatus(raw: unknown): void {
    const params = parseStatusParams(raw);
    if (!params) return;
    this.server = params;
    this.lastLintMs = nextLastLintMs(this.lastLintMs, params);
    this.render();
  }

  /** What the item currently shows (for tests and the output channel). */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const view = statusView(this.clientState, this.server, this.lastLintMs);
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.severity = SEVERITY[view.severity];
    this.item.busy = view.busy;
  }

  dispose(): void {
    this.item.dispose();
  }
}
