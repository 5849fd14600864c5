// Yeachan-Heo/gajae-code issue #2388 (buggy twin): handleWrite reads the merge base and computes
// the merged state outside any lock; only the final stamp and write take the workflow lock. Two
// concurrent writes both read the same base, and the second drops the first's merged fields.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { withWorkflowStateLock, type WorkflowEnvelope } from './state-writer';

async function readEnvelope(path: string): Promise<WorkflowEnvelope> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as WorkflowEnvelope;
  } catch {
    return { revision: 0, state: {} };
  }
}

async function writeEnvelopeAtomic(path: string, envelope: WorkflowEnvelope): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(envelope, null, 2));
  await rename(tmp, path);
}

export async function handleWrite(path: string, input: Record<string, unknown>): Promise<WorkflowEnvelope> {
  const base = await readEnvelope(path);
  const merged: Record<string, unknown> = { ...base.state };
  for (const [key, value] of Object.entries(input)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return withWorkflowStateLock(path, async () => {
    const current = await readEnvelope(path);
    const envelope = { revision: current.revision + 1, state: merged };
    await writeEnvelopeAtomic(path, envelope);
//        ^ lost-update
    return envelope;
  });
}
