// agentuity/sdk PR #1180 review fix "Guard connect() against concurrent/re-entrant connections" (reduction, fixed)
export type MonitorWebSocketState =
  | 'idle' | 'connecting' | 'authenticating' | 'subscribing' | 'connected' | 'reconnecting' | 'closed';

export interface MonitorWebSocketOptions {
  url: string;
  getToken(): Promise<string>;
  onEvent(event: unknown): void;
}

export class MonitorWebSocket {
  #options: MonitorWebSocketOptions;
  #state: MonitorWebSocketState = 'idle';
  #socket: WebSocket | null = null;
  #intentionallyClosed = false;

  constructor(options: MonitorWebSocketOptions) {
    this.#options = options;
  }

  get state(): MonitorWebSocketState {
    return this.#state;
  }

  connect() {
    if (this.#state !== 'idle' && this.#state !== 'closed') return;
    this.#intentionallyClosed = false;
    void this.#connectInternal();
  }

  async #connectInternal() {
    this.#state = 'connecting';
    const socket = new WebSocket(this.#options.url);
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new Error('socket error'));
    });
    this.#state = 'authenticating';
    const token = await this.#options.getToken();
    socket.send(JSON.stringify({ type: 'auth', token }));
    this.#state = 'subscribing';
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['infra'] }));
    this.#state = 'connected';
    socket.onmessage = (ev) => this.#options.onEvent(JSON.parse(ev.data));
    socket.onclose = () => {
      this.#socket = null;
      this.#state = this.#intentionallyClosed ? 'closed' : 'reconnecting';
      if (!this.#intentionallyClosed) setTimeout(() => void this.#connectInternal(), 1000);
    };
  }

  close() {
    this.#intentionallyClosed = true;
    this.#socket?.close();
  }
}
