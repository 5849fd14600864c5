// redis/ioredis issues #266 and #564 (the workaround given there, reduced; fixed form): WATCH
// belongs to a connection, so each check-and-set takes a connection of its own, watches the key,
// reads it, and writes it in MULTI/EXEC; EXEC answers null when the key changed since the WATCH,
// and the update is tried again.
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export async function addToBalance(account: string, cents: number): Promise<number> {
  const key = `balance:${account}`;
  const conn = redis.duplicate();
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      await conn.watch(key);
      const current = Number((await conn.get(key)) ?? 0);
      const next = current + cents;
      const result = await conn.multi().set(key, String(next)).exec();
      if (result !== null) return next;
    }
    throw new Error(`too much contention on ${key}`);
  } finally {
    conn.disconnect();
  }
}
