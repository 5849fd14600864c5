// snapshot-labs/snapshot-sequencer (commit 15a4668, "use transaction to prevent race condition when
// checking redis keys"): the membership test and the add run in one MULTI/EXEC, and the answer of
// SISMEMBER from that transaction decides.
import express from 'express';
import type { Request, Response } from 'express';

type NextFunction = (err?: unknown) => void;
import redis from 'redis';
import { createHash } from 'crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sendError = (res: Response, message: string, status: number) => res.status(status).json({ error: message });

let client: any;
const DUPLICATOR_SET_KEY = 'snapshot-sequencer:processing-requests';

(async () => {
  if (!process.env.RATE_LIMIT_DATABASE_URL) return;
  client = redis.createClient({ url: process.env.RATE_LIMIT_DATABASE_URL });
  client.on('connect', () => {
    client.DEL(DUPLICATOR_SET_KEY);
  });
  client.on('error', (err: Error) => console.log('[redis-rl] Redis error', err));
  await client.connect();
})();

const hashedBody = (req: Request): string => sha256(JSON.stringify(req.body));

export async function duplicateRequestLimit(req: Request, res: Response, next: NextFunction) {
  if (!client) {
    return next();
  }

  const value = hashedBody(req);
  const [duplicate] = await client.multi().SISMEMBER(DUPLICATOR_SET_KEY, value).SADD(DUPLICATOR_SET_KEY, value).exec();

  if (duplicate) {
    return sendError(res, 'request already being processed', 429);
  }

  res.on('finish', async () => {
    await client.SREM(DUPLICATOR_SET_KEY, value);
  });

  next();
}

const app = express();
app.use(express.json());
app.use(duplicateRequestLimit);
app.post('/', async (req: Request, res: Response) => {
  res.json({ id: sha256(JSON.stringify(req.body)) });
});

export default app;
