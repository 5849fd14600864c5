// civitai/civitai PR #2905 "atomic SET NX job lock + fenced release in run-jobs" (reduction, fixed)
import { randomUUID } from 'crypto';
import type { NextApiRequest, NextApiResponse } from 'next';
import { sysRedis } from '~/server/redis/client';
import { jobs } from '~/server/jobs';

const LOCK_TTL_SECONDS = 60;
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end`;

async function acquireJobLock(name: string, token: string) {
  const res = await sysRedis.set(`job:${name}:lock`, token, { NX: true, EX: LOCK_TTL_SECONDS });
  return res === 'OK';
}

async function releaseJobLock(name: string, token: string) {
  await sysRedis.eval(RELEASE_SCRIPT, { keys: [`job:${name}:lock`], arguments: [token] });
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const name = req.query.run?.[0] as string;
  const job = jobs.find((j) => j.name === name);
  if (!job) return res.status(404).json({ error: 'unknown job' });

  const token = randomUUID();
  if (!(await acquireJobLock(name, token))) {
    return res.status(200).json({ ok: true, skipped: 'locked' });
  }
  const refresh = setInterval(() => {
    void sysRedis.eval(EXTEND_SCRIPT, {
      keys: [`job:${name}:lock`],
      arguments: [token, String(LOCK_TTL_SECONDS)],
    });
  }, (LOCK_TTL_SECONDS / 2) * 1000);
  try {
    const result = await job.run();
    res.status(200).json({ ok: true, result });
  } finally {
    clearInterval(refresh);
    await releaseJobLock(name, token);
  }
}
