// Fix: set() runs its load-change-save under the instance's mutex.
import { readFile, writeFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';

class SettingsFile {
  /** @param {string} path */
  constructor(path) {
    this.path = path;
    this.lock = new Mutex();
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
  set(key, value) {
    return this.lock.runExclusive(async () => {
      const obj = await this.load();
      obj[key] = value;
      await this.save(obj);
    });
  }
}

export const settings = new SettingsFile('/home/user/.config/app/Settings');

/** @param {{ width: number, height: number }} bounds @param {string} theme */
export async function rememberWindow(bounds, theme) {
  await Promise.all([settings.set('bounds', bounds), settings.set('theme', theme)]);
}
