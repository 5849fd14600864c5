// snapshot-labs/snapshot-sequencer issue #217 (buggy twin): the duplicate-request middleware asks
// Redis whether the body is already being processed and adds it afterwards; two identical
// submissions both get "not a member" and both go through.
import express from 'express';
import type { Request, Response } from 'express';

type NextFunction = (err?: unknown) => void;
import redis from 'redis';
import { createHash } from 'crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sendError = (res: Response, message: string, status: number) => res.status(status).json({ error: message });

let client: any;

(async () => {
  if (!process.env.RATE_LIMIT_DATABASE_URL) return;
  client = redis.createClient({ url: process.env.RATE_LIMIT_DATABASE_URL });
  client.on('error', (err: Error) => console.log('[redis-rl] Redis error', err));
  await client.connect();
})();

const hashedBody = (req: Request): string => sha256(req.body);

export async function duplicateRequestLimit(req: Request, res: Response, next: NextFunction) {
  const key = 'snapshot-sequencer:processing-requests';
  const value = hashedBody(req);
  const duplicate = await client.SISMEMBER(key, value);

  if (duplicate) {
    return sendError(res, 'request already being processed', 429);
  }

  await client.SADD(key, value);
//      ^ check-then-act

  res.on('finish', async () => {
    await client.SREM(key, value);
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
