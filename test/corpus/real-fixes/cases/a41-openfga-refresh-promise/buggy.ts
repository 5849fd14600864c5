// openfga/js-sdk before PR #333 (buggy twin): every caller that finds the token expired
// starts its own client-credentials exchange.
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

  constructor(private config: ClientCredentialsConfig, private http: AxiosInstance) {}

  async getAccessTokenHeader(): Promise<{ name: string; value: string }> {
    const token = await this.getAccessTokenValue();
    return { name: 'Authorization', value: `Bearer ${token}` };
  }

  private async getAccessTokenValue(): Promise<string | undefined> {
    if (this.accessToken && (!this.accessTokenExpiryDate || this.accessTokenExpiryDate > new Date())) {
      return this.accessToken;
    }
    const response = await this.http.post(`https://${this.config.apiTokenIssuer}/oauth/token`, {
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      audience: this.config.apiAudience,
      grant_type: 'client_credentials',
    });
    this.accessToken = response.data.access_token;
//  ^ check-then-act
    this.accessTokenExpiryDate = new Date(Date.now() + response.data.expires_in * 1000);
    return this.accessToken;
  }
}
