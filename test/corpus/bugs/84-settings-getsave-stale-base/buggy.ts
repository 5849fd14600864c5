// atomantic/PortOS PR #645: settings writes are serialized by a queue, but some callers read the
// settings with getSettings() outside it, change one key and saveSettings() the whole object;
// an update that lands between their read and their write is clobbered by their stale copy.
interface Settings {
  theme: string;
  imageGen: { hfToken?: string; steps: number };
}
declare function getSettings(): Promise<Settings>;
declare function saveSettings(next: Settings): Promise<void>;
declare function checkToken(token: string): Promise<boolean>;

export async function setHfToken(token: string): Promise<boolean> {
  const settings = await getSettings();
  if (!(await checkToken(token))) return false;
  await saveSettings({ ...settings, imageGen: { ...settings.imageGen, hfToken: token } });
//      ^ lost-update
  return true;
}

export async function setTheme(theme: string): Promise<void> {
  const settings = await getSettings();
  await saveSettings({ ...settings, theme });
//      ^ lost-update
}
