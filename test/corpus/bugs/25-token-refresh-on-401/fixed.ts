// Fix (the spec): one module-level refresh promise; every 401 handler that arrives while
// a refresh is in flight awaits the same promise, and it is cleared when it settles.
interface TokenPair {
  accessToken: string;
  refreshToken: string;
}
interface HttpError {
  status: number;
  config: { url: string; headers: Record<string, string> };
}

declare function postRefresh(refreshToken: string): Promise<TokenPair>;
declare function send(config: HttpError['config']): Promise<unknown>;

let tokens: TokenPair = { accessToken: '', refreshToken: '' };
let refreshPromise: Promise<TokenPair> | null = null;

function refreshOnce(): Promise<TokenPair> {
  refreshPromise ??= postRefresh(tokens.refreshToken)
    .then((pair) => (tokens = pair))
    .finally(() => {
      refreshPromise = null;
    });
  return refreshPromise;
}

export async function onResponseError(error: HttpError): Promise<unknown> {
  if (error.status !== 401) throw error;
  const { accessToken } = await refreshOnce();
  return send({ ...error.config, headers: { ...error.config.headers, Authorization: `Bearer ${accessToken}` } });
}
