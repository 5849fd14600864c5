// actionhero/actionhero before PR #1031 (buggy twin): lock() checks that nobody holds the key and
// then calls SETNX without looking at its answer, so two nodes that both passed the check both
// believe they hold the lock.
import type { Redis } from 'ioredis';

declare const redisClient: Redis;
const lockPrefix = 'actionhero:lock:';
const lockName = `${process.pid}-${Math.random().toString(36).slice(2)}`;

async function checkLock(key: string): Promise<boolean> {
  const lockedBy = await redisClient.get(lockPrefix + key);
  return !lockedBy || lockedBy === lockName;
}

export async function lock(key: string, expireTimeMS = 10_000): Promise<boolean> {
  const lockOk = await checkLock(key);
  if (!lockOk) return false;

  await redisClient.setnx(lockPrefix + key, lockName);
//      ^ check-then-act
  await redisClient.expire(lockPrefix + key, Math.ceil(expireTimeMS / 1000));
  return true;
}

export async function unlock(key: string): Promise<boolean> {
  const lockOk = await checkLock(key);
  if (!lockOk) return false;
  await redisClient.del(lockPrefix + key);
  return true;
}
