// SignalK/signalk-server PR #2830 "fix(config): serialize concurrent settings.json writes"
// (reduction, fixed): each writeSettingsFile() queues its two-file write behind the previous one
// on a module-level promise; the payload is serialised when the call is made, and a failed write
// does not wedge later ones.
import fs from 'node:fs/promises';
import path from 'node:path';

interface ServerApp {
  config: { configPath: string; settings: { priorities?: Record<string, unknown>; [key: string]: unknown } };
}

let settingsWriteQueue: Promise<void> = Promise.resolve();

export function writeSettingsFile(app: ServerApp, settings: ServerApp['config']['settings'], cb: (err?: Error) => void): void {
  const settingsPath = path.join(app.config.configPath, 'settings.json');
  const prioritiesPath = path.join(app.config.configPath, 'priorities.json');
  const { priorities, ...rest } = settings;
  const prioritiesJson = JSON.stringify(priorities ?? {}, null, 2);
  const settingsJson = JSON.stringify(rest, null, 2);

  const write = settingsWriteQueue.then(async () => {
    await fs.writeFile(prioritiesPath, prioritiesJson);
    await fs.writeFile(settingsPath, settingsJson);
  });
  settingsWriteQueue = write.catch(() => undefined);
  write.then(
    () => cb(),
    (err: Error) => cb(err),
  );
}
