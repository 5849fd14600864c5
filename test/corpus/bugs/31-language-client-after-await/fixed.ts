// Fix (the PR): take a local copy of the client at the start and use only that copy after the
// await, so the function talks to one client from start to end.
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
  const languageClient = g_languageClient;
  if (languageClient === null) return 'Main';
  await languageClient.onReady();
  return languageClient.sendRequest<string>('julia/getModuleAt', { uri, line });
}
