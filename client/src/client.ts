// Starts the bundled language server (dist/server.js, next to this bundle) and wires VS Code to it:
// which documents it sees, which settings it gets, where its logs go.
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SETTINGS_SECTION, toServerSettings } from './settingsModel';

export const CLIENT_ID = 'racelint';
export const CLIENT_NAME = 'racelint';

/** The languages racelint lints; the manifest's activation events list the same ones. */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

export const DOCUMENT_SELECTOR = LANGUAGES.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

export function createClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.LogOutputChannel,
  extraMiddleware: Pick<Middleware, 'executeCommand'> = {},
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
    traceOutputChannel: outputChannel,
    // The server owns its error reporting (status item, output); a crash restarts it a few times.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // No static file watcher: the server registers the globs it needs (racelint.json, package.json,
    // tsconfig/jsconfig, sources) with workspace/didChangeWatchedFiles, so events are not sent twice.
    diagnosticCollectionName: 'racelint',
    middleware: {
      ...extraMiddleware,
      workspace: {
        // The server pulls `racelint` settings per resource; hand it a normalized shape with
        // paths resolved against the folder they belong to.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => {
            const item = params.items[i];
            if (item?.section !== SETTINGS_SECTION) return value;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
            return toServerSettings(value, {
              workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
              homeDir: os.homedir(),
            });
          });
        },
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
