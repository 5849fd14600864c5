// bulwarkmail/native PR #15 "coalesce concurrent token refresh requests" (reduction, fixed)
import * as SecureStore from 'expo-secure-store';

interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const refreshLocks = new Map<string, Promise<OAuthTokens>>();

async function exchangeRefreshToken(tokenEndpoint: string, refreshToken: string): Promise<OAuthTokens> {
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`,
  });
  if (!res.ok) throw new Error(`refresh failed: ${res.status}`);
  const json = await res.json();
  return {
    accessToken: json.access_token,
    refreshToken: json.refresh_token ?? refreshToken,
    expiresAt: Date.now() + json.expires_in * 1000,
  };
}

export function refreshTokens(tokenEndpoint: string, refreshToken: string): Promise<OAuthTokens> {
  const existing = refreshLocks.get(refreshToken);
  if (existing) return existing;
  const pending = exchangeRefreshToken(tokenEndpoint, refreshToken).finally(() => {
    refreshLocks.delete(refreshToken);
  });
  refreshLocks.set(refreshToken, pending);
  return pending;
}

export async function ensureFreshCredentials(tokenEndpoint: string): Promise<OAuthTokens> {
  const current = JSON.parse((await SecureStore.getItemAsync('oauth')) ?? 'null');
  if (current && current.expiresAt - Date.now() > 60_000) return current;
  // Cut down: the write of the new tokens to the cache and the store is left out (see README).
  return refreshTokens(tokenEndpoint, current.refreshToken);
}
