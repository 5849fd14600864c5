// FocusriteGroup/juce-end-to-end PR #212: the log directory was created with "if it does not
// exist, mkdir"; with several app instances starting at once, another instance created it in
// between and mkdirSync threw EEXIST.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class AppConnection {
  constructor(private readonly logDirectory?: string) {}

  async start(appName: string): Promise<string | undefined> {
    if (!this.logDirectory) return undefined;
    if (!fs.existsSync(this.logDirectory)) {
      fs.mkdirSync(this.logDirectory);
//    ^ check-then-act
    }
    const logFile = path.join(this.logDirectory, `${appName}-${Date.now()}.log`);
    fs.writeFileSync(logFile, '');
    return logFile;
  }
}

export async function startAll(names: string[], logDirectory: string): Promise<void> {
  await Promise.all(names.map((name) => new AppConnection(logDirectory).start(name)));
}
