// Fix: let Redis do the arithmetic. INCR is atomic, and its result tells this request how many
// requests came before it in the window.
import Redis from 'ioredis';

const redis = new Redis();

/**
 * @param {string} id
 * @param {number} max
 * @param {number} durationMs
 */
export async function limit(id, max, durationMs) {
  const key = `limit:${id}:count`;
  const count = await redis.incr(key);
  if (count === 1) await redis.pexpire(key, durationMs);
  const remaining = Math.max(0, max - count);
  return { limited: count > max, remaining };
}

/** @param {{ user: string }} request */
export async function handle(request) {
  const result = await limit(request.user, 100, 60_000);
  return result.limited ? 429 : 200;
}
