// Mentra-Community/MentraOS PR #2592 WebSocketManager.connect serialized (reduction, fixed)
import { EventEmitter } from 'events';
import { getBackendUrl } from './backend';

class WebSocketManager extends EventEmitter {
  private webSocket: WebSocket | null = null;
  private connectChain: Promise<void> = Promise.resolve();

  // Each connect() chains onto the previous one, so two reconnect triggers can
  // never both reach performConnect() with a socket half torn down.
  public connect(_urlDeprecated: string | null | undefined, coreToken: string): Promise<void> {
    const run = this.connectChain.then(() => this.performConnect(coreToken));
    this.connectChain = run.catch(() => undefined);
    return run;
  }

  private async performConnect(coreToken: string) {
    await this.detachAndCloseSocket();
    const url = `${await getBackendUrl()}/glasses-ws`;
    const socket = new WebSocket(url, undefined);
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'auth', coreToken }));
      this.emit('connected');
    };
    socket.onmessage = (ev) => this.emit('message', JSON.parse(String(ev.data)));
    socket.onclose = () => this.emit('disconnected');
    this.webSocket = socket;
  }

  private async detachAndCloseSocket() {
    const old = this.webSocket;
    if (!old) return;
    this.webSocket = null;
    old.onmessage = null;
    old.onopen = null;
    old.onclose = null;
    old.close();
    await new Promise((r) => setTimeout(r, 500));
  }
}

export default new WebSocketManager();
