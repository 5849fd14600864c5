// redis/ioredis issues #266 and #564 (buggy twin): the balance is read with GET and written back
// with SET; two updates that read the same value both write their own sum, and one is lost.
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export async function addToBalance(account: string, cents: number): Promise<number> {
  const key = `balance:${account}`;
  const current = Number((await redis.get(key)) ?? 0);
  const next = current + cents;
  await redis.set(key, String(next));
//      ^ lost-update
  return next;
}
