// hasamba/DFIR-Companion before PR #531 (buggy twin): two saves read the same baseline
import { promises as fs } from 'node:fs';
import { atomicWrite } from './atomicWrite';
import { resolveEnvFilePath } from './paths';

let envCache: Record<string, string> = {};

export async function updateEnv(updates: Record<string, string | null>): Promise<void> {
  const current: Record<string, string> = { ...envCache };
  const raw = await fs.readFile(resolveEnvFilePath(), 'utf8').catch(() => '');
  for (const line of raw.split('\n')) {
    const [k, ...rest] = line.split('=');
    if (k) current[k.trim()] = rest.join('=');
  }
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete current[key];
    else current[key] = value;
  }
  envCache = current;
//^ lost-update
  await atomicWrite(resolveEnvFilePath(), Object.entries(current).map(([k, v]) => `${k}=${v}`).join('\n'));
}
