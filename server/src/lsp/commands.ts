// The commands the server executes (`workspace/executeCommand`):
//   racelint.applyFixAll   [{ uri, version? } | uri]  applies every fix of a document (workspace/applyEdit)
//   racelint.lintWorkspace [{ progress?: false }]      lints every file of the workspace folders
//   racelint.openRuleDoc   [ruleId | { ruleId }]       opens a rule's documentation (window/showDocument)
import * as path from 'node:path';
import {
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  type CancellationToken,
  type Connection,
  type ExecuteCommandParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { discoverFiles } from '../core/project';
import { docsUrl } from '../core/rule';
import { RULES_BY_ID } from '../core/rules';
import { OPEN_RULE_DOC_COMMAND, workspaceEdit } from './codeActions';
import type { ClientFeatures, LintService } from './lintService';
import { yieldToEventLoop } from './lintService';
import { uriOfFile } from './documents';
import type { Workspace } from './workspace';

export const COMMANDS = {
  applyFixAll: 'racelint.applyFixAll',
  lintWorkspace: 'racelint.lintWorkspace',
  openRuleDoc: OPEN_RULE_DOC_COMMAND,
} as const;

/** What racelint.lintWorkspace answers (the VS Code client shows it in the status bar). */
export interface LintWorkspaceResult {
  files: number;
  /** Diagnostics of every kind: findings and file problems. */
  problems: number;
  findings: number;
  durationMs: number;
  /** The user stopped it from the progress UI; the files linted so far are reported. */
  cancelled?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Commands {
  constructor(
    private readonly connection: Connection,
    private readonly features: ClientFeatures,
    private readonly service: LintService,
    private readonly workspace: Workspace,
  ) {}

  execute(params: ExecuteCommandParams, token: CancellationToken): Promise<unknown> {
    const arg = params.arguments?.[0];
    switch (params.command) {
      case COMMANDS.applyFixAll:
        return this.applyFixAll(arg);
      case COMMANDS.lintWorkspace:
        return this.lintWorkspace(arg, token, params.workDoneToken !== undefined ? this.connection.window.attachWorkDoneProgress(params.workDoneToken) : undefined);
      case COMMANDS.openRuleDoc:
        return this.openRuleDoc(arg);
      default:
        throw new ResponseError(ErrorCodes.InvalidParams, `racelint has no command "${params.command}"; its commands are ${Object.values(COMMANDS).join(', ')}`);
    }
  }

  private async applyFixAll(arg: unknown): Promise<{ applied: boolean; edits: number; reason?: string }> {
    const uri = typeof arg === 'string' ? arg : isObject(arg) && typeof arg.uri === 'string' ? arg.uri : undefined;
    if (!uri) throw new ResponseError(ErrorCodes.InvalidParams, 'racelint.applyFixAll needs a document: [{ "uri": ..., "version": ... }]');
    const version = isObject(arg) && typeof arg.version === 'number' ? arg.version : undefined;
    const state = this.service.docs.get(uri);
    if (!state) throw new ResponseError(ErrorCodes.InvalidParams, `racelint.applyFixAll: ${uri} is not open`);
    if (version !== undefined && version !== state.version) return { applied: false, edits: 0, reason: 'the document changed since the command was issued' };
    const edits = await this.service.fixAllEdits(state);
    if (edits.length === 0) return { applied: false, edits: 0, reason: 'nothing to fix' };
    const edit = workspaceEdit(uri, state.document, edits, this.features.documentChanges);
    const result = await this.connection.workspace.applyEdit({ label: 'racelint: fix all auto-fixable problems', edit });
    return { applied: result.applied, edits: edits.length, reason: result.failureReason };
  }

  private async openRuleDoc(arg: unknown): Promise<{ url: string }> {
    const ruleId = typeof arg === 'string' ? arg : isObject(arg) && typeof arg.ruleId === 'string' ? arg.ruleId : undefined;
    if (!ruleId || !RULES_BY_ID.has(ruleId)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `racelint.openRuleDoc needs a rule id, one of: ${[...RULES_BY_ID.keys()].join(', ')}`);
    }
    const url = docsUrl(ruleId);
    if (this.features.showDocument) {
      const shown = await this.connection.window.showDocument({ uri: url, external: true }).catch(() => ({ success: false }));
      if (shown.success) return { url };
    }
    void this.connection.sendNotification('window/showMessage', { type: MessageType.Info, message: `racelint ${ruleId}: ${url}` });
    return { url };
  }

  private async lintWorkspace(arg: unknown, token: CancellationToken, attached: WorkDoneProgressReporter | undefined): Promise<LintWorkspaceResult> {
    const started = Date.now();
    const folders = this.workspace.folders;
    if (folders.length === 0) throw new ResponseError(ErrorCodes.InvalidRequest, 'racelint.lintWorkspace: no workspace folder is open');
    const wantProgress = !(isObject(arg) && arg.progress === false);
    let progress: WorkDoneProgressReporter | undefined = attached;
    let progressToken: CancellationToken | undefined;
    if (!progress && wantProgress && this.features.workDoneProgress) {
      const created = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
      progress = created;
      progressToken = created?.token;
    }

    const files = new Set<string>();
    for (const folder of folders) {
      const settings = await this.service.settingsFor(folder.uri, `${folder.path}/package.json`);
      if (!settings.enable) continue;
      const linter = this.workspace.linterFor(`${folder.path}/package.json`, settings.configFile);
      const isIgnored = (abs: string) => {
        try {
          return linter.isIgnored(abs);
        } catch {
          return false; // a broken racelint.json is reported when its files are linted
        }
      };
      for (const f of discoverFiles([folder.path], { cwd: folder.path, isIgnoredByConfig: isIgnored }).files) files.add(f);
    }
    const list = [...files];
    progress?.begin('racelint: linting the workspace', 0, `${list.length} files`, true);
    this.service.status.linting(`Linting ${list.length} files`);
    // Every file joins its program first, so each program is rebuilt once, not once per file.
    for (const [i, file] of list.entries()) {
      this.workspace.lintTargets.add(file);
      if (i % 50 === 49) await yieldToEventLoop();
      if (token.isCancellationRequested) break;
      try {
        const settings = await this.service.settingsFor(uriOfFile(file), file);
        if (settings.enable) this.workspace.linterFor(file, settings.configFile).projects.projectFor(file);
      } catch {
        // Reported when the file is linted.
      }
    }
    let problems = 0;
    let findings = 0;
    let done = 0;
    let lastReport = 0;
    let cancelledByUser = false;
    try {
      for (const file of list) {
        if (token.isCancellationRequested) break;
        if (progressToken?.isCancellationRequested) {
          cancelledByUser = true;
          break;
        }
        const open = [...this.service.docs.values()].find((s) => s.file === file);
        const report = open ? await this.service.lintDocument(open) : await this.service.lintClosedFile(file);
        if (open && report) this.service.publish(open, report);
        if (report) {
          problems += report.diagnostics.length;
          findings += report.result?.findings.length ?? 0;
        }
        done++;
        if (Date.now() - lastReport > 100) {
          lastReport = Date.now();
          progress?.report(Math.floor((done / list.length) * 100), `${done}/${list.length} ${path.basename(file)}`);
        }
        // Edits, pulls and cancellation get in between files.
        await yieldToEventLoop();
      }
    } finally {
      progress?.done();
    }
    if (token.isCancellationRequested) {
      this.service.refresh();
      throw new ResponseError(LSPErrorCodes.RequestCancelled, 'racelint.lintWorkspace was cancelled');
    }
    if (!cancelledByUser) {
      // Files that were linted before but are gone now (deleted, newly ignored).
      for (const c of [...this.service.closedReports.values()]) if (!files.has(c.file)) this.service.forgetClosedFile(c.file);
    }
    this.service.refresh();
    return { files: done, problems, findings, durationMs: Date.now() - started, ...(cancelledByUser ? { cancelled: true } : {}) };
  }
}
