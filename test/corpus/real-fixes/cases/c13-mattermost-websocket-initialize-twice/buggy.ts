// mattermost/mattermost-mobile PR #7185 (buggy twin): initialize() returns early only when a
// connection is already stored; two calls that overlap (the reconnect timer and an app-state
// change) both get the native client for the URL and both open it: two sockets on the native
// side, handled by one client in JavaScript.
export enum WebSocketReadyState {
  CONNECTING = 0,
  OPEN = 1,
  CLOSING = 2,
  CLOSED = 3,
}

export interface WebSocketClientInterface {
  readyState: WebSocketReadyState;
  open(): void;
  close(): void;
  invalidate(): void;
  onOpen(cb: () => void): void;
  onClose(cb: (ev: { message?: unknown }) => void): void;
  onMessage(cb: (evt: { message: { seq: number; event?: string } }) => void): void;
}

declare function getOrCreateWebSocketClient(url: string, config: { headers: Record<string, string>; timeoutInterval: number }): Promise<{ client: WebSocketClientInterface }>;
declare function getConfigValue(serverUrl: string, key: string): Promise<string | undefined>;

const WEBSOCKET_TIMEOUT = 30_000;
const MIN_WEBSOCKET_RETRY_TIME = 3_000;

export default class WebSocketClient {
  private conn?: WebSocketClientInterface;
  private connectionTimeout: ReturnType<typeof setTimeout> | undefined;
  private stop = false;
  private url = '';
  private serverSequence = 0;
  private connectFailCount = 0;
  private eventCallback?: (msg: unknown) => void;

  constructor(private serverUrl: string, private token: string) {}

  public async initialize(opts = {}) {
    this.stop = false;

    if (this.conn && this.conn.readyState !== WebSocketReadyState.CLOSED) {
      return;
    }

    const websocketUrl = await getConfigValue(this.serverUrl, 'WebsocketURL');
    this.url = (websocketUrl || this.serverUrl).replace(/^http/, 'ws') + '/api/v4/websocket';

    try {
      const { client } = await getOrCreateWebSocketClient(this.url, {
        headers: { Authorization: `Bearer ${this.token}` },
        timeoutInterval: WEBSOCKET_TIMEOUT,
      });
      this.conn = client;
//    ^ check-then-act
    } catch (error) {
      return;
    }

    this.conn.onOpen(() => {
      clearTimeout(this.connectionTimeout);
      this.connectFailCount = 0;
    });

    this.conn.onClose(() => {
      this.conn = undefined;
      this.connectFailCount++;
      if (this.stop) {
        return;
      }
      this.connectionTimeout = setTimeout(() => this.initialize(opts), MIN_WEBSOCKET_RETRY_TIME);
    });

    this.conn.onMessage((evt) => {
      this.serverSequence = evt.message.seq + 1;
      this.eventCallback?.(evt.message);
    });

    this.conn.open();
  }

  public setEventCallback(callback: (msg: unknown) => void) {
    this.eventCallback = callback;
  }

  public close(stop = false) {
    this.stop = stop;
    clearTimeout(this.connectionTimeout);
    this.conn?.close();
  }
}

export class WebsocketManager {
  private clients: Record<string, WebSocketClient> = {};

  public createClient(serverUrl: string, token: string) {
    const client = new WebSocketClient(serverUrl, token);
    this.clients[serverUrl] = client;
    return client;
  }

  public onAppStateChange = (isActive: boolean) => {
    for (const client of Object.values(this.clients)) {
      if (isActive) {
        client.initialize();
      } else {
        client.close();
      }
    }
  };
}
