// madesroches/micromegas, the cooldown guarded by a timestamp written after the await (buggy twin)
const REFRESH_COOLDOWN_MS = 5_000;

class AuthClient {
  private lastRefreshAttempt = 0;

  async refreshToken(): Promise<boolean> {
    if (Date.now() - this.lastRefreshAttempt < REFRESH_COOLDOWN_MS) {
      return false;
    }
    const response = await fetch('/auth/refresh', { method: 'POST', credentials: 'include' });
    this.lastRefreshAttempt = Date.now();
//  ^ check-then-act
    return response.ok;
  }
}

export const authClient = new AuthClient();

export async function authenticatedFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, credentials: 'include' });
  if (response.status !== 401) return response;
  const refreshed = await authClient.refreshToken();
  return refreshed ? fetch(url, { ...init, credentials: 'include' }) : response;
}
