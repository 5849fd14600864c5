// Vonage/vonage-video-react-app PR #18 (buggy twin): two people open a new room at once; both
// find no session for the room name, both create a video session, and the second overwrites
// the first in storage, leaving the first person alone in a session nobody else can reach.
import express, { type Request, type Response } from 'express';

export interface SessionStorage {
  getSession(roomName: string): Promise<string | null>;
  setSession(roomName: string, sessionId: string): Promise<void>;
}

export interface VideoService {
  generateToken(sessionId: string): { token: string; apiKey?: string };
  getCredentials(): Promise<{ sessionId: string; token: string; apiKey?: string }>;
}

class InMemorySessionStorage implements SessionStorage {
  sessions: { [key: string]: string } = {};
  async getSession(roomName: string): Promise<string | null> {
    return this.sessions[roomName] || null;
  }

  async setSession(roomName: string, sessionId: string): Promise<void> {
    this.sessions[roomName] = sessionId;
  }
}

declare function createVideoService(): VideoService;

const getSessionStorageService = (): SessionStorage => new InMemorySessionStorage();

const sessionRouter = express.Router();
const videoService = createVideoService();
const sessionService = getSessionStorageService();

sessionRouter.get('/:room', async (req: Request, res: Response) => {
  try {
    const { room: roomName } = req.params;
    const sessionId = await sessionService.getSession(roomName);
    if (sessionId) {
      const data = videoService.generateToken(sessionId);
      res.json({ sessionId, token: data.token, apiKey: data.apiKey });
    } else {
      const data = await videoService.getCredentials();
      await sessionService.setSession(roomName, data.sessionId);
//          ^ check-then-act
      res.json({ sessionId: data.sessionId, token: data.token, apiKey: data.apiKey });
    }
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : error;
    res.status(500).send({ message });
  }
});

export default sessionRouter;
