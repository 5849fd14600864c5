// Fix (the proposal): count with INCR in a MULTI together with the expiry, so every
// request is counted by Redis itself.
import Redis from 'ioredis';

const redis = new Redis();
const FREE_RETRIES = 5;
const WINDOW_MS = 15 * 60_000;

/** @type {import('express').Handler} */
export async function bruteForceGuard(req, res, next) {
  const key = `brute:${req.ip}:count`;
  const results = await redis.multi().incr(key).pexpire(key, WINDOW_MS).exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  if (count > FREE_RETRIES) return res.status(429).end();
  next();
}
