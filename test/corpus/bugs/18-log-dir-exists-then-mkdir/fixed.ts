// Fix: create the directory unconditionally with { recursive: true }, which does not fail when
// it already exists, instead of checking first.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class AppConnection {
  constructor(private readonly logDirectory?: string) {}

  async start(appName: string): Promise<string | undefined> {
    if (!this.logDirectory) return undefined;
    fs.mkdirSync(this.logDirectory, { recursive: true });
    const logFile = path.join(this.logDirectory, `${appName}-${Date.now()}.log`);
    fs.writeFileSync(logFile, '');
    return logFile;
  }
}

export async function startAll(names: string[], logDirectory: string): Promise<void> {
  await Promise.all(names.map((name) => new AppConnection(logDirectory).start(name)));
}
