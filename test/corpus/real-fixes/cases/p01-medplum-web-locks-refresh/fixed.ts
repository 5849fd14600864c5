// medplum/medplum PR #9113: refresh() still shares one refresh promise inside the tab, and the
// refresh itself now runs under a Web Lock shared by every tab. Inside the lock the client reads the
// stored login again: when another tab already rotated the refresh token, it adopts that login
// instead of replaying the old token.
interface LoginState {
  accessToken: string;
  refreshToken: string;
  profile?: { reference: string };
}

interface ClientStorage {
  getObject<T>(key: string): T | undefined;
  setObject<T>(key: string, value: T): void;
}

export class MedplumClient {
  private refreshPromise?: Promise<void>;
  private accessToken?: string;
  private refreshToken?: string;

  constructor(
    private readonly storage: ClientStorage,
    private readonly baseUrl: string,
    private readonly clientId: string,
  ) {}

  refresh(): Promise<void> | undefined {
    if (this.refreshPromise) {
      return this.refreshPromise;
    }
    if (!this.refreshToken) {
      return undefined;
    }
    const staleToken = this.refreshToken;
    this.refreshPromise = this.refreshAcrossTabs(staleToken).finally(() => {
      this.refreshPromise = undefined;
    });
    return this.refreshPromise;
  }

  private async refreshAcrossTabs(staleToken: string): Promise<void> {
    const run = async (): Promise<void> => {
      const stored = this.storage.getObject<LoginState>('activeLogin');
      if (stored && stored.refreshToken !== staleToken) {
        this.setActiveLogin(stored);
        return;
      }
      await this.fetchTokens(
        new URLSearchParams({ grant_type: 'refresh_token', client_id: this.clientId, refresh_token: staleToken }),
      );
    };
    if (typeof navigator !== 'undefined' && navigator.locks) {
      await navigator.locks.request('medplum-token-refresh', run);
    } else {
      await run();
    }
  }

  private async fetchTokens(body: URLSearchParams): Promise<void> {
    const response = await fetch(this.baseUrl + 'oauth2/token', { method: 'POST', body });
    if (!response.ok) {
      this.storage.setObject('activeLogin', undefined);
      throw new Error('Failed to fetch tokens');
    }
    const tokens = (await response.json()) as { access_token: string; refresh_token: string };
    this.setActiveLogin({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
  }

  private setActiveLogin(login: LoginState): void {
    this.accessToken = login.accessToken;
    this.refreshToken = login.refreshToken;
    this.storage.setObject('activeLogin', login);
  }

  async get(path: string): Promise<unknown> {
    const response = await fetch(this.baseUrl + path, { headers: { Authorization: 'Bearer ' + this.accessToken } });
    if (response.status === 401) {
      await this.refresh();
      return this.get(path);
    }
    return response.json();
  }
}
