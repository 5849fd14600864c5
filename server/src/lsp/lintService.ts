// Linting documents for the editor: when (pull requests, or debounced after edits for clients
// that cannot pull), against which text (the editor's buffers are pushed into the TypeScript
// projects before each lint), and what else an edit invalidates (open files that import the
// edited one). Reports are cached per document version, so a client that pulls again for an
// unchanged document gets "unchanged" without a lint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import { builtinConfig, ConfigError, type ResolvedConfig } from '../core/config';
import type { FileProblem, FileResult, TextEdit } from '../core/findings';
import { DEFAULT_MAX_FILE_BYTES, type Linter } from '../core/linter';
import type { ConfigProblems } from './configProblems';
import { ResultIds, SOURCE, toDiagnostics, type DocumentReport } from './diagnostics';
import { DocumentState, isLintableFile, uriOfFile } from './documents';
import { minimalEdits } from './minimalEdits';
import type { RacelintSettings, SettingsStore } from './settings';
import type { StatusReporter } from './status';
import type { Workspace } from './workspace';

/** Typing pauses shorter than this are one burst: lint once, after it. */
export const DEBOUNCE_MS = 150;
/** Open files that import an edited one are re-linted this long after it. */
const DEPENDENTS_DELAY_MS = 250;

/** What the client can do, read from its `initialize` capabilities. */
export interface ClientFeatures {
  /** `textDocument/diagnostic`: the client pulls; otherwise the server publishes. */
  pull: boolean;
  /** `workspace/diagnostic/refresh`. */
  refresh: boolean;
  documentChanges: boolean;
  showDocument: boolean;
  workDoneProgress: boolean;
}

