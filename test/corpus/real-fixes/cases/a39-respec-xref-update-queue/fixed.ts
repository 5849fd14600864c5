// speced/respec-web-services issue #4 "Prevent concurrent executions of bikeshed update" (reduction, fixed)
import { execFile } from 'child_process';
import { promisify } from 'util';
import type { Request, Response } from 'express';
import { readFile } from 'fs/promises';

const exec = promisify(execFile);

let xrefData: Record<string, unknown> = {};
let updateCount = 0;

// Updates run one after another in request order.
let updateQueue: Promise<unknown> = Promise.resolve();

function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const result = updateQueue.then(task);
  updateQueue = result.catch(() => undefined);
  return result;
}

async function runUpdate() {
  await exec('bikeshed', ['update', '--skip-manifest']);
  const raw = await readFile('./data/xref/xref.json', 'utf8');
  xrefData = { ...xrefData, ...JSON.parse(raw) };
  updateCount = updateCount + 1;
}

export async function updateRoute(req: Request, res: Response) {
  try {
    await enqueue(runUpdate);
    res.status(200).json({ ok: true, updates: updateCount });
  } catch (err) {
    res.status(500).send(String(err));
  }
}
