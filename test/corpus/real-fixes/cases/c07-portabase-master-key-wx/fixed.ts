// Portabase/portabase PR #460 (commit c000665): the master key is written with flag 'wx'; on EEXIST
// the key another process created meanwhile is read and used.
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
  await fs.mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });

  try {
    const existing = await fs.readFile(filePath);
    if (existing.length !== 32) {
      throw new Error(`Invalid master key length: expected 32 bytes, got ${existing.length}`);
    }
    log.info('Master key already exists. Skipping generation.');
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }

  const key = randomBytes(32);

  try {
    await fs.writeFile(filePath, key, { mode: 0o600, flag: 'wx' });
    log.info('Master key generated.');
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    const existing = await fs.readFile(filePath);
    if (existing.length !== 32) {
      throw new Error(`Invalid master key length: expected 32 bytes, got ${existing.length}`);
    }
    log.info('Master key already exists (created concurrently). Skipping generation.');
    return existing;
  }
}

export async function init() {
  const masterKey = await getOrCreateMasterKey();
  return { masterKey };
}
