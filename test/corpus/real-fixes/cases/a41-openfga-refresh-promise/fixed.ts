// openfga/js-sdk PR #333 "fix: prevent token refresh thundering herd" (reduction, fixed):
// concurrent callers with an expired token share one in-flight refresh, cleared when it settles.
import type { AxiosInstance } from 'axios';

interface ClientCredentialsConfig {
  clientId: string;
  clientSecret: string;
  apiTokenIssuer: string;
  apiAudience: string;
}

export class Credentials {
  private accessToken?: string;
  private accessTokenExpiryDate?: Date;
  private refreshAccessTokenPromise?: Promise<string | undefined>;

  constructor(private config: ClientCredentialsConfig, private http: AxiosInstance) {}

  async getAccessTokenHeader(): Promise<{ name: string; value: string }> {
    const token = await this.getAccessTokenValue();
    return { name: 'Authorization', value: `Bearer ${token}` };
  }

  private async getAccessTokenValue(): Promise<string | undefined> {
    if (this.accessToken && (!this.accessTokenExpiryDate || this.accessTokenExpiryDate > new Date())) {
      return this.accessToken;
    }
    if (!this.refreshAccessTokenPromise) {
      this.refreshAccessTokenPromise = this.refreshAccessToken().finally(() => {
        this.refreshAccessTokenPromise = undefined;
      });
    }
    return this.refreshAccessTokenPromise;
  }

  private async refreshAccessToken(): Promise<string | undefined> {
    const response = await this.http.post(`https://${this.config.apiTokenIssuer}/oauth/token`, {
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      audience: this.config.apiAudience,
      grant_type: 'client_credentials',
    });
    if (response) {
      this.accessToken = response.data.access_token;
      this.accessTokenExpiryDate = new Date(Date.now() + response.data.expires_in * 1000);
    }
    return this.accessToken;
  }
}
