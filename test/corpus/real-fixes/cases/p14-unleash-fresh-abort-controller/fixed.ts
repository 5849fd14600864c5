// Unleash/unleash-js-sdk PR #253: fetchToggles() makes its own AbortController first, stores it,
// then aborts the controller it replaced, and sends its request with the signal of the new one.
interface IToggle {
  name: string;
  enabled: boolean;
}

interface IStorageProvider {
  save(name: string, value: unknown): Promise<void>;
}

type TinyListener = (...args: unknown[]) => void;

class TinyEmitter {
  private listeners = new Map<string, TinyListener[]>();
  on(event: string, fn: TinyListener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
  }
  emit(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
}

export class UnleashClient extends TinyEmitter {
  private abortController?: AbortController | null;
  private etag = '';
  private toggles: IToggle[] = [];
  private timerRef?: ReturnType<typeof setInterval>;

  constructor(
    private readonly url: string,
    private readonly storage: IStorageProvider,
    private readonly fetch: typeof globalThis.fetch | undefined,
    private readonly createAbortController: (() => AbortController | null | undefined) | undefined,
  ) {
    super();
  }

  start(refreshIntervalMs: number) {
    void this.fetchToggles();
    this.timerRef = setInterval(() => void this.fetchToggles(), refreshIntervalMs);
  }

  stop() {
    clearInterval(this.timerRef);
    this.abortController?.abort();
  }

  private async storeToggles(toggles: IToggle[]): Promise<void> {
    this.toggles = toggles;
    this.emit('update');
    await this.storage.save('repo', toggles);
  }

  private async fetchToggles() {
    if (!this.fetch) return;
    const oldController = this.abortController;
    this.abortController = this.createAbortController?.();
    oldController?.abort();
    const signal = this.abortController?.signal;
    try {
      const response = await this.fetch(this.url, {
        cache: 'no-cache',
        headers: { 'If-None-Match': this.etag },
        signal,
      });
      if (response.ok) {
        this.etag = response.headers.get('ETag') || '';
        const data = (await response.json()) as { toggles: IToggle[] };
        await this.storeToggles(data.toggles);
      } else if (response.status !== 304) {
        this.emit('error', { type: 'HttpError', code: response.status });
      }
    } catch (e) {
      if (!(typeof e === 'object' && e !== null && (e as Error).name === 'AbortError')) {
        this.emit('error', { type: 'FetchError', error: e });
      }
    }
  }
}
