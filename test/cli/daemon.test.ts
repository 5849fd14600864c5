// racelint's daemon (server/src/cli/daemon.ts, bin/daemon-client.js): a `--cache` run on a
// developer's machine starts one, which keeps the parsed trees; later `--cache` runs are answered
// by it with exactly what the ordinary path prints, and every doubt takes the ordinary path.
// Every test stops the daemons it started (`stopAll`), so that none outlives the test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { racelint, writeFiles } from '../support/cli';
import { tempDir } from '../support/tempDirs';

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] },
  include: ['src'],
});

const CACHE = 'node_modules/.cache/racelint';

function makeProject(): string {
  const dir = tempDir('racelint-daemon-');
  writeFiles(dir, {
    'tsconfig.json': TSCONFIG,
    'package.json': JSON.stringify({ name: 'p', private: true }),
    'src/lib.ts': 'export function save(): void {}\n',
    'src/app.ts': "import { save } from './lib';\n\nexport function run(): void {\n  save();\n}\n",
    'src/report.ts': 'async function send(): Promise<void> {}\n\nexport function report(): void {\n  send();\n}\n',
    'src/sub/leaf.ts': 'export const answer = 42;\n',
  });
  fs.mkdirSync(path.join(dir, CACHE), { recursive: true });
  projects.add(dir);
  return dir;
}

/** A developer's machine (CI unset) with the daemon on; replay off, so that unchanged trees reach the daemon too. */
const DEVELOPER: NodeJS.ProcessEnv = { CI: '', RACELINT_DAEMON: '', RACELINT_REPLAY: 'off', RACELINT_DAEMON_IDLE_MS: '120000' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  daemon?: number;
}

function lint(dir: string, env: NodeJS.ProcessEnv = {}, args: string[] = ['-f', 'json', 'src']): Run {
  const r = racelint(['--cache', '--debug', ...args], dir, { ...DEVELOPER, ...env });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const m = /answered by the daemon \(pid (\d+)\)/.exec(r.stderr);
  return { ...r, daemon: m ? Number(m[1]) : undefined };
}

/** The report of a run without the cache (and without any daemon), for comparison. */
function plain(dir: string): { stdout: string; stderr: string; code: number } {
  return racelint(['-f', 'json', 'src'], dir);
}

const started = new Set<number>();

