// rinafcode/teachLink_mobile#673: the 401 handler refreshes the token pair; two requests that
// fail together both refresh with the same single-use refresh token, the second refresh is
// rejected and the user is logged out.
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

export async function onResponseError(error: HttpError): Promise<unknown> {
  if (error.status !== 401) throw error;
  const refreshed = await postRefresh(tokens.refreshToken);
  tokens = refreshed;
//^ check-then-act
  return send({ ...error.config, headers: { ...error.config.headers, Authorization: `Bearer ${refreshed.accessToken}` } });
}
