// Yeachan-Heo/gajae-code issue #2388 "serialize gjc state write/clear ... under the workflow lock"
// (reduction of the tactical fix it asks for): the merge base is read and merged inside
// withWorkflowStateLock, so the read, the merge and the write are one step for other writers.
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

export function handleWrite(path: string, input: Record<string, unknown>): Promise<WorkflowEnvelope> {
  return withWorkflowStateLock(path, async () => {
    const base = await readEnvelope(path);
    const merged: Record<string, unknown> = { ...base.state };
    for (const [key, value] of Object.entries(input)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const envelope = { revision: base.revision + 1, state: merged };
    await writeEnvelopeAtomic(path, envelope);
    return envelope;
  });
}
