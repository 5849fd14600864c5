// The extension's commands. The work happens in the server; these only pick the target, show
// progress and report the outcome.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { LANGUAGES } from './client';
import { fixAllSummary, lintWorkspaceSummary } from './statusModel';

/** Commands the server executes (`workspace/executeCommand`). */
export const SERVER_COMMANDS = {
  applyFixAll: 'racelint.applyFixAll',
  lintWorkspace: 'racelint.lintWorkspace',
  openRuleDoc: 'racelint.openRuleDoc',
} as const;

/** Commands contributed in package.json. `racelint.lintWorkspace` is also the server's name for it. */
export const CLIENT_COMMANDS = {
  fixAll: 'racelint.fixAll',
  lintWorkspace: 'racelint.lintWorkspace',
  restartServer: 'racelint.restartServer',
  showOutput: 'racelint.showOutput',
} as const;

const isLinted = (doc: vscode.TextDocument) => (LANGUAGES as readonly string[]).includes(doc.languageId);

async function whenRunning(client: LanguageClient): Promise<boolean> {
  if (client.state === State.Running) return true;
  if (client.state === State.Starting) {
    await new Promise<void>((resolve) => {
      const sub = client.onDidChangeState((e) => {
        if (e.newState !== State.Starting) {
          sub.dispose();
          resolve();
        }
      });
    });
    return (client.state as State) === State.Running;
  }
  return false;
}

async function notRunning(): Promise<void> {
  const restart = 'Restart server';
  const pick = await vscode.window.showWarningMessage('The racelint server is not running.', restart);
  if (pick === restart) await vscode.commands.executeCommand(CLIENT_COMMANDS.restartServer);
}

/** racelint.fixAll: applies every fix (not suggestions) in the active editor's file. */
export async function fixAll(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isLinted(editor.document)) {
    void vscode.window.showInformationMessage('racelint: open a TypeScript or JavaScript file to fix.');
    return;
  }
  if (!(await whenRunning(client))) return notRunning();
  const doc = editor.document;
  // The server answers with workspace/applyEdit, which the client applies to the open document.
  const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_COMMANDS.applyFixAll,
    arguments: [{ uri: doc.uri.toString(), version: doc.version }],
  });
  const message = fixAllSummary(result);
  if (message) vscode.window.setStatusBarMessage(message, 5_000);
}

/**
 * racelint.lintWorkspace: the server lints every file of the workspace and publishes the results
 * (they show in the Problems panel). Its work-done progress (files done, current file) feeds a
 * notification whose Cancel button cancels the request; the files linted so far stay reported.
 */
export async function lintWorkspace(client: LanguageClient): Promise<unknown> {
  if (!(await whenRunning(client))) return notRunning();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'racelint: linting the workspace', cancellable: true },
    async (progress, token) => {
      const workDoneToken = randomUUID();
      let reported = 0;
      const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
        if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
        progress.report({ message: value.message, increment });
      });
      try {
        const result = await client.sendRequest(
          ExecuteCommandRequest.type,
          { command: SERVER_COMMANDS.lintWorkspace, arguments: [], workDoneToken },
          token,
        );
        const summary = lintWorkspaceSummary(result);
        if (summary) vscode.window.setStatusBarMessage(summary, 10_000);
        return result;
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
}

export function registerClientCommands(
  getClient: () => LanguageClient,
  output: vscode.OutputChannel,
  restart: () => Promise<void>,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CLIENT_COMMANDS.fixAll, () => fixAll(getClient())),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, restart),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => output.show(true)),
  ];
}