/** Lets other requests and notifications (edits, cancellations) in before a long synchronous step. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface ClosedFileReport {
  file: string;
  report: DocumentReport;
  stale: boolean;
}

export class LintService {
  readonly docs = new Map<string, DocumentState>();
  /** Files that are not open, linted from disk (workspace lint): what `workspace/diagnostic` reports. */
  readonly closedReports = new Map<string, ClosedFileReport>();
  /** Bumped when settings, configs or projects change: every cached report is then out of date. */
  settingsEpoch = 0;
  /** Whether the client ever sent `workspace/diagnostic` (else closed files' results are pushed). */
  workspacePulled = false;
  private readonly resultIds = new ResultIds();
  private staleTimer?: ReturnType<typeof setTimeout>;
  private staleRunning = false;
  private staleAgain = false;
  private pruneLinters = false;
  private trace: RacelintSettings['trace'] = 'off';

  constructor(
    private readonly connection: Connection,
    private readonly features: ClientFeatures,
    private readonly workspace: Workspace,
    private readonly settings: SettingsStore,
    private readonly configProblems: ConfigProblems,
    readonly status: StatusReporter,
  ) {}

  /** The URI for a file: the open document's own URI when it is open (untitled buffers have no other). */
  readonly uriOf = (file: string): string => {
    for (const s of this.docs.values()) if (s.file === file) return s.uri;
    return uriOfFile(file);
  };

  settingsFor(uri: string, file: string): Promise<RacelintSettings> {
    return this.settings.forScope(uri, this.workspace.folderOf(file)?.path);
  }

  // ----- documents opening, changing, closing

  opened(state: DocumentState): void {
    this.docs.set(state.uri, state);
    this.workspace.lintTargets.add(state.file);
    // Once open, the document's own pulls (or pushes) own its diagnostics.
    const closed = this.closedReports.get(state.uri);
    if (closed) {
      this.closedReports.delete(state.uri);
      if (this.features.pull && !this.workspacePulled) void this.connection.sendDiagnostics({ uri: state.uri, diagnostics: [] });
    }
    if (!this.features.pull) this.schedule(state, 0);
  }

  changed(state: DocumentState): void {
    state.dirty = true;
    if (this.features.pull) return;
    void this.settingsFor(state.uri, state.file).then((s) => {
      if (s.run === 'onType' && this.docs.get(state.uri) === state) this.schedule(state);
    });
  }

  saved(state: DocumentState): void {
    void this.settingsFor(state.uri, state.file).then((s) => {
      if (s.run !== 'onSave' || this.docs.get(state.uri) !== state) return;
      state.savedSinceLint = true;
      if (!this.features.pull) this.schedule(state, 0);
      else void this.lintDocument(state).then(() => this.refresh());
    });
  }

  closed(uri: string): void {
    const state = this.docs.get(uri);
    if (!state) return;
    this.docs.delete(uri);
    if (!this.closedReports.has(uriOfFile(state.file))) this.workspace.lintTargets.delete(state.file);
    if (state.timer) clearTimeout(state.timer);
    this.resultIds.forget(uri);
    let changed = false;
    try {
      // The project goes back to the file on disk (or forgets a buffer that never was a file).
      changed = uri.startsWith('file:') && fs.existsSync(state.file) ? this.workspace.reloadFromDisk(state.file) : this.workspace.fileDeleted(state.file);
    } catch (err) {
      this.logError(`restoring ${state.file} after close`, err);
    }
    if (changed) this.markImporters([state.file]);
    if (!this.features.pull) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  // ----- linting

  /** The report for the document's current text, linting only when the cached one is out of date. */
  async reportFor(state: DocumentState): Promise<DocumentReport> {
    this.syncDirty();
    const cached = state.currentReport(this.settingsEpoch);
    if (cached) return cached;
    const settings = await this.settingsFor(state.uri, state.file);
    // `run: onSave` keeps showing the last lint while the document is edited, until it is saved.
    if (settings.run === 'onSave' && state.report && !state.savedSinceLint && state.report.settingsEpoch === this.settingsEpoch) return state.report;
    return this.lintDocument(state);
  }

  /** Lints an open document now (its latest text). */
  async lintDocument(state: DocumentState): Promise<DocumentReport> {
    const settings = await this.settingsFor(state.uri, state.file);
    if (!state.linted) {
      state.linted = true;
      // The first lint may load a whole TypeScript project: let the status item say so first.
      this.status.linting(`Loading the TypeScript project for ${path.basename(state.file)}`);
      await yieldToEventLoop();
    }
    return this.lintNow(state, settings);
  }

  private lintNow(state: DocumentState, settings: RacelintSettings): DocumentReport {
    this.trace = settings.trace;
    const started = performance.now();
    const epoch = this.settingsEpoch;
    this.syncDirty();
    let result: FileResult | undefined;
    let diagnostics: Diagnostic[] = [];
    const version = state.version;
    try {
      const outcome = this.runLinter(state.file, settings, state);
      result = outcome.result;
      if (outcome.textChanged) this.markImporters([state.file]);
      if (outcome.linter) this.reportProjectWarnings(outcome.linter);
      if (result) diagnostics = toDiagnostics(result, this.uriOf);
    } catch (err) {
      this.logError(`linting ${state.file}`, err);
      diagnostics = [internalErrorDiagnostic(err)];
    }
    state.dirty = false;
    state.stale = false;
    state.savedSinceLint = false;
    const lintMs = performance.now() - started;
    const report: DocumentReport = { uri: state.uri, version, settingsEpoch: epoch, resultId: this.resultIds.idFor(state.uri, diagnostics), diagnostics, result, lintMs };
    state.report = report;
    if (this.trace === 'verbose') {
      this.connection.console.log(`linted ${state.file} (version ${version}) in ${lintMs.toFixed(1)} ms: ${result?.findings.length ?? 0} findings`);
    }
    this.status.done(lintMs, this.configProblems.summary);
    return report;
  }

  /**
   * Runs the core on one file: the open document's text when `state` is given, else the file as
   * the project has it (from disk). Undefined result: racelint does not lint this file.
   */
  private runLinter(file: string, settings: RacelintSettings, state?: DocumentState): { result?: FileResult; textChanged: boolean; linter?: Linter } {
    if (!settings.enable || !isLintableFile(file)) return { textChanged: false };
    const linter = this.workspace.linterFor(file, settings.configFile);
    if (state) state.linter = linter;
    const config = this.configFor(linter, file, settings);
    if (!config) return { textChanged: false, linter };
    let textChanged = false;
    if (state) {
      const skip = bufferProblem(file, state.text, linter.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      if (skip) return { result: { file, findings: [], problems: [skip] }, textChanged, linter };
      textChanged = this.workspace.setText(linter, file, state.text);
    } else {
      const skip = linter.precheck(file);
      if (skip) return { result: { file, findings: [], problems: [skip] }, textChanged, linter };
    }
    return { result: linter.lintFile(file, config), textChanged, linter };
  }

  /**
   * The config for a file, or undefined when its config ignores it. A broken racelint.json is
   * reported on the file itself and the defaults (with the editor's rule settings) are used.
   */
  private configFor(linter: Linter, file: string, settings: RacelintSettings): ResolvedConfig | undefined {
    let base: ResolvedConfig;
    try {
      base = linter.configs.forFile(file);
      this.configProblems.resolved(base.configFile);
      if (linter.isIgnored(file)) return undefined;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.configProblems.report(err);
      base = builtinConfig(path.dirname(file));
    }
    try {
      return linter.configFor(file, settings.rules, base);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.configProblems.report(err);
      return linter.configFor(file, {}, base);
    }
  }

  /** A broken tsconfig (its files fall back to inferred options): said once, in a message. */
  private reportProjectWarnings(linter: Linter): void {
    for (const w of linter.projects.warnings) this.configProblems.showOnce(`racelint: ${w.file} ${w.message}`);
  }

  /** Pushes every edited buffer into its projects, and marks the open files that import one as stale. */
  syncDirty(): void {
    const changed: string[] = [];
    for (const s of this.docs.values()) {
      if (!s.dirty || !s.linter) continue;
      try {
        if (this.workspace.setText(s.linter, s.file, s.text)) changed.push(s.file);
      } catch (err) {
        this.logError(`updating ${s.file}`, err);
      }
      s.dirty = false;
    }
    this.markImporters(changed);
  }

  /** Open files (and workspace-linted closed files) that import one of `changed` must be linted again. */
  markImporters(changed: string[]): void {
    if (changed.length === 0) return;
    const candidates = new Map<string, Linter>();
    for (const s of this.docs.values()) if (s.linter && !changed.includes(s.file)) candidates.set(s.file, s.linter);
    for (const c of this.closedReports.values()) {
      const linter = this.closedLinters.get(c.file);
      if (linter && !changed.includes(c.file)) candidates.set(c.file, linter);
    }
    let importers: Set<string>;
    try {
      importers = this.workspace.importersAmong(changed, candidates);
    } catch (err) {
      this.logError('finding the importers of edited files', err);
      return;
    }
    if (importers.size === 0) return;
    for (const s of this.docs.values()) if (importers.has(s.file)) s.stale = true;
    for (const c of this.closedReports.values()) if (importers.has(c.file)) c.stale = true;
    this.scheduleStale(DEPENDENTS_DELAY_MS);
  }

  /** Everything changed (settings, configs, projects): every report is out of date. */
  invalidateAll(resync: boolean): void {
    this.settingsEpoch++;
    for (const s of this.docs.values()) {
      s.stale = true;
      if (resync) s.dirty = true;
    }
    for (const c of this.closedReports.values()) c.stale = true;
    this.pruneLinters = true;
    this.scheduleStale(0);
  }

  // ----- delivery to push clients

  private schedule(state: DocumentState, delay?: number): void {
    const now = Date.now();
    if (state.timer) clearTimeout(state.timer);
    // The first edit after a pause is linted at once; the rest of a burst waits for a pause.
    const wait = delay ?? (now - state.lastScheduledAt > DEBOUNCE_MS ? 0 : DEBOUNCE_MS);
    state.lastScheduledAt = now;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (this.docs.get(state.uri) !== state) return;
      this.reportFor(state).then(
        (report) => this.publish(state, report),
        (err) => this.logError(`linting ${state.file}`, err),
      );
    }, wait);
  }

  /** Sends a report to a push client, unless it is for an older version or already sent. */
  publish(state: DocumentState, report: DocumentReport): void {
    if (this.features.pull) return;
    if (this.docs.get(state.uri) !== state || report.version !== state.version) return;
    if (state.publishedResultId === report.resultId) return;
    state.publishedResultId = report.resultId;
    void this.connection.sendDiagnostics({ uri: state.uri, version: report.version ?? undefined, diagnostics: report.diagnostics });
  }

  /** Asks a pull client to pull again (something it showed is out of date). */
  refresh(): void {
    if (!this.features.pull || !this.features.refresh) return;
    this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  // ----- re-linting what became stale

  private scheduleStale(delay: number): void {
    if (this.staleRunning) {
      this.staleAgain = true;
      return;
    }
    if (this.staleTimer) {
      if (delay > 0) return;
      clearTimeout(this.staleTimer);
    }
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      void this.relintStale();
    }, delay);
  }

  private async relintStale(): Promise<void> {
    this.staleRunning = true;
    let pullChanged = false;
    try {
      for (;;) {
        this.staleAgain = false;
        const state = [...this.docs.values()].find((s) => s.stale);
        if (state) {
          const before = state.report?.resultId;
          const report = await this.lintDocument(state);
          if (this.features.pull) pullChanged ||= report.resultId !== before;
          else this.publish(state, report);
        } else {
          const closed = [...this.closedReports.values()].find((c) => c.stale);
          if (!closed) break;
          const before = closed.report.resultId;
          const report = await this.lintClosedFile(closed.file);
          if (this.features.pull && this.workspacePulled) pullChanged ||= report?.resultId !== before;
        }
        await yieldToEventLoop();
      }
      if (this.pruneLinters) {
        this.pruneLinters = false;
        const used = new Set<Linter>();
        for (const s of this.docs.values()) if (s.linter) used.add(s.linter);
        for (const l of this.closedLinters.values()) used.add(l);
        this.workspace.retainLinters(used);
      }
    } catch (err) {
      this.logError('re-linting files after a change', err);
    } finally {
      this.staleRunning = false;
    }
    if (pullChanged) this.refresh();
    if (this.staleAgain) this.scheduleStale(0);
  }

  // ----- files that are not open

  private readonly closedLinters = new Map<string, Linter>();

  /** Lints a file that is not open, from disk; records it for `workspace/diagnostic` and pushes it if needed. */
  async lintClosedFile(file: string): Promise<DocumentReport | undefined> {
    const uri = uriOfFile(file);
    this.workspace.lintTargets.add(file);
    const settings = await this.settingsFor(uri, file);
    if (this.docs.has(uri)) return undefined;
    const started = performance.now();
    let diagnostics: Diagnostic[] = [];
    let result: FileResult | undefined;
    try {
      const outcome = this.runLinter(file, settings);
      result = outcome.result;
      if (outcome.linter) this.closedLinters.set(file, outcome.linter);
      if (result) diagnostics = toDiagnostics(result, this.uriOf);
    } catch (err) {
      this.logError(`linting ${file}`, err);
      diagnostics = [internalErrorDiagnostic(err)];
    }
    const report: DocumentReport = {
      uri,
      version: null,
      settingsEpoch: this.settingsEpoch,
      resultId: this.resultIds.idFor(uri, diagnostics),
      diagnostics,
      result,
      lintMs: performance.now() - started,
    };
    const previous = this.closedReports.get(uri);
    // A file that is not open needs no code actions: keep its diagnostics, not its findings.
    this.closedReports.set(uri, { file, report: { ...report, result: undefined }, stale: false });
    if ((!this.features.pull || !this.workspacePulled) && previous?.report.resultId !== report.resultId) {
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
    return report;
  }

  /** A closed file was deleted: its report goes. */
  forgetClosedFile(file: string): void {
    const uri = uriOfFile(file);
    if (!this.closedReports.delete(uri)) return;
    this.closedLinters.delete(file);
    this.workspace.lintTargets.delete(file);
    this.resultIds.forget(uri);
    if (!this.features.pull || !this.workspacePulled) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  // ----- fix all

  /**
   * The edits that apply every fix of a document (never suggestions), computed by the core's fix
   * passes on the buffer's text; the project gets the buffer's text back afterwards, since the
   * edits are only proposed to the editor.
   */
  async fixAllEdits(state: DocumentState): Promise<TextEdit[]> {
    const settings = await this.settingsFor(state.uri, state.file);
    if (!settings.enable || !isLintableFile(state.file)) return [];
    this.syncDirty();
    const linter = this.workspace.linterFor(state.file, settings.configFile);
    state.linter = linter;
    const config = this.configFor(linter, state.file, settings);
    if (!config) return [];
    const original = state.text;
    if (bufferProblem(state.file, original, linter.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)) return [];
    this.workspace.setText(linter, state.file, original);
    const result = linter.fixFile(state.file, config);
    if (result.fixedSource === undefined) return [];
    linter.setFileText(state.file, original);
    return minimalEdits(original, result.fixedSource);
  }

  logError(what: string, err: unknown): void {
    const e = err as Error;
    this.connection.console.error(`racelint: error while ${what}: ${e?.stack ?? String(err)}`);
    this.status.error(`racelint failed while ${what}: ${e?.message ?? String(err)} (see the output for details)`);
  }
}

function internalErrorDiagnostic(err: unknown): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: 'internal-error',
    message: `racelint failed on this file: ${(err as Error)?.message ?? String(err)}`,
  };
}

/** An open buffer racelint does not lint: too large, or binary. */
function bufferProblem(file: string, text: string, maxBytes: number): FileProblem | undefined {
  const zero = { line: 0, character: 0 };
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only count when the limit is within reach.
  const bytes = text.length * 3 > maxBytes ? Buffer.byteLength(text, 'utf8') : 0;
  if (bytes > maxBytes) {
    return { file, kind: 'skipped', severity: 'warning', message: `skipped: ${(bytes / 1048576).toFixed(1)} MiB is over the ${(maxBytes / 1048576).toFixed(1)} MiB limit per file`, range: { start: zero, end: zero } };
  }
  if (text.slice(0, 8192).includes('\u0000')) {
    return { file, kind: 'skipped', severity: 'warning', message: 'skipped: looks like a binary file (contains NUL bytes)', range: { start: zero, end: zero } };
  }
  return undefined;
}
