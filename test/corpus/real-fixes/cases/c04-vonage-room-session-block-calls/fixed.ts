// Vonage/vonage-video-react-app PR #18: getOrCreateSession is wrapped in blockCallsForArgs, so a
// call for a room name waits for the call in progress for that name before it looks the room up.
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

type PromiseMap = {
  [key: string]: PromiseWithResolvers<null>;
};

/**
 * Util to block simultaneous calls to a function until the first call resolves
 */
const blockCallsForArgs = <T>(fn: (key: string, ...args: unknown[]) => T) => {
  const callsInProgress: PromiseMap = {};
  return async (key: string, ...args: unknown[]): Promise<Awaited<T>> => {
    if (callsInProgress[key]) {
      await callsInProgress[key].promise;
    } else {
      const promiseWithResolvers = Promise.withResolvers<null>();
      callsInProgress[key] = promiseWithResolvers;
    }
    const res = await fn(key, ...args);
    callsInProgress[key]?.resolve(null);
    delete callsInProgress[key];
    return res;
  };
};

const createGetOrCreateSession = ({ sessionService, videoService }: { sessionService: SessionStorage; videoService: VideoService }) => {
  const getOrCreateSession = blockCallsForArgs(async (roomName: string) => {
    let sessionId = await sessionService.getSession(roomName);
    if (!sessionId) {
      const data = await videoService.getCredentials();
      sessionId = data.sessionId;
      await sessionService.setSession(roomName, sessionId);
    }
    return sessionId;
  });
  return getOrCreateSession;
};

const sessionRouter = express.Router();
const videoService = createVideoService();
const sessionService = getSessionStorageService();
const getOrCreateSession = createGetOrCreateSession({ videoService, sessionService });

sessionRouter.get('/:room', async (req: Request, res: Response) => {
  try {
    const { room: roomName } = req.params;
    const sessionId = await getOrCreateSession(roomName);
    const data = videoService.generateToken(sessionId);
    res.json({ sessionId, token: data.token, apiKey: data.apiKey });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : error;
    res.status(500).send({ message });
  }
});

export default sessionRouter;
