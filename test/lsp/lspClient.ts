// A minimal LSP client for the server tests: spawns the built `racelint-server --stdio`, speaks
// JSON-RPC to it as an editor would, keeps the documents it opened (and applies the server's
// workspace/applyEdit to them), and records what the server sends so tests can wait for it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tempDir } from '../support/tempDirs';

export const REPO = path.resolve(__dirname, '..', '..');
// RACELINT_SERVER_BIN points the tests at another build of the server (e.g. a snapshot of the tree).
export const SERVER_BIN = process.env.RACELINT_SERVER_BIN ?? path.join(REPO, 'bin', 'racelint-server.js');
export const LSP_FIXTURES = path.join(REPO, 'test', 'fixtures', 'lsp');

/** Copies a fixture folder to a fresh temporary directory (tests edit files freely there). */
export function copyFixture(name: string): string {
  const dir = tempDir(`racelint-lsp-${name}-`);
  fs.cpSync(path.join(LSP_FIXTURES, name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  /** Pull diagnostics (textDocument/diagnostic) or only push. */
  pull: boolean;
  /** What the client answers to workspace/configuration for `racelint` (per scope URI). */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Whether the client announces workspace/configuration support. */
  configuration?: boolean;
  initializationOptions?: unknown;
  /** Extra arguments (besides --stdio). */
  args?: string[];
}

export interface Recorded {
  method: string;
  params: unknown;
}

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly notifications: Recorded[] = [];
  readonly serverRequests: Recorded[] = [];
  readonly docs = new Map<string, TextDocument>();
  readonly stderr: string[] = [];
  settings: (scopeUri: string | undefined) => unknown;
  private listeners: Array<() => void> = [];
  exited: number | null | undefined;
  initializeResult: any;

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
  }

  static async start(options: StartOptions): Promise<LspClient> {
    const proc = spawn(process.execPath, [SERVER_BIN, '--stdio', ...(options.args ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, connection, options);
    proc.stderr!.on('data', (d: Buffer) => client.stderr.push(d.toString()));
    proc.on('exit', (code) => {
      client.exited = code;
      client.changed();
    });
    client.wire();
    connection.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration ?? true,
        workspaceFolders: true,
        applyEdit: true,
        workspaceEdit: { documentChanges: true },
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
          isPreferredSupport: true,
        },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
    };
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.folders[0] ? uriOf(options.folders[0]) : null,
      workspaceFolders: options.folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private wire(): void {
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.changed();
    });
    // Every other notification. The star handler is vscode-jsonrpc's, which ProtocolConnection's
    // typings do not list.
    const any = c as unknown as { onNotification(h: (method: string, params: unknown) => void): void; onUnhandledProgress(h: (params: unknown) => void): void };
    any.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.changed();
    });
    // $/progress is dispatched by token; tests did not register any, so it arrives here.
    any.onUnhandledProgress((params) => {
      this.notifications.push({ method: '$/progress', params });
      this.changed();
    });
    const record = (method: string, answer: (params: any) => unknown) =>
      c.onRequest(method, (params: unknown) => {
        this.serverRequests.push({ method, params });
        this.changed();
        return answer(params);
      });
    record('workspace/configuration', (p: { items: Array<{ scopeUri?: string; section?: string }> }) =>
      p.items.map((i) => (i.section === 'racelint' ? this.settings(i.scopeUri) : null)),
    );
    record('client/registerCapability', () => null);
    record('client/unregisterCapability', () => null);
    record('window/workDoneProgress/create', () => null);
    record('workspace/diagnostic/refresh', () => null);
    record('window/showDocument', () => ({ success: true }));
    record('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => ({ applied: this.applyWorkspaceEdit(p.edit) }));
  }

  private changed(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  /** Waits until `probe` returns something truthy, re-checking whenever the server sends anything. */
  async waitFor<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (this.exited !== undefined) throw new Error(`server exited (${this.exited}) while waiting for ${what}\n${this.stderr.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      // Woken by the next message from the server, or by a short tick for conditions on our own state.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  // ----- documents

  open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = languageOf(file), uri = uriOf(file)): string {
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces the whole text (a full-content change). */
  change(uri: string, text: string): number {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    const next = TextDocument.update(doc, [{ text }], version);
    this.docs.set(uri, next);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental edit: replaces `search` (its first occurrence) with `replacement`. */
  edit(uri: string, search: string, replacement: string): number {
    const doc = this.docs.get(uri)!;
    const at = doc.getText().indexOf(search);
    if (at < 0) throw new Error(`"${search}" is not in ${uri}`);
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + search.length) };
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.update(doc, [{ range, text: replacement }], version));
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: replacement }] });
    return version;
  }

  close(uri: string): void {
    this.docs.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  applyWorkspaceEdit(edit: WorkspaceEdit): boolean {
    const perUri: Array<{ uri: string; version?: number | null; edits: TextEdit[] }> = [];
    for (const dc of edit.documentChanges ?? []) {
      if ('textDocument' in dc) perUri.push({ uri: dc.textDocument.uri, version: dc.textDocument.version, edits: dc.edits as TextEdit[] });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.push({ uri, edits });
    for (const { uri, version, edits } of perUri) {
      const doc = this.docs.get(uri);
      if (!doc || (version !== undefined && version !== null && version !== doc.version)) return false;
    }
    for (const { uri, edits } of perUri) {
      const doc = this.docs.get(uri)!;
      const text = TextDocument.applyEdits(doc, edits);
      this.change(uri, text);
    }
    return true;
  }

  // ----- requests

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId });
  }

  /** Pulls until the diagnostics satisfy `ok` (the server may still be catching up with edits). */
  async pullUntil(uri: string, what: string, ok: (d: Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    let last: Diagnostic[] = [];
    for (;;) {
      const r = await this.pull(uri);
      if (r.kind === 'full') last = r.items;
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last diagnostics: ${JSON.stringify(last.map((d) => `${d.code}@${d.range.start.line}: ${d.message}`))}`);
      await this.waitFor('a change', () => true, 100).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for pushed diagnostics of a document version that satisfy `ok`. */
  waitForPublished(uri: string, what: string, ok: (d: Diagnostic[]) => boolean, version?: number): Promise<Diagnostic[]> {
    return this.waitFor(what, () => {
      const p = this.published.get(uri);
      if (!p || (version !== undefined && p.version !== version)) return undefined;
      return ok(p.diagnostics) ? p.diagnostics : undefined;
    });
  }

  codeActions(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  executeCommand(command: string, args: unknown[] = [], token?: CancellationTokenSource, workDoneToken?: string): Promise<unknown> {
    const params = { command, arguments: args, ...(workDoneToken !== undefined ? { workDoneToken } : {}) };
    return token ? this.connection.sendRequest('workspace/executeCommand', params, token.token) : this.connection.sendRequest('workspace/executeCommand', params);
  }

  notificationsOf(method: string): unknown[] {
    return this.notifications.filter((n) => n.method === method).map((n) => n.params);
  }

  /** Writes raw bytes to the server's stdin (for malformed messages). */
  writeRaw(body: string, header?: string): void {
    this.proc.stdin!.write(header ?? `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        void this.connection.sendNotification('exit');
      } catch {
        // Already gone.
      }
      await this.waitFor('the server to exit', () => this.exited !== undefined, 5000).catch(() => this.proc.kill());
    }
    this.connection.dispose();
  }
}

export function languageOf(file: string): string {
  if (file.endsWith('.tsx')) return 'typescriptreact';
  if (file.endsWith('.jsx')) return 'javascriptreact';
  if (/\.[cm]?js$/.test(file)) return 'javascript';
  return 'typescript';
}

/** A diagnostic's message as text (LSP 3.18 allows markup; racelint sends plain strings). */
export function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

export function diagnosticSummary(d: Diagnostic[]): string[] {
  return d.map((x) => `${x.code}@${x.range.start.line + 1}`);
}
