// atomantic/PortOS PR #645: updateSettingsWith(mutate) runs the change inside the write queue,
// on the freshest settings, and saves the result.
interface Settings {
  theme: string;
  imageGen: { hfToken?: string; steps: number };
}
declare function updateSettingsWith(mutate: (current: Settings) => Settings): Promise<void>;
declare function checkToken(token: string): Promise<boolean>;

export async function setHfToken(token: string): Promise<boolean> {
  if (!(await checkToken(token))) return false;
  await updateSettingsWith((current) => ({ ...current, imageGen: { ...current.imageGen, hfToken: token } }));
  return true;
}

export async function setTheme(theme: string): Promise<void> {
  await updateSettingsWith((current) => ({ ...current, theme }));
}
