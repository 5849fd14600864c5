// Fix (the PR): a per-connection flag set before the handshake's first await; a second connect
// frame during the handshake closes the socket (1008) instead of starting another handshake.
import { EventEmitter } from 'node:events';

interface Session {
  setSession(token: string): void;
}
interface Client {
  id: string;
  session: Session;
}

declare function verifyToken(token: string): Promise<string>;
declare function loadSession(deviceId: string): Promise<Session>;

export function attachMessageHandler(socket: EventEmitter & { close(code: number): void }): void {
  let client: Client | null = null;
  let handshakeInProgress = false;

  socket.on('message', async (frame: { type: string; token: string }) => {
    if (frame.type !== 'connect') return;
    if (client !== null) {
      client.session.setSession(frame.token);
      return;
    }
    if (handshakeInProgress) return socket.close(1008);
    handshakeInProgress = true;
    const deviceId = await verifyToken(frame.token);
    const session = await loadSession(deviceId);
    client = { id: deviceId, session };
    client.session.setSession(frame.token);
  });
}
