// actionhero/actionhero PR #1031 "Fix cache lock" (reduction, fixed): lock() now checks what
// SETNX answered; only the node whose SETNX created the key holds the lock.
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

  const result = await redisClient.setnx(lockPrefix + key, lockName);
  if (!result) return false;

  await redisClient.expire(lockPrefix + key, Math.ceil(expireTimeMS / 1000));
  return true;
}

export async function unlock(key: string): Promise<boolean> {
  const lockOk = await checkLock(key);
  if (!lockOk) return false;
  await redisClient.del(lockPrefix + key);
  return true;
}
