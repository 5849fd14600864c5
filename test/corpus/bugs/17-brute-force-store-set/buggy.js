// AdamPflug/express-brute-redis#7: the middleware read the attempt count from the store and
// saved count + 1 with SET; overlapping requests from one client saved the same count, so a
// brute-force run got more free attempts than configured.
import Redis from 'ioredis';

const redis = new Redis();
const FREE_RETRIES = 5;
const WINDOW_MS = 15 * 60_000;

/** @type {import('express').Handler} */
export async function bruteForceGuard(req, res, next) {
  const key = `brute:${req.ip}`;
  const raw = await redis.get(key);
  const entry = raw ? JSON.parse(raw) : { count: 0, firstRequest: Date.now() };
  if (entry.count >= FREE_RETRIES) return res.status(429).end();
  const updated = { ...entry, count: entry.count + 1, lastRequest: Date.now() };
  await redis.set(key, JSON.stringify(updated), 'PX', WINDOW_MS);
//      ^ lost-update
  next();
}
