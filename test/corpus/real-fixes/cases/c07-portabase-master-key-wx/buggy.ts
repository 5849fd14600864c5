// Portabase/portabase PR #460 (buggy twin): two processes starting at once both fail to read the
// master key file, both generate a key, and the second write replaces the key the first one is
// already encrypting with.
import { promises as fs } from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';

const log = {
  info: (msg: string) => console.log(`[rsa-keys] ${msg}`),
};

const PRIVATE_PATH = process.env.PRIVATE_PATH ?? '/app/private';

/**
 * Generate a 256-bit AES master key for AES-256-GCM.
 * - Skips generation if the file already exists.
 * - File mode 0o600 for private key.
 */
export async function getOrCreateMasterKey(filePath = path.join(PRIVATE_PATH, '/keys', 'master_key.bin')) {
  await fs.mkdir(path.dirname(filePath), { recursive: true });

  try {
    const existing = await fs.readFile(filePath);
    log.info('Master key already exists. Skipping generation.');
    return existing;
  } catch {}

  const key = randomBytes(32);

  await fs.writeFile(filePath, key, { mode: 0o600 });
//      ^ check-then-act
  log.info('Master key already exists. Skipping generation.');

  return key;
}

export async function init() {
  const masterKey = await getOrCreateMasterKey();
  return { masterKey };
}
