// The launcher's replay (bin/replay.js): a `--cache` run answered wholly from the cache leaves a
// record, and so does one that linted files when its report is what the cache would answer; the
// next run of the same command on an unchanged tree prints that report without loading the
// bundle. Every change to something the run read must make the launcher take the
// ordinary path, and the report must then be what that path prints.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { racelint, writeFiles } from '../support/cli';
import { tempDir } from '../support/tempDirs';

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] },
  include: ['src'],
});

function makeProject(): string {
  const dir = tempDir('racelint-replay-');
  writeFiles(dir, {
    'tsconfig.json': TSCONFIG,
    'src/lib.ts': 'export function save(): void {}\n',
    'src/app.ts': "import { save } from './lib';\n\nexport function run(): void {\n  save();\n}\n",
    'src/report.ts': 'async function send(): Promise<void> {}\n\nexport function report(): void {\n  send();\n}\n',
    'src/sub/leaf.ts': 'export const answer = 42;\n',
  });
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  replayed: boolean;
  linted: number;
}

/** A record is only written for files changed at least 100 ms before a run: wait that out. */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
}

/** CI machines set CI, which turns replay off: these runs are a developer's unless a test says otherwise. */
const DEVELOPER: NodeJS.ProcessEnv = { CI: '' };

function lint(dir: string, args: string[] = ['-f', 'json', 'src'], env: NodeJS.ProcessEnv = {}): Run {
  settle();
  const r = racelint(['--cache', '--debug', ...args], dir, { ...DEVELOPER, ...env });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const m = /linted (\d+) of (\d+) files/.exec(r.stderr);
  assert.ok(m, `no summary in: ${r.stderr}`);
  return { ...r, replayed: /the last run's report, replayed/.test(r.stderr), linted: Number(m[1]) };
}

/** The report of a run without the cache, for comparison. */
function plain(dir: string, args: string[] = ['-f', 'json', 'src']): string {
  return racelint(args, dir).stdout;
}

/**
 * Fills the cache, then the next run replays. The filling run records nothing when it creates
 * the cache directory in the project's directory (it wrote into a directory it listed): then
 * the run answered from the cache leaves the record.
 */
function recorded(dir: string, args?: string[]): Run {
  const created = !fs.existsSync(path.join(dir, 'node_modules'));
  const first = lint(dir, args);
  assert.ok(first.linted > 0);
  let last = first;
  if (created) {
    assert.doesNotMatch(first.stderr, /will be replayed by the launcher/);
    last = lint(dir, args);
    assert.equal(last.linted, 0);
    assert.ok(!last.replayed);
  }
  assert.match(last.stderr, /will be replayed by the launcher/);
  const again = lint(dir, args);
  assert.ok(again.replayed, `not replayed: ${again.stderr}`);
  assert.equal(again.stdout, last.stdout);
  assert.equal(again.code, last.code);
  return again;
}

/** After a run that linted files, which left the record: the next run replays. */
function rerecord(dir: string): void {
  assert.ok(lint(dir).replayed);
}

const floating = (stdout: string) =>
  (JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>)
    .flatMap((x) => x.messages.filter((m) => m.ruleId === 'floating-promise').map((m) => `${path.basename(x.filePath)}:${m.line}`))
    .sort();

describe('the launcher replays an unchanged tree', () => {
  test('the same report and exit code, and only for the same command', () => {
    const dir = makeProject();
    const run = recorded(dir);
    assert.equal(run.code, 1);
    assert.deepEqual(floating(run.stdout), ['report.ts:4']);
    assert.equal(run.stdout, plain(dir));
    // Other arguments: the ordinary path.
    const other = lint(dir, ['-f', 'json', '--rule', 'misused-promise', 'src']);
    assert.ok(!other.replayed);
    assert.deepEqual(floating(other.stdout), []);
    const stylish = lint(dir, ['src']);
    assert.ok(!stylish.replayed);
    assert.match(stylish.stdout, /floating-promise/);
    // Not on CI, and not when turned off.
    assert.ok(!lint(dir, undefined, { CI: 'true' }).replayed);
    assert.ok(!lint(dir, undefined, { RACELINT_REPLAY: 'off' }).replayed);
  });

  test('what the run wrote to stderr is replayed too, without --debug', () => {
    const dir = makeProject();
    writeFiles(dir, { 'racelint.json': JSON.stringify({ ignore: ['src/sub/**'] }) });
    const args = ['--cache', '-f', 'json', 'src', 'src/sub/leaf.ts'];
    racelint(args, dir, DEVELOPER);
    settle();
    const second = racelint(args, dir, DEVELOPER);
    const results = path.join(dir, 'node_modules/.cache/racelint/results.json');
    const saved = fs.statSync(results, { bigint: true }).mtimeNs;
    settle();
    const third = racelint(args, dir, DEVELOPER);
    assert.equal(fs.statSync(results, { bigint: true }).mtimeNs, saved, 'replayed: the bundle did not run (it saves the cache)');
    assert.match(second.stderr, /leaf\.ts is/);
    assert.equal(third.stderr, second.stderr);
    assert.equal(third.stdout, second.stdout);
    assert.ok(lint(dir, ['-f', 'json', 'src', 'src/sub/leaf.ts']).stderr.includes('leaf.ts is'));
  });

  test('an edited linted file: the ordinary path', () => {
    const dir = makeProject();
    recorded(dir);
    fs.appendFileSync(path.join(dir, 'src/report.ts'), '\nexport function again(): void {\n  send();\n}\n');
    const run = lint(dir);
    assert.ok(!run.replayed);
    assert.equal(run.linted, 1);
    assert.deepEqual(floating(run.stdout), ['report.ts:4', 'report.ts:8']);
  });

  test('a file rewritten with the same size and its old mtime: the ordinary path', () => {
    const dir = makeProject();
    recorded(dir);
    const file = path.join(dir, 'src/report.ts');
    const st = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  send();', '  void 0;'));
    fs.utimesSync(file, st.atime, st.mtime);
    assert.equal(fs.statSync(file).size, st.size);
    const run = lint(dir);
    assert.ok(!run.replayed);
    assert.deepEqual(floating(run.stdout), []);
  });

  test('an edited import: the ordinary path, and the importer is linted again', () => {
    const dir = makeProject();
    recorded(dir);
    fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n');
    const run = lint(dir);
    assert.ok(!run.replayed);
    assert.deepEqual(floating(run.stdout), ['app.ts:4', 'report.ts:4']);
  });

  test('an edited declaration file outside the linted files: the ordinary path', () => {
    const dir = makeProject();
    writeFiles(dir, {
      'node_modules/store/package.json': JSON.stringify({ name: 'store', types: 'index.d.ts' }),
      'node_modules/store/index.d.ts': 'export declare function flush(): void;\n',
      'src/flush.ts': "import { flush } from 'store';\n\nexport function go(): void {\n  flush();\n}\n",
    });
    recorded(dir);
    fs.writeFileSync(path.join(dir, 'node_modules/store/index.d.ts'), 'export declare function flush(): Promise<void>;\n');
    const run = lint(dir);
    assert.ok(!run.replayed);
    assert.deepEqual(floating(run.stdout), ['flush.ts:4', 'report.ts:4']);
  });

  test('a new or edited racelint.json, an edited tsconfig.json: the ordinary path', () => {
    const dir = makeProject();
    recorded(dir);
    fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: { 'floating-promise': 'off' } }));
    const off = lint(dir);
    assert.ok(!off.replayed);
    assert.deepEqual(floating(off.stdout), []);
    rerecord(dir);
    fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: { 'floating-promise': 'warn' } }));
    const warn = lint(dir);
    assert.ok(!warn.replayed);
    assert.deepEqual(floating(warn.stdout), ['report.ts:4']);
    assert.equal(warn.code, 0);
    rerecord(dir);
    const tsconfig = JSON.parse(TSCONFIG);
    tsconfig.compilerOptions.strict = false;
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const run = lint(dir);
    assert.ok(!run.replayed);
    assert.equal(run.linted, 4);
  });

  test('a new file in a linted directory, or a deleted one: the ordinary path', () => {
    const dir = makeProject();
    recorded(dir);
    writeFiles(dir, { 'src/sub/more.ts': 'async function ping(): Promise<void> {}\n\nexport function go(): void {\n  ping();\n}\n' });
    const added = lint(dir);
    assert.ok(!added.replayed);
    assert.deepEqual(floating(added.stdout), ['more.ts:4', 'report.ts:4']);
    assert.equal(added.stdout, plain(dir));
    rerecord(dir);
    fs.rmSync(path.join(dir, 'src/report.ts'));
    const removed = lint(dir);
    assert.ok(!removed.replayed);
    assert.deepEqual(floating(removed.stdout), ['more.ts:4']);
    assert.equal(removed.stdout, plain(dir));
  });

  test('a run that lints files leaves the record: the report replayed is the cold run\'s, after edits of a leaf, an import, a config', () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    // A setting of speed only (the daemon's, the parse snapshot's) is no part of the invocation.
    const first = lint(dir, undefined, { RACELINT_DAEMON_IDLE_MS: '60000' });
    assert.equal(first.linted, 4);
    assert.match(first.stderr, /will be replayed by the launcher/);
    const again = lint(dir);
    assert.ok(again.replayed, again.stderr);
    assert.equal(again.stdout, first.stdout);
    assert.equal(again.stdout, plain(dir));
    const edits: Array<[string, () => void, string[]]> = [
      ['a leaf', () => fs.appendFileSync(path.join(dir, 'src/sub/leaf.ts'), 'async function ping(): Promise<void> {}\nexport function go(): void {\n  ping();\n}\n'), ['leaf.ts:4', 'report.ts:4']],
      ['an import', () => fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n'), ['app.ts:4', 'leaf.ts:4', 'report.ts:4']],
      ['a config', () => fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: { 'floating-promise': 'warn' } })), ['app.ts:4', 'leaf.ts:4', 'report.ts:4']],
    ];
    for (const [what, edit, expected] of edits) {
      edit();
      const linted = lint(dir);
      assert.ok(!linted.replayed, what);
      assert.ok(linted.linted > 0, what);
      assert.deepEqual(floating(linted.stdout), expected, what);
      assert.equal(linted.stdout, plain(dir), what);
      const replayed = lint(dir);
      assert.ok(replayed.replayed, `${what}: ${replayed.stderr}`);
      assert.equal(replayed.stdout, linted.stdout, what);
      assert.equal(replayed.code, linted.code, what);
    }
    assert.equal(lint(dir).code, 0, 'floating-promise is a warning now');
  });

  test('a run that lints files leaves no record when the cache would not answer its report', () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    // A file over --max-file-size is skipped, and a skip is not cached: the next run looks again.
    writeFiles(dir, { 'src/big.ts': `export const big = '${'x'.repeat(3000)}';\n` });
    const args = ['-f', 'json', '--max-file-size', '2', 'src'];
    const first = lint(dir, args);
    assert.match(first.stderr, /no replay record: 1 files would not be answered from the cache/);
    const second = lint(dir, args);
    assert.ok(!second.replayed);
    assert.equal(second.stdout, first.stdout);
  });

  test('CI: a run that lints files leaves no record', () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const run = lint(dir, undefined, { CI: 'true' });
    assert.equal(run.linted, 4);
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/.cache/racelint/replay.json')));
    assert.ok(!lint(dir).replayed);
  });

  test('--fix and -o are never replayed', () => {
    const dir = makeProject();
    const out = path.join(dir, 'report.json');
    for (let i = 0; i < 3; i++) {
      fs.rmSync(out, { force: true });
      const run = lint(dir, ['-f', 'json', '-o', out, 'src']);
      assert.ok(!run.replayed);
      assert.ok(fs.existsSync(out), 'the report file is written every time');
    }
    for (let i = 0; i < 2; i++) assert.ok(!lint(dir, ['-f', 'json', '--fix', 'src']).replayed);
  });
});
