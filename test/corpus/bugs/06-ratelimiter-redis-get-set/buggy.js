// tj/node-ratelimiter#6: the limiter reads the remaining count from Redis and writes back
// count - 1; two requests from the same user read 10 and both store 9, so the limit leaks.
import Redis from 'ioredis';

const redis = new Redis();

/**
 * @param {string} id
 * @param {number} max
 * @param {number} durationMs
 */
export async function limit(id, max, durationMs) {
  const key = `limit:${id}:remaining`;
  const raw = await redis.get(key);
  const remaining = raw === null ? max : Number(raw);
  if (remaining <= 0) return { limited: true, remaining: 0 };
  await redis.set(key, remaining - 1, 'PX', durationMs);
//      ^ lost-update
  return { limited: false, remaining: remaining - 1 };
}

/** @param {{ user: string }} request */
export async function handle(request) {
  const result = await limit(request.user, 100, 60_000);
  return result.limited ? 429 : 200;
}
