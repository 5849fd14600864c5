// ChronoAIProject/Ornn PR #678 "dedup concurrent NyxID token-refresh requests" (reduction, fixed)
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface AuthState {
  accessToken: string | null;
  refreshTokenValue: string | null;
  _refreshInFlight: Promise<void> | null;
  refreshToken: () => Promise<void>;
  logout: () => void;
}

async function postToken(refreshToken: string) {
  const res = await fetch('/oauth/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as { access_token: string; refresh_token: string };
}

export const useAuthStore = create<AuthState>()(
  persist(
    (set, get) => ({
      accessToken: null,
      refreshTokenValue: null,
      _refreshInFlight: null,
      refreshToken: () => {
        const inFlight = get()._refreshInFlight;
        if (inFlight) return inFlight;
        const run = (async () => {
          try {
            const current = get().refreshTokenValue;
            if (!current) throw new Error('no refresh token');
            const tokens = await postToken(current);
            set({ accessToken: tokens.access_token, refreshTokenValue: tokens.refresh_token });
          } catch {
            get().logout();
          } finally {
            set({ _refreshInFlight: null });
          }
        })();
        set({ _refreshInFlight: run });
        return run;
      },
      logout: () => set({ accessToken: null, refreshTokenValue: null }),
    }),
    {
      name: 'ornn-auth',
      partialize: (s) => ({ accessToken: s.accessToken, refreshTokenValue: s.refreshTokenValue }),
    },
  ),
);

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void useAuthStore.getState().refreshToken();
});
