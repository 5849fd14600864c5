// Fix: writes go through one promise chain, so each read-change-write of the storage starts
// after the previous write has completed.
export class Settings {
  /** @type {Promise<void>} */
  #queue = Promise.resolve();

  /**
   * @param {string} section
   * @param {string} feature
   * @param {string} setting
   * @param {unknown} value
   * @returns {Promise<void>}
   */
  set(section, feature, setting, value) {
    this.#queue = this.#queue.then(
      () =>
        new Promise((resolve) => {
          chrome.storage.sync.get(section, (items) => {
            const data = items[section] ?? {};
            data[feature] = { ...data[feature], [setting]: value };
            chrome.storage.sync.set({ [section]: data }, resolve);
          });
        }),
    );
    return this.#queue;
  }
}

const settings = new Settings();

/** @param {Array<{ section: string, feature: string, defaults: Record<string, unknown> }>} features */
export async function registerFeatures(features) {
  for (const f of features) {
    for (const [setting, value] of Object.entries(f.defaults)) await settings.set(f.section, f.feature, setting, value);
  }
}
