// Fix: every writer goes through persistSettings(), so all read-modify-write cycles of the file
// are serialized by the same lock.
import { readFile, rename, writeFile } from 'node:fs/promises';

const SETTINGS = '/home/user/.openchamber/settings.json';

/** @returns {Promise<Record<string, any>>} */
async function readSettings() {
  return JSON.parse(await readFile(SETTINGS, 'utf8'));
}

/** @param {Record<string, any>} settings */
async function writeSettingsToDisk(settings) {
  await writeFile(`${SETTINGS}.tmp`, JSON.stringify(settings, null, 2));
  await rename(`${SETTINGS}.tmp`, SETTINGS);
}

/** @type {Promise<unknown>} */
let persistSettingsLock = Promise.resolve();

/** @param {(s: Record<string, any>) => Record<string, any>} mutate */
export function persistSettings(mutate) {
  const run = persistSettingsLock.then(async () => writeSettingsToDisk(mutate(await readSettings())));
  persistSettingsLock = run.catch(() => undefined);
  return run;
}

/** @param {string} signingKey */
export async function storeRelaySigningKey(signingKey) {
  await persistSettings((settings) => ({ ...settings, relay: { ...settings.relay, signingKey } }));
}
