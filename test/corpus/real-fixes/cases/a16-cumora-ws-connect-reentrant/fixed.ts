// yetone/cumora PR #26 "make WsClient.connect() re-entrant" (reduction, fixed)
import { API, WS } from './config';

type Listener = (event: unknown) => void;

export class WsClient {
  private ws: WebSocket | null = null;
  private connectPromise: Promise<void> | null = null;
  private listeners = new Set<Listener>();

  connect(): Promise<void> {
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) {
      return Promise.resolve();
    }
    // Callers that arrive while the ticket is being fetched join this attempt.
    this.connectPromise ??= this.open().finally(() => {
      this.connectPromise = null;
    });
    return this.connectPromise;
  }

  private async open() {
    const r = await fetch(`${API}/auth/ws-ticket`, { method: 'POST', credentials: 'include' });
    if (!r.ok) throw new Error(`ticket: ${r.status}`);
    const { ticket } = (await r.json()) as { ticket: string };
    const socket = new WebSocket(`${WS}?ticket=${ticket}`);
    socket.onmessage = (ev) => {
      const event = JSON.parse(ev.data);
      for (const l of this.listeners) l(event);
    };
    socket.onclose = () => {
      if (this.ws === socket) this.ws = null;
    };
    this.ws = socket;
  }

  subscribe(l: Listener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

export const ws = new WsClient();
