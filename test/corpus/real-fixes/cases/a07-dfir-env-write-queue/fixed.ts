// hasamba/DFIR-Companion PR #531 "serialize .env saves so a concurrent one is not lost" (reduction, fixed)
import { promises as fs } from 'node:fs';
import { atomicWrite } from './atomicWrite';
import { resolveEnvFilePath } from './paths';

async function readRaw(): Promise<string> {
  try {
    return await fs.readFile(resolveEnvFilePath(), 'utf8');
  } catch {
    return '';
  }
}

// Each save's read-merge-write runs after the previous one, so it reads a baseline
// that includes every earlier save.
let envWriteChain: Promise<unknown> = Promise.resolve();

export function updateEnv(updates: Record<string, string | null>): Promise<void> {
  const run = envWriteChain.then(async () => {
    const raw = await readRaw();
    const lines = raw.split('\n');
    const seen = new Set<string>();
    const newLines: string[] = [];
    for (const line of lines) {
      const key = line.split('=')[0]?.trim();
      if (key && key in updates) {
        seen.add(key);
        const value = updates[key];
        if (value !== null) newLines.push(`${key}=${value}`);
      } else {
        newLines.push(line);
      }
    }
    for (const [key, value] of Object.entries(updates)) {
      if (!seen.has(key) && value !== null) newLines.push(`${key}=${value}`);
    }
    await atomicWrite(resolveEnvFilePath(), newLines.join('\n'));
  });
  // A failed write must not wedge the saves queued behind it.
  envWriteChain = run.catch(() => undefined);
  return run;
}
