// pagopa/io-app PR #706 (buggy twin): every request that finds no token fetches a new session; two
// wallet requests that start together both refresh, and the later answer replaces the token the
// other request is already using.
type Option<T> = { toUndefined(): T | undefined };

export class SessionManager<T> {
  private token?: T;

  constructor(private refreshSession: () => Promise<Option<T>>) {}

  private tokenUpdate = async () => {
    if (this.token === undefined) {
      this.token = (await this.refreshSession()).toUndefined();
      // ^ check-then-act
    }
    return this.token;
  };

  public withRefresh<R>(f: (token: T) => Promise<R>): () => Promise<R | undefined> {
    return async () => {
      const token = await this.tokenUpdate();
      if (token === undefined) return undefined;
      return f(token);
    };
  }
}
