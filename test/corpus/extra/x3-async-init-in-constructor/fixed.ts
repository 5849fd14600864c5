// Fix (as the reporter found): keep the init promise and await it before reading the state.
import { readFile } from 'node:fs/promises';

export class ExtensionManager {
  firstInstall = false;
  installationType: { update: boolean; firstInstall: boolean } | undefined;
  readonly ready: Promise<void>;

  constructor(private readonly statePath: string) {
    this.ready = this.init();
  }

  private async init(): Promise<void> {
    const state = await readFile(this.statePath, 'utf8').catch(() => '');
    this.firstInstall = state === '';
    this.installationType = { update: state !== '', firstInstall: this.firstInstall };
  }
}

export const extensionManager = new ExtensionManager('/home/user/.material-theme.json');

export async function shouldShowChangelog(): Promise<boolean> {
  await extensionManager.ready;
  return extensionManager.firstInstall;
}
