// The racelint language server: `racelint-server --stdio` (any LSP client) or `--node-ipc` (the
// VS Code client). A thin shell over the core's Linter: documents and settings come in, the
// core's findings go out as diagnostics and code actions. Nothing a document or a rule does may
// take the server down: errors are logged, reported, and the server keeps serving.
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  ExecuteCommandRequest,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type Message,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ts } from 'ts-morph';
import { ranOutOfStack } from '../core/project';
import { VERSION } from '../core/version';
import { codeActionsFor, FIX_ALL_KIND } from './codeActions';
import { Commands, COMMANDS } from './commands';
import { ConfigProblems } from './configProblems';
import { DocumentState, fileOfUri } from './documents';
import { FrameResynchronizer } from './framing';
import { LintService, yieldToEventLoop, type ClientFeatures } from './lintService';
import { racelintSection, SECTION, SettingsStore } from './settings';
import { StatusReporter } from './status';
import { folderFromUri, roleOfWatchedFile, WATCHED_GLOBS, Workspace, type Folder } from './workspace';

const USAGE = `racelint-server ${VERSION}: the racelint language server

Usage: racelint-server --stdio        speak LSP over stdin/stdout (Neovim, Helix, Zed, ...)
       racelint-server --node-ipc     speak LSP over Node IPC (the VS Code extension)
       racelint-server --socket=<port> | --pipe=<name>`;

/** Whether the client asked the server to shut down (the exit code says whether the end was orderly). */
let shutdownRequested = false;

function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    pull: c.textDocument?.diagnostic !== undefined,
    refresh: c.workspace?.diagnostics?.refreshSupport === true,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    showDocument: c.window?.showDocument?.support === true,
    workDoneProgress: c.window?.workDoneProgress === true,
  };
}

/**
 * Over stdio, messages are decoded here rather than by the library, so that a message that is
 * not JSON, or JSON that is not a JSON-RPC message, is answered with a JSON-RPC error (the
 * library would only log it) and the connection carries on.
 */
