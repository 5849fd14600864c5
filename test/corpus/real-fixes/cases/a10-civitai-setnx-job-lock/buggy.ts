// civitai/civitai before PR #2905 (buggy twin): GET then SET, an in-process lock map variant
import type { NextApiRequest, NextApiResponse } from 'next';
import { jobs } from '~/server/jobs';

const runningJobs: Record<string, boolean> = {};

async function isLocked(name: string) {
  return runningJobs[name] === true;
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const name = req.query.run?.[0] as string;
  const job = jobs.find((j) => j.name === name);
  if (!job) return res.status(404).json({ error: 'unknown job' });

  if (await isLocked(name)) return res.status(200).json({ ok: true, skipped: 'locked' });
  runningJobs[name] = true;
//^ check-then-act
  try {
    const result = await job.run();
    res.status(200).json({ ok: true, result });
  } finally {
    runningJobs[name] = false;
  }
}
