// The parse snapshot of `--cache` runs (server/src/cli/parseSnapshot.ts): a run that re-lints a
// few files starts from a V8 snapshot holding the project's trees, parsed and bound. It must give
// the report a run without it gives, whatever changed on disk since it was written, and a damaged
// snapshot must cost nothing but time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { CLI, racelint, writeFiles } from '../support/cli';
import { tempDir } from '../support/tempDirs';

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] },
  include: ['src'],
});

/** app.ts calls lib.ts's save() (sync for now); leaf.ts is imported by nobody; globals.d.ts declares a global. */
function makeProject(): string {
  const dir = tempDir('racelint-snapshot-');
  writeFiles(dir, {
    'tsconfig.json': TSCONFIG,
    'src/globals.d.ts': 'declare function telemetry(): Promise<void>;\n',
    'src/lib.ts': 'export function save(): void {}\n',
    'src/app.ts': "import { save } from './lib';\n\nexport function run(): void {\n  save();\n}\n",
    'src/leaf.ts': 'export const answer = 42;\n',
  });
  return dir;
}

const cacheDir = (dir: string) => path.join(dir, 'node_modules', '.cache', 'racelint');
const snapshots = (dir: string) => (fs.existsSync(cacheDir(dir)) ? fs.readdirSync(cacheDir(dir)).filter((n) => n.startsWith('parsed-')) : []);

interface Run {
  stdout: string;
  stderr: string;
  /** Trees taken from the snapshot and parsed afresh, from --debug. */
  taken?: number;
  parsed?: number;
}

function lint(dir: string, mode: 'sync' | 'off' | undefined, extra: string[] = []): Run {
  const r = racelint(['--cache', '--debug', '-f', 'json', ...extra, 'src'], dir, mode ? { RACELINT_PARSE_SNAPSHOT: mode } : { RACELINT_PARSE_SNAPSHOT: '' });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const m = /(\d+) files from the snapshot, (\d+) parsed afresh|(\d+) files parsed afresh, (\d+) from the snapshot/.exec(r.stderr);
  const taken = m ? Number(m[1] ?? m[4]) : undefined;
  const parsed = m ? Number(m[2] ?? m[3]) : undefined;
  return { stdout: r.stdout, stderr: r.stderr, taken, parsed };
}

