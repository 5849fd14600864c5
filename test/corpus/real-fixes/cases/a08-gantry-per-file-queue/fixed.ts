// knacklabs/gantry PR #333 "RACE-9: serialize and delta-rebase the settings write" (reduction, fixed)
import { readFile, writeFile, rename } from 'node:fs/promises';
import YAML from 'yaml';

type Settings = Record<string, unknown>;

const settingsWriteQueues = new Map<string, Promise<void>>();

function withSettingsFileLock<T>(file: string, task: () => Promise<T>): Promise<T> {
  const previous = settingsWriteQueues.get(file) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  settingsWriteQueues.set(file, tail);
  void tail.then(() => {
    if (settingsWriteQueues.get(file) === tail) settingsWriteQueues.delete(file);
  });
  return run;
}

function rebase(base: Settings, previous: Settings, next: Settings): Settings {
  const merged: Settings = { ...base };
  for (const key of new Set([...Object.keys(previous), ...Object.keys(next)])) {
    if (!(key in next)) delete merged[key];
    else if (JSON.stringify(previous[key]) !== JSON.stringify(next[key])) merged[key] = next[key];
  }
  return merged;
}

export async function saveSettingsFile(
  file: string,
  previousSettings: Settings,
  nextSettings: Settings,
): Promise<Settings> {
  return withSettingsFileLock(file, async () => {
    const base = (YAML.parse(await readFile(file, 'utf8').catch(() => '')) ?? {}) as Settings;
    const merged = rebase(base, previousSettings, nextSettings);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, YAML.stringify(merged), 'utf8');
    await rename(tmp, file);
    return merged;
  });
}