function stdioConnection(): Connection {
  const writer = new StreamMessageWriter(process.stdout);
  const rejected = (code: number, message: string, id: unknown = null): Message => {
    void writer.write({ jsonrpc: '2.0', id, error: { code, message } } as unknown as Message);
    // Something the connection ignores: a `$/` notification nobody handles.
    return { jsonrpc: '2.0', method: '$/racelint/rejectedMessage' } as Message;
  };
  // A frame with a lying Content-Length is answered with an error and skipped (see framing.ts).
  const frames = process.stdin.pipe(new FrameResynchronizer((why) => void rejected(ErrorCodes.ParseError, `racelint-server: ${why}`)));
  const reader = new StreamMessageReader(frames, {
    charset: 'utf-8',
    contentTypeDecoder: {
      name: 'application/json',
      decode: async (buffer: Uint8Array) => {
        let message: unknown;
        try {
          message = JSON.parse(new TextDecoder('utf-8').decode(buffer));
        } catch (err) {
          return rejected(ErrorCodes.ParseError, `racelint-server: the message is not valid JSON (${(err as Error).message})`);
        }
        const m = message as Record<string, unknown> | null;
        const id = m && (typeof m.id === 'number' || typeof m.id === 'string') ? m.id : null;
        const isRequestOrNotification = m && typeof m.method === 'string';
        const isResponse = m && id !== null && ('result' in m || 'error' in m);
        if (typeof m !== 'object' || m === null || Array.isArray(m) || (!isRequestOrNotification && !isResponse)) {
          return rejected(ErrorCodes.InvalidRequest, 'racelint-server: not a JSON-RPC request, notification or response', id);
        }
        return m as unknown as Message;
      },
    },
  });
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  // The library does this for the streams it opens itself: stdout carries the protocol, so
  // console output goes to the client's log, and the server ends with its input.
  const toClient = (send: (m: string) => void) => (...args: unknown[]) => send(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
  console.log = toClient((m) => connection.console.log(m));
  console.info = toClient((m) => connection.console.info(m));
  console.warn = toClient((m) => connection.console.warn(m));
  console.error = toClient((m) => connection.console.error(m));
  console.debug = toClient((m) => connection.console.log(m));
  const end = () => process.exit(shutdownRequested ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  return connection;
}

function openConnection(): Connection {
  const argv = process.argv.slice(2);
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  if (argv.includes('--stdio')) return stdioConnection();
  if (!argv.some((a) => a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(argv.includes('--help') || argv.includes('-h') ? 0 : 2);
  }
  return createConnection(ProposedFeatures.all);
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace((err, configFile) => configProblems.report(err, configFile));
  const configProblems = new ConfigProblems(connection, (file) => service?.uriOf(file) ?? file);
  const status = new StatusReporter(connection);
  let capabilities: ClientCapabilities = {};
  let features: ClientFeatures = { pull: false, refresh: false, documentChanges: false, showDocument: false, workDoneProgress: false };
  let service: LintService | undefined;
  let commands: Commands | undefined;
  let settings: SettingsStore | undefined;

  const ready = (): LintService => {
    if (!service) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'racelint-server: not initialized yet');
    return service;
  };

  /** Runs a notification handler, logging instead of throwing: notifications have no one to answer. */
  const guard =
    <A extends unknown[]>(what: string, fn: (...args: A) => void | Promise<void>) =>
    (...args: A): void => {
      try {
        const r = fn(...args);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((err) => service?.logError(what, err));
      } catch (err) {
        if (service) service.logError(what, err);
        else connection.console.error(`racelint: error while ${what}: ${(err as Error)?.stack ?? err}`);
      }
    };

  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities ?? {};
    features = clientFeatures(capabilities);
    const folders: Folder[] = [];
    for (const f of params.workspaceFolders ?? []) {
      const folder = folderFromUri(f.uri, f.name);
      if (folder) folders.push(folder);
    }
    if (folders.length === 0 && params.rootUri) {
      const folder = folderFromUri(params.rootUri);
      if (folder) folders.push(folder);
    }
    workspace.setFolders(folders);
    settings = new SettingsStore(
      {
        fetch: capabilities.workspace?.configuration ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: SECTION }) : undefined,
        problem: (message) => configProblems.showOnce(`racelint settings: ${message}`),
      },
      racelintSection(params.initializationOptions),
    );
    service = new LintService(connection, features, workspace, settings, configProblems, status);
    commands = new Commands(connection, features, service, workspace);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        ...(features.pull ? { diagnosticProvider: { identifier: 'racelint', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: Object.values(COMMANDS), workDoneProgress: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'racelint', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    connection.console.info(`racelint-server ${VERSION} (TypeScript ${ts.version}, node ${process.version}); diagnostics by ${features.pull ? 'pull' : 'push'}`);
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch(() => undefined);
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch(() => undefined);
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('changing workspace folders', (e) => {
          const removed = new Set(e.removed.map((f) => f.uri));
          const kept = workspace.folders.filter((f) => !removed.has(f.uri));
          for (const f of e.added) {
            const folder = folderFromUri(f.uri, f.name);
            if (folder) kept.push(folder);
          }
          workspace.setFolders(kept);
          settings?.invalidate();
          ready().invalidateAll(true);
        }),
      );
    }
    status.done(undefined);
  });

  // ----- documents

  documents.onDidChangeContent(
    guard('handling an edit', (e) => {
      const s = ready();
      const existing = s.docs.get(e.document.uri);
      if (existing) {
        existing.document = e.document;
        s.changed(existing);
        return;
      }
      const state = new DocumentState(e.document.uri, fileOfUri(e.document.uri, e.document.languageId, workspace.untitledRoot()), e.document);
      s.opened(state);
    }),
  );
  documents.onDidSave(
    guard('handling a save', (e) => {
      const state = ready().docs.get(e.document.uri);
      if (state) ready().saved(state);
    }),
  );
  documents.onDidClose(guard('closing a document', (e) => ready().closed(e.document.uri)));

  // ----- diagnostics by pull

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const s = ready();
    const uri = params.textDocument?.uri;
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument/diagnostic needs a textDocument.uri');
    // Edits and cancellations that arrived with this request go first.
    await yieldToEventLoop();
    if (token.isCancellationRequested) throw cancelled();
    const state = s.docs.get(uri);
    const report = state ? await s.reportFor(state) : s.closedReports.get(uri)?.report;
    if (token.isCancellationRequested) throw cancelled();
    if (!report) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (params.previousResultId === report.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: report.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: report.resultId, items: report.diagnostics };
  });

  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    const s = ready();
    s.workspacePulled = true;
    await yieldToEventLoop();
    if (token.isCancellationRequested) throw cancelled();
    const previous = new Map((params.previousResultIds ?? []).map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, c] of s.closedReports) {
      const r = c.report;
      items.push(
        previous.get(uri) === r.resultId
          ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: r.resultId }
          : { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: r.resultId, items: r.diagnostics },
      );
      previous.delete(uri);
    }
    // Files the client has results for that are no longer reported (deleted, opened, ignored).
    for (const uri of previous.keys()) {
      if (!s.docs.has(uri)) items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    return { items };
  });

  // ----- code actions and commands

  connection.onCodeAction(async (params, token) => {
    const s = ready();
    const state = s.docs.get(params.textDocument?.uri);
    if (!state) return [];
    await yieldToEventLoop();
    if (token.isCancellationRequested) throw cancelled();
    const report = await s.reportFor(state);
    // Edits computed for an older text would land in the wrong places.
    if (!report.result || report.version !== state.version || s.docs.get(state.uri) !== state) return [];
    const text = state.text;
    const own = state.linter?.projects.loadedProjectOf(state.file)?.project.getSourceFile(state.file)?.compilerNode;
    let sourceFile: ts.SourceFile;
    try {
      sourceFile = own && own.text === text ? own : ts.createSourceFile(state.file, text, ts.ScriptTarget.Latest, false);
    } catch (err) {
      // Too deeply nested to parse (the file is reported as skipped): nothing to act on.
      if (ranOutOfStack(err)) return [];
      throw err;
    }
    let fixAll: import('../core/findings').TextEdit[] | undefined;
    const only = params.context?.only;
    if (only?.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`))) fixAll = await s.fixAllEdits(state);
    if (token.isCancellationRequested) throw cancelled();
    if (state.version !== report.version) return [];
    return codeActionsFor({
      uri: state.uri,
      document: state.document,
      result: report.result,
      sourceFile,
      range: params.range,
      contextDiagnostics: params.context?.diagnostics ?? [],
      only,
      documentChanges: features.documentChanges,
      uriOf: s.uriOf,
      fixAllEdits: () => fixAll ?? [],
    });
  });

  // Registered as a plain request (not onExecuteCommand) to see whether the client sent a
  // workDoneToken: without one the server creates its own progress for the workspace lint.
  connection.onRequest(ExecuteCommandRequest.type, async (params, token) => {
    ready();
    if (typeof params?.command !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'workspace/executeCommand needs a command');
    return commands!.execute(params, token);
  });

  // ----- settings and files on disk

  connection.onDidChangeConfiguration(
    guard('reading changed settings', (params) => {
      settings?.invalidate(params?.settings);
      ready().invalidateAll(false);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('handling changed files', (params) => {
      const s = ready();
      let configs = false;
      let projects = false;
      let everything = false;
      const changed: string[] = [];
      const changedConfigFiles: string[] = [];
      for (const c of params.changes ?? []) {
        if (!c.uri?.startsWith('file:')) continue;
        const file = fileOfUri(c.uri, '', workspace.untitledRoot());
        const role = roleOfWatchedFile(file);
        if (role === 'racelint-config' || role === 'package-json') {
          configs = true;
          changedConfigFiles.push(file);
        }
        if (role === 'tsconfig' || role === 'package-json') projects = true;
        // The editor's buffer, not the disk, is what an open document is linted from.
        if (role !== 'source' || [...s.docs.values()].some((d) => d.file === file)) continue;
        if (c.type === FileChangeType.Deleted) {
          // Its importers cannot be found once it is gone from the programs: re-lint every open file.
          if (workspace.fileDeleted(file)) everything = true;
          s.forgetClosedFile(file);
        } else if (c.type === FileChangeType.Created) {
          if (workspace.fileCreated(file)) changed.push(file);
        } else if (workspace.reloadFromDisk(file)) {
          changed.push(file);
          const closed = s.closedReports.get(c.uri);
          if (closed) closed.stale = true;
        }
      }
      if (configs) {
        configProblems.forget(changedConfigFiles);
        workspace.clearConfigs(changedConfigFiles);
      }
      if (projects) workspace.resetProjects();
      if (configs || projects || everything) s.invalidateAll(projects);
      else s.markImporters(changed);
    }),
  );

  connection.onShutdown(() => {
    shutdownRequested = true;
  });
  documents.listen(connection);
  connection.listen();
}

function main(): void {
  const connection = openConnection();
  // A bug anywhere must not end the session: log it and keep serving.
  process.on('uncaughtException', (err) => connection.console.error(`racelint: unexpected error: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => connection.console.error(`racelint: unexpected error: ${(err as Error)?.stack ?? err}`));
  startServer(connection);
}

main();
