// xadamxk/HFX2.0 PR #34: Settings.set read a whole section from chrome.storage.sync, changed one
// setting and wrote the section back; features that saved settings in parallel at startup
// overwrote each other's settings.
export class Settings {
  /**
   * @param {string} section
   * @param {string} feature
   * @param {string} setting
   * @param {unknown} value
   */
  set(section, feature, setting, value) {
    chrome.storage.sync.get(section, (items) => {
      const data = items[section] ?? {};
      data[feature] = { ...data[feature], [setting]: value };
      chrome.storage.sync.set({ [section]: data });
//    ^ lost-update
    });
  }
}

const settings = new Settings();

/** @param {Array<{ section: string, feature: string, defaults: Record<string, unknown> }>} features */
export function registerFeatures(features) {
  for (const f of features) {
    for (const [setting, value] of Object.entries(f.defaults)) settings.set(f.section, f.feature, setting, value);
  }
}