function pidOf(dir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dir, CACHE, 'daemon.pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** When a file was last written (ms), or undefined when it is not there. */
function writtenAt(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the project's daemon listens; returns its pid. Its socket is made after its pid
 * file: a socket older than the pid file is a dead daemon's, which the new one has yet to remove.
 */
function daemonOf(dir: string): number {
  for (let i = 0; i < 1200; i++) {
    const pid = pidOf(dir);
    if (pid) started.add(pid);
    const socketAt = writtenAt(path.join(dir, CACHE, 'daemon.sock'));
    const pidAt = writtenAt(path.join(dir, CACHE, 'daemon.pid'));
    if (pid && socketAt !== undefined && pidAt !== undefined && socketAt >= pidAt) return pid;
    sleep(100);
  }
  throw new Error('no daemon came up in 2 minutes');
}

function gone(pid: number): boolean {
  for (let i = 0; i < 100 && alive(pid); i++) sleep(100);
  return !alive(pid);
}

/** Every project a test made: a daemon its runs started is stopped after the test. */
const projects = new Set<string>();

afterEach(() => {
  for (const dir of projects) {
    const cache = path.join(dir, CACHE);
    // A daemon being started removes its job file once its pid file is written.
    for (let i = 0; i < 600 && fs.existsSync(cache) && fs.readdirSync(cache).some((n) => n.startsWith('daemon-job.')); i++) sleep(100);
    const pid = pidOf(dir);
    if (pid) started.add(pid);
  }
  projects.clear();
  for (const pid of started) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  started.clear();
});

describe('the daemon', () => {
  test('answers --cache runs after edits of a leaf, an import, a config, with the cold run\'s report', () => {
    const dir = makeProject();
    const first = lint(dir);
    assert.equal(first.daemon, undefined);
    assert.match(first.stderr, /daemon: started/);
    const pid = daemonOf(dir);
    assert.equal(fs.statSync(path.join(dir, CACHE, 'daemon.sock')).mode & 0o777, 0o600, 'the socket is its user\'s only');
    const edits: Array<[string, () => void]> = [
      ['nothing', () => undefined],
      ['a leaf', () => fs.appendFileSync(path.join(dir, 'src/sub/leaf.ts'), 'async function ping(): Promise<void> {}\nexport function go(): void {\n  ping();\n}\n')],
      ['an import', () => fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n')],
      ['a config', () => fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: { 'floating-promise': 'warn' } }))],
      ['a new file', () => writeFiles(dir, { 'src/more.ts': "import { save } from './lib';\nexport function more(): void {\n  save();\n}\n" })],
      ['a deleted file', () => fs.rmSync(path.join(dir, 'src/report.ts'))],
      ['a tsconfig', () => fs.writeFileSync(path.join(dir, 'tsconfig.json'), TSCONFIG.replace('"strict":true', '"strict":false'))],
    ];
    for (const [what, edit] of edits) {
      edit();
      const cold = plain(dir);
      const run = lint(dir);
      if (what === 'a tsconfig') {
        // A tsconfig of its programs changed: it retires, and the ordinary path answers.
        assert.equal(run.daemon, undefined, what);
        assert.match(run.stderr, /the daemon did not take this run \(.*tsconfig\.json changed/);
        assert.ok(gone(pid), 'the retired daemon exits');
      } else {
        assert.equal(run.daemon, pid, `${what}: ${run.stderr}`);
      }
      assert.equal(run.stdout, cold.stdout, what);
      assert.equal(run.code, cold.code, what);
      // Without --debug, stderr too is the ordinary path's.
      const quiet = racelint(['--cache', '-f', 'json', 'src'], dir, DEVELOPER);
      assert.equal(quiet.stdout, cold.stdout, what);
      assert.equal(quiet.stderr, cold.stderr, what);
      assert.equal(quiet.code, cold.code, what);
    }
  });

  test('is neither asked nor started on CI or with RACELINT_DAEMON=off', () => {
    const dir = makeProject();
    for (const env of [{ CI: 'true' }, { RACELINT_DAEMON: 'off' }]) {
      const run = lint(dir, env);
      assert.doesNotMatch(run.stderr, /daemon: started/);
      sleep(300);
      assert.equal(pidOf(dir), undefined);
    }
    lint(dir);
    const pid = daemonOf(dir);
    fs.appendFileSync(path.join(dir, 'src/sub/leaf.ts'), '// edited\n');
    for (const env of [{ CI: 'true' }, { RACELINT_DAEMON: 'off' }]) assert.equal(lint(dir, env).daemon, undefined);
    const back = lint(dir);
    assert.equal(back.daemon, pid, back.stderr);
  });

  test('a daemon that died: the ordinary path answers, and starts a new one', () => {
    const dir = makeProject();
    lint(dir);
    const pid = daemonOf(dir);
    process.kill(pid, 'SIGKILL');
    assert.ok(gone(pid));
    fs.appendFileSync(path.join(dir, 'src/report.ts'), '\nexport function again(): void {\n  send();\n}\n');
    const run = lint(dir);
    assert.equal(run.daemon, undefined);
    assert.equal(run.stdout, plain(dir).stdout);
    assert.match(run.stderr, /daemon: started/);
    const next = daemonOf(dir);
    assert.notEqual(next, pid);
    fs.appendFileSync(path.join(dir, 'src/report.ts'), '// edited\n');
    const after = lint(dir);
    assert.equal(after.daemon, next, after.stderr);
  });

  test('a changed package.json retires it; --daemon-stop stops it', () => {
    const dir = makeProject();
    lint(dir);
    const pid = daemonOf(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', private: true, type: 'module' }));
    const run = lint(dir);
    assert.equal(run.daemon, undefined);
    assert.match(run.stderr, /package\.json changed since the daemon started/);
    assert.equal(run.stdout, plain(dir).stdout);
    assert.ok(gone(pid));
    const next = daemonOf(dir);
    const stop = racelint(['--daemon-stop'], dir, DEVELOPER);
    assert.equal(stop.code, 0);
    assert.match(stop.stdout, new RegExp(`stopped the daemon \\(pid ${next}\\)`));
    assert.ok(!alive(next));
    assert.ok(!fs.existsSync(path.join(dir, CACHE, 'daemon.sock')));
    assert.match(racelint(['--daemon-stop'], dir, DEVELOPER).stdout, /no daemon is running/);
  });
});
