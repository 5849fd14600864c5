// Spawns the built CLI as a user would, and copies fixture trees to temp dirs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './tempDirs';

export const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'bin', 'racelint.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI. `--cache` runs write no parse snapshot and start no daemon unless a test asks
 * for one (RACELINT_PARSE_SNAPSHOT, RACELINT_DAEMON), so that no test leaves a snapshot writer or
 * a daemon running behind it.
 */
export function racelint(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  if (!fs.existsSync(path.join(REPO, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', RACELINT_PARSE_SNAPSHOT: 'off', RACELINT_DAEMON: 'off', ...env },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Copies a fixture folder to a fresh temp dir (so tests may write, and no repo .git is above it). */
export function copyFixture(relative: string): string {
  const dir = tempDir('racelint-test-');
  fs.cpSync(path.join(REPO, 'test', 'fixtures', relative), dir, { recursive: true });
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}
