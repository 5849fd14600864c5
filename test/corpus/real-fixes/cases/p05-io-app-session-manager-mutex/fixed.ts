// pagopa/io-app PR #706: the payment manager's session token is refreshed inside an async-mutex
// `runExclusive`, and inside it only while the token is still missing; a request that waited on the
// mutex finds the token the first one fetched. A 401 clears the token and the request retries.
import { Mutex } from 'async-mutex';

type Option<T> = { toUndefined(): T | undefined };

declare function delay(ms: number): Promise<void>;

export class SessionManager<T> {
  private token?: T;
  private mutex = new Mutex();

  constructor(
    private refreshSession: () => Promise<Option<T>>,
    private maxRetries: number = 3,
  ) {}

  private exclusiveTokenUpdate = async () => {
    await this.mutex.runExclusive(async () => {
      if (this.token === undefined) {
        try {
          this.token = (await this.refreshSession()).toUndefined();
        } catch {
          this.token = undefined;
        }
      }
    });
    return this.token;
  };

  public get = () => this.token;

  public withRefresh<R>(f: (token: T) => Promise<R>): () => Promise<R> {
    return async () => {
      let count = 0;
      while (count <= this.maxRetries) {
        count += 1;
        await this.exclusiveTokenUpdate();
        if (this.token === undefined) {
          await delay(Math.ceil(Math.random() * 100) + 50);
          continue;
        }
        const response = await f(this.token);
        if (response !== undefined && (response as { status?: number }).status === 401) {
          this.token = undefined;
          continue;
        }
        return response;
      }
      throw new Error('max-retries');
    };
  }
}
