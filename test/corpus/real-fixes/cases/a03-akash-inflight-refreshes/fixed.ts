// akash-network/console PR #3581 getSessionWithRefresh (reduction, fixed)
import type { NextApiRequest, NextApiResponse } from 'next';

interface Session { accessToken: string; refreshToken: string; accessTokenExpiresAt: number }
interface SessionService {
  getSession(req: NextApiRequest): Promise<Session | null>;
  refreshAccessToken(refreshToken: string): Promise<Session>;
}

export function createGetSessionWithRefresh(deps: { sessionService: SessionService }) {
  const inFlightRefreshes = new Map<string, ReturnType<SessionService['refreshAccessToken']>>();

  function refreshOncePerToken(refreshToken: string) {
    const inFlight = inFlightRefreshes.get(refreshToken);
    if (inFlight) return inFlight;

    const refresh = deps.sessionService.refreshAccessToken(refreshToken).finally(() => {
      inFlightRefreshes.delete(refreshToken);
    });
    inFlightRefreshes.set(refreshToken, refresh);
    return refresh;
  }

  return async function getSessionWithRefresh(req: NextApiRequest) {
    const session = await deps.sessionService.getSession(req);
    if (!session) return null;
    if (session.accessTokenExpiresAt > Date.now() + 30_000) return session;

    // Cut down: the write of the refreshed session (updateSession) is left out (see README).
    return refreshOncePerToken(session.refreshToken);
  };
}
