// julia-vscode/julia-vscode PR #1865: a handler checked the module-level language client, awaited
// onReady() and then used the module variable again; a restart in between replaced or cleared
// it, so the request went to a different (or no) client.
interface LanguageClient {
  onReady(): Promise<void>;
  sendRequest<R>(method: string, params: unknown): Promise<R>;
  stop(): Promise<void>;
}

export let g_languageClient: LanguageClient | null = null;

export async function restartLanguageServer(start: () => Promise<LanguageClient>): Promise<void> {
  const old = g_languageClient;
  g_languageClient = null;
  await old?.stop();
  g_languageClient = await start();
}

export async function getModuleAt(uri: string, line: number): Promise<string> {
  if (g_languageClient === null) return 'Main';
  await g_languageClient.onReady();
  return g_languageClient.sendRequest<string>('julia/getModuleAt', { uri, line });
//       ^ check-then-act
}
