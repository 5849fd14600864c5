// nathanbuchar/electron-settings#54: set() loads the settings file, sets one key path and saves
// the whole object; parallel set() calls from different places erased each other's settings.
import { readFile, writeFile } from 'node:fs/promises';

class SettingsFile {
  /** @param {string} path */
  constructor(path) {
    this.path = path;
  }

  /** @returns {Promise<Record<string, any>>} */
  async load() {
    try {
      return JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      return {};
    }
  }

  /** @param {Record<string, any>} obj */
  async save(obj) {
    await writeFile(this.path, JSON.stringify(obj));
  }

  /** @param {string} key @param {unknown} value */
  async set(key, value) {
    const obj = await this.load();
    obj[key] = value;
    await this.save(obj);
//        ^ lost-update
  }
}

export const settings = new SettingsFile('/home/user/.config/app/Settings');

/** @param {{ width: number, height: number }} bounds @param {string} theme */
export async function rememberWindow(bounds, theme) {
  await Promise.all([settings.set('bounds', bounds), settings.set('theme', theme)]);
}