/** The findings of a JSON report, by file name, rule and line. */
function findings(stdout: string): string[] {
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; message: string }> }>;
  return results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId} ${m.message}`)).sort();
}

/** The report of a run with neither the cache nor a snapshot. */
function fresh(dir: string): string[] {
  const r = racelint(['-f', 'json', 'src'], dir);
  return findings(r.stdout);
}

describe('the parse snapshot of --cache runs', () => {
  test('a run that re-lints a changed file takes the other trees from the snapshot and reports what a fresh run reports', () => {
    const dir = makeProject();
    const first = lint(dir, 'sync');
    assert.match(first.stderr, /parse snapshot written/);
    assert.equal(snapshots(dir).length, 1, `one snapshot in ${cacheDir(dir)}`);

    // The leaf now floats a promise of a global declared in a file the snapshot holds.
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), 'export function ping(): void {\n  telemetry();\n}\n');
    const second = lint(dir, undefined);
    assert.ok((second.taken ?? 0) > 0, `trees taken from the snapshot: ${second.stderr}`);
    assert.equal(second.parsed, 1, 'only the changed file is parsed');
    assert.deepEqual(findings(second.stdout), fresh(dir));
    assert.ok(findings(second.stdout).some((f) => f.startsWith('leaf.ts:3 floating-promise')), second.stdout);
  });

  test('a file that changed since the snapshot was written is parsed afresh, and its importers see the change', () => {
    const dir = makeProject();
    lint(dir, 'sync');
    // save() turns async: app.ts's call floats, though app.ts itself is the snapshot's text.
    fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n');
    const run = lint(dir, undefined);
    assert.ok((run.taken ?? 0) > 0, run.stderr);
    assert.deepEqual(findings(run.stdout), fresh(dir));
    assert.ok(findings(run.stdout).some((f) => f.startsWith('app.ts:4 floating-promise')), run.stdout);
  });

  test('a damaged snapshot is removed and the run goes on without it', () => {
    const dir = makeProject();
    lint(dir, 'sync');
    const [name] = snapshots(dir);
    assert.ok(name);
    fs.writeFileSync(path.join(cacheDir(dir), name), 'not a snapshot');
    fs.appendFileSync(path.join(dir, 'src/lib.ts'), '// edited\n');
    const r = racelint(['--cache', '-f', 'json', 'src'], dir, { RACELINT_PARSE_SNAPSHOT: '' });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.deepEqual(findings(r.stdout), fresh(dir));
    assert.ok(!fs.existsSync(path.join(cacheDir(dir), name)), 'the damaged snapshot is gone');
  });

  test('a snapshot node cannot start from is not kept', () => {
    const dir = makeProject();
    const r = racelint(['--cache', '--debug', '-f', 'json', 'src'], dir, { RACELINT_PARSE_SNAPSHOT: 'sync', RACELINT_PARSE_SNAPSHOT_DAMAGE: '1' });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /parse snapshot not written: the snapshot builder wrote a snapshot node cannot start from, twice/);
    assert.deepEqual(snapshots(dir).filter((n) => n.endsWith('.blob') || n.endsWith('.tmp')), []);
    assert.deepEqual(findings(r.stdout), fresh(dir));
  });

  test('RACELINT_PARSE_SNAPSHOT=off neither writes nor reads one, and a short run writes none by default', () => {
    const dir = makeProject();
    lint(dir, 'off');
    assert.deepEqual(snapshots(dir), []);
    fs.appendFileSync(path.join(dir, 'src/lib.ts'), '// edited\n');
    const short = lint(dir, undefined);
    assert.match(short.stderr, /parse snapshot not written \(.*(too short|not written on CI)/);
    assert.deepEqual(snapshots(dir), []);
  });
});

/** A --cache --debug run of the CLI under node started with `nodeFlags`. */
function lintUnder(dir: string, nodeFlags: string[], mode: 'sync' | ''): Run {
  const r = spawnSync(process.execPath, [...nodeFlags, CLI, '--cache', '--debug', '-f', 'json', 'src'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', RACELINT_PARSE_SNAPSHOT: mode, RACELINT_DAEMON: 'off' },
    timeout: 120_000,
  });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const m = /(\d+) files from the snapshot|(\d+) from the snapshot/.exec(r.stderr);
  return { stdout: r.stdout, stderr: r.stderr, taken: m ? Number(m[1] ?? m[2]) : undefined };
}

describe('the run a --cache run hands over to', () => {
  test('is started with the node flags the run was started with, which the snapshot was built with', () => {
    const dir = makeProject();
    const flags = ['--max-old-space-size=3000'];
    lintUnder(dir, flags, 'sync');
    const [name] = snapshots(dir).filter((n) => n.endsWith('.blob'));
    assert.ok(name, 'a snapshot was written');
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), 'export function ping(): void {\n  telemetry();\n}\n');
    const run = lintUnder(dir, flags, '');
    assert.ok((run.taken ?? 0) > 0, `trees taken from the snapshot: ${run.stderr}`);
    assert.ok(fs.existsSync(path.join(cacheDir(dir), name)), 'the snapshot is still there');
    assert.deepEqual(findings(run.stdout), fresh(dir));
  });


  test('gets the files and the cache plan, so what finding the files had to say is said once', () => {
    const dir = makeProject();
    writeFiles(dir, { 'racelint.json': JSON.stringify({ ignore: ['src/generated.ts'] }), 'src/generated.ts': 'export const x = 1;\n' });
    lint(dir, 'sync');
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), 'export function ping(): void {\n  telemetry();\n}\n');
    const r = racelint(['--cache', '--debug', '-f', 'json', 'src', 'src/generated.ts'], dir, { RACELINT_PARSE_SNAPSHOT: '' });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /files and cache plan handed over by the run that started this one/);
    assert.equal(r.stderr.match(/generated\.ts is ignored/g)?.length, 1, r.stderr);
    assert.deepEqual(findings(r.stdout), fresh(dir));
  });

  test('resolves an import afresh when a file appeared that it now resolves to', () => {
    const dir = makeProject();
    writeFiles(dir, {
      'src/util/index.ts': 'export function flush(): void {}\n',
      'src/job.ts': "import { flush } from './util';\n\nexport function run(): void {\n  flush();\n}\n",
    });
    lint(dir, 'sync');
    // util.ts comes before util/index.ts for './util', and its flush() is async.
    writeFiles(dir, { 'src/util.ts': 'export async function flush(): Promise<void> {}\n' });
    const run = lint(dir, undefined);
    assert.ok((run.taken ?? 0) > 0, run.stderr);
    assert.deepEqual(findings(run.stdout), fresh(dir));
    assert.ok(findings(run.stdout).some((f) => f.startsWith('job.ts:4 floating-promise')), run.stdout);
  });
});

/** A --cache --debug run as a developer's machine makes it (not CI, which the launcher leaves alone). */
function lintLocal(dir: string, extra: string[] = []): Run & { code: number } {
  const r = racelint(['--cache', '--debug', '-f', 'json', ...extra, 'src'], dir, { RACELINT_PARSE_SNAPSHOT: '', CI: '' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}
const BY_LAUNCHER = /started from the parse snapshot by the launcher \(([^)]*) changed since the last run\)/;
const HANDED_OVER = /files and cache plan handed over by the run that started this one/;

describe('the launcher (bin/parse-snapshot-start.js)', () => {
  test('starts a --cache run whose files changed from the snapshot without the hand-over, with the report of a fresh run', () => {
    const dir = makeProject();
    lint(dir, 'sync', []);
    assert.ok(fs.existsSync(path.join(cacheDir(dir), 'snapshot-stamp.json')), 'the run left a stamp');
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), 'export function ping(): void {\n  telemetry();\n}\n');
    const run = lintLocal(dir);
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
    assert.equal(BY_LAUNCHER.exec(run.stderr)?.[1], path.join('src', 'leaf.ts'), run.stderr);
    assert.doesNotMatch(run.stderr, HANDED_OVER);
    assert.match(run.stderr, /linted 1 of 3 files \(2 from cache\)/);
    assert.deepEqual(findings(run.stdout), fresh(dir));
    assert.ok(findings(run.stdout).some((f) => f.startsWith('leaf.ts:3 floating-promise')), run.stdout);
  });

  test('does not start it when nothing changed, nor for other arguments; a file touched but not changed costs one start', () => {
    const dir = makeProject();
    lint(dir, 'sync', []);
    const same = lintLocal(dir);
    assert.doesNotMatch(same.stderr, BY_LAUNCHER);
    assert.doesNotMatch(same.stderr, HANDED_OVER);
    assert.match(same.stderr, /linted 0 of 3 files/);
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), '// edited\n');
    assert.doesNotMatch(lintLocal(dir, ['--quiet']).stderr, BY_LAUNCHER, 'other arguments: not the stamp of this invocation');
    const leaf = path.join(dir, 'src/leaf.ts');
    // --quiet's run left its own stamp; this one's, then a touch without a change.
    lintLocal(dir);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(leaf, later, later);
    const touched = lintLocal(dir);
    assert.match(touched.stderr, BY_LAUNCHER);
    assert.match(touched.stderr, /linted 0 of 3 files/);
    assert.deepEqual(findings(touched.stdout), fresh(dir));
    assert.doesNotMatch(lintLocal(dir).stderr, BY_LAUNCHER, 'the wrong guess renewed the stamp');
  });

  test('a file the stamp does not know leaves the run to the hand-over, which lints it', () => {
    const dir = makeProject();
    lint(dir, 'sync', []);
    writeFiles(dir, { 'src/extra.ts': 'export function go(): void {\n  telemetry();\n}\n' });
    const run = lintLocal(dir);
    assert.doesNotMatch(run.stderr, BY_LAUNCHER);
    assert.match(run.stderr, HANDED_OVER);
    assert.deepEqual(findings(run.stdout), fresh(dir));
    assert.ok(findings(run.stdout).some((f) => f.startsWith('extra.ts:2 floating-promise')), run.stdout);
  });

  test('a damaged snapshot it starts from is removed and the run goes on without it', () => {
    const dir = makeProject();
    lint(dir, 'sync', []);
    const [name] = snapshots(dir).filter((n) => n.endsWith('.blob'));
    assert.ok(name);
    fs.writeFileSync(path.join(cacheDir(dir), name), 'not a snapshot');
    fs.appendFileSync(path.join(dir, 'src/lib.ts'), '// edited\n');
    const run = lintLocal(dir);
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
    assert.match(run.stderr, /the parse snapshot could not start this run; going on without it/);
    assert.ok(!fs.existsSync(path.join(cacheDir(dir), name)), 'the damaged snapshot is gone');
    assert.deepEqual(findings(run.stdout), fresh(dir));
  });

  test('RACELINT_PARSE_SNAPSHOT=off and CI keep the ordinary path', () => {
    const dir = makeProject();
    lint(dir, 'sync', []);
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), '// edited\n');
    const ci = racelint(['--cache', '--debug', '-f', 'json', 'src'], dir, { RACELINT_PARSE_SNAPSHOT: '', CI: 'true' });
    assert.doesNotMatch(ci.stderr, BY_LAUNCHER);
    assert.match(ci.stderr, HANDED_OVER);
    fs.appendFileSync(path.join(dir, 'src/leaf.ts'), '// edited again\n');
    const off = racelint(['--cache', '--debug', '-f', 'json', 'src'], dir, { RACELINT_PARSE_SNAPSHOT: 'off', CI: '' });
    assert.doesNotMatch(off.stderr, BY_LAUNCHER);
    assert.doesNotMatch(off.stderr, HANDED_OVER);
  });
});
