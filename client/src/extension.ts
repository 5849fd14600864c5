// VS Code entry point: an output channel, the status item, the language client and the commands.
// All analysis happens in the bundled server; the client runs no code from the workspace.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { CLIENT_COMMANDS, SERVER_COMMANDS, lintWorkspace, registerClientCommands } from './commands';
import { ServerStatusItem } from './status';

export const STATUS_NOTIFICATION = 'racelint/status';

/** What activate() returns; the end-to-end tests read it through `extension.exports`. */
export interface RacelintExtensionApi {
  /** The status item's text, e.g. "racelint: ready". */
  readonly statusText: string;
  /** Whether the language server is running. */
  readonly serverRunning: boolean;
  /** Resolves once a freshly started server answered `initialize`. */
  whenReady(): Promise<void>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<RacelintExtensionApi> {
  const output = vscode.window.createOutputChannel('racelint', { log: true });
  const status = new ServerStatusItem();
  context.subscriptions.push(output, status);

  const lc = createClient(context, output, {
    // `racelint.lintWorkspace` is both the palette command and the server's command: the client
    // library registers the server's commands itself, so the progress UI hooks in here.
    executeCommand: (command, args, next) => (command === SERVER_COMMANDS.lintWorkspace ? lintWorkspace(lc) : next(command, args)),
  });
  client = lc;
  context.subscriptions.push(
    lc.onDidChangeState((e) => {
      status.setClientState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    }),
    lc.onNotification(STATUS_NOTIFICATION, (params: unknown) => status.onServerStatus(params)),
  );

  let ready: Promise<void> = Promise.resolve();
  let ownLintCommand: vscode.Disposable | undefined;
  const start = async (restart: boolean) => {
    ready = restart ? lc.restart() : lc.start();
    try {
      await ready;
    } catch (e) {
      status.setClientState('stopped');
      output.error(`racelint: the server did not start: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    // The client library registers the commands the server announces; should the server not
    // announce this one, register it here so the palette entry still reaches the server.
    const announced = lc.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!announced.includes(SERVER_COMMANDS.lintWorkspace) && !ownLintCommand) {
      ownLintCommand = vscode.commands.registerCommand(CLIENT_COMMANDS.lintWorkspace, () => lintWorkspace(lc));
      context.subscriptions.push(ownLintCommand);
    }
  };

  context.subscriptions.push(
    ...registerClientCommands(() => lc, output, async () => {
      output.info('racelint: restarting the server');
      await start(lc.state !== State.Stopped);
    }),
  );

  // Do not fail activation when the server cannot start: the commands (restart, show output)
  // must stay available to recover.
  await start(false).catch(() => undefined);

  return {
    get statusText() {
      return status.text;
    },
    get serverRunning() {
      return lc.state === State.Running;
    },
    whenReady: () => ready,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
