// material-theme/vsc-material-theme#431: the extension manager's constructor started an async
// init() without waiting, and the exported instance was read (firstInstall) before init had
// filled it in.
import { readFile } from 'node:fs/promises';

export class ExtensionManager {
  firstInstall = false;
  installationType: { update: boolean; firstInstall: boolean } | undefined;

  constructor(private readonly statePath: string) {
    this.init();
//  ^ floating-promise
  }

  async init(): Promise<void> {
    const state = await readFile(this.statePath, 'utf8').catch(() => '');
    this.firstInstall = state === '';
    this.installationType = { update: state !== '', firstInstall: this.firstInstall };
  }
}

export const extensionManager = new ExtensionManager('/home/user/.material-theme.json');

export function shouldShowChangelog(): boolean {
  return extensionManager.firstInstall;
}
