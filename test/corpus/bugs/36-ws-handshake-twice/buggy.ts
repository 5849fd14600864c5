// openclaw/openclaw PR #29161: the socket's async "message" handler starts the handshake when no
// client is attached yet; two connect frames in quick succession both see no client before the
// first handshake's awaits finish, and the second half-finished handshake breaks the session.
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

  socket.on('message', async (frame: { type: string; token: string }) => {
    if (frame.type !== 'connect') return;
    if (client === null) {
      const deviceId = await verifyToken(frame.token);
      const session = await loadSession(deviceId);
      client = { id: deviceId, session };
//    ^ check-then-act
    }
    client.session.setSession(frame.token);
  });
}
