// openchamber/openchamber PR #2251: persistSettings() serializes read-modify-write cycles of
// settings.json through a promise-chain lock, but other writers (relay signing key, push
// runtime) read and wrote the file directly, outside the lock, and dropped concurrent changes.
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
  const settings = await readSettings();
  settings.relay = { ...settings.relay, signingKey };
  await writeSettingsToDisk(settings);
//      ^ lost-update
}
