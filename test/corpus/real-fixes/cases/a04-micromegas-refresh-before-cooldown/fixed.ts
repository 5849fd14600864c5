// madesroches/micromegas PR #885 authenticatedFetch (reduction, fixed)
const REFRESH_COOLDOWN_MS = 5_000;

class AuthClient {
  private refreshPromise: Promise<boolean> | null = null;
  private lastRefreshAttempt = 0;

  async refreshToken(): Promise<boolean> {
    // Concurrent 401s join the refresh already running, before the cooldown is consulted.
    if (this.refreshPromise) {
      return this.refreshPromise;
    }
    if (Date.now() - this.lastRefreshAttempt < REFRESH_COOLDOWN_MS) {
      return false;
    }
    this.lastRefreshAttempt = Date.now();
    this.refreshPromise = (async () => {
      try {
        const response = await fetch('/auth/refresh', { method: 'POST', credentials: 'include' });
        return response.ok;
      } finally {
        this.refreshPromise = null;
      }
    })();
    return this.refreshPromise;
  }
}

export const authClient = new AuthClient();

export async function authenticatedFetch(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, credentials: 'include' });
  if (response.status !== 401) return response;
  const refreshed = await authClient.refreshToken();
  if (!refreshed) {
    window.location.href = '/login';
    return response;
  }
  return fetch(url, { ...init, credentials: 'include' });
}
