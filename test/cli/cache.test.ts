// `--cache`: results are reused for files whose own text, imports (transitively), config and
// engine are unchanged, and recomputed as soon as any of them changes.
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

/** A small project: app.ts calls lib.ts's save(), report.ts floats a promise of its own. */
function makeProject(): string {
  const dir = tempDir('racelint-cache-');
  writeFiles(dir, {
    'tsconfig.json': TSCONFIG,
    'src/lib.ts': 'export function save(): void {}\n',
    'src/app.ts': "import { save } from './lib';\n\nexport function run(): void {\n  save();\n}\n",
    'src/report.ts': 'async function send(): Promise<void> {}\n\nexport function report(): void {\n  send();\n}\n',
    'src/leaf.ts': 'export const answer = 42;\n',
  });
  return dir;
}

interface Run {
  linted: number;
  total: number;
  fromCache: number;
  findings: Array<{ file: string; ruleId: string; line: number }>;
  stdout: string;
}

function lint(dir: string, extra: string[] = []): Run {
  const r = racelint(['--cache', '--debug', '-f', 'json', ...extra, 'src'], dir);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const m = /linted (\d+) of (\d+) files \((\d+) from cache\)/.exec(r.stderr);
  assert.ok(m, `no cache summary in: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>;
  const findings = results.flatMap((x) => x.messages.filter((msg) => msg.ruleId).map((msg) => ({ file: path.basename(x.filePath), ruleId: msg.ruleId, line: msg.line })));
  return { linted: Number(m[1]), total: Number(m[2]), fromCache: Number(m[3]), findings, stdout: r.stdout };
}

const floating = (run: Run) => run.findings.filter((f) => f.ruleId === 'floating-promise').map((f) => `${f.file}:${f.line}`).sort();

describe('--cache', () => {
  test('an unchanged tree is answered from the cache, with the same report', () => {
    const dir = makeProject();
    const cold = lint(dir);
    assert.equal(cold.linted, 4);
    assert.equal(cold.fromCache, 0);
    assert.deepEqual(floating(cold), ['report.ts:4']);
    assert.ok(fs.existsSync(path.join(dir, 'node_modules/.cache/racelint/results.json')), 'default cache location');
    const warm = lint(dir);
    assert.equal(warm.linted, 0);
    assert.equal(warm.fromCache, 4);
    assert.equal(warm.stdout, cold.stdout);
  });

  test('a changed file is linted again; files that do not import it are not', () => {
    const dir = makeProject();
    lint(dir);
    fs.appendFileSync(path.join(dir, 'src/report.ts'), '\nexport function again(): void {\n  send();\n}\n');
    const run = lint(dir);
    assert.equal(run.linted, 1);
    assert.equal(run.fromCache, 3);
    assert.deepEqual(floating(run), ['report.ts:4', 'report.ts:8']);
  });

  test('an imported function turning async re-lints its importers: the floating call appears', () => {
    const dir = makeProject();
    const before = lint(dir);
    assert.deepEqual(floating(before), ['report.ts:4']);
    fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n');
    const after = lint(dir);
    // lib.ts changed, app.ts imports it; report.ts and leaf.ts come from the cache.
    assert.equal(after.linted, 2);
    assert.equal(after.fromCache, 2);
    assert.deepEqual(floating(after), ['app.ts:4', 'report.ts:4']);
  });

  test('a transitive import counts too (re-exported through another module)', () => {
    const dir = makeProject();
    writeFiles(dir, {
      'src/index.ts': "export { save } from './lib';\n",
      'src/app.ts': "import { save } from './index';\n\nexport function run(): void {\n  save();\n}\n",
    });
    lint(dir);
    fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export async function save(): Promise<void> {}\n');
    const after = lint(dir);
    assert.deepEqual(floating(after), ['app.ts:4', 'report.ts:4']);
  });

  test('a config change re-lints every file it applies to', () => {
    const dir = makeProject();
    lint(dir);
    fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: { 'floating-promise': 'off' } }));
    const run = lint(dir);
    assert.equal(run.linted, 4);
    assert.deepEqual(floating(run), []);
    // --rule is part of the effective config as well.
    fs.rmSync(path.join(dir, 'racelint.json'));
    const onlyMisused = lint(dir, ['--rule', 'misused-promise']);
    assert.equal(onlyMisused.linted, 4);
    assert.deepEqual(floating(onlyMisused), []);
  });

  test('a compiler option change re-lints', () => {
    const dir = makeProject();
    lint(dir);
    const tsconfig = JSON.parse(TSCONFIG);
    tsconfig.compilerOptions.strict = false;
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    assert.equal(lint(dir).linted, 4);
  });

  test('results of another racelint version are not reused', () => {
    const dir = makeProject();
    lint(dir);
    const file = path.join(dir, 'node_modules/.cache/racelint/results.json');
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(typeof data.engine, 'string');
    data.engine = '0.0.1-older';
    fs.writeFileSync(file, JSON.stringify(data));
    const run = lint(dir);
    assert.equal(run.linted, 4);
    assert.equal(lint(dir).linted, 0, 'and the new results are cached under the new version');
  });

  test('--cache-location puts the cache where it is told; a corrupt cache is ignored', () => {
    const dir = makeProject();
    const location = path.join(dir, 'ci-cache');
    lint(dir, ['--cache-location', location]);
    assert.ok(fs.existsSync(path.join(location, 'results.json')));
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/.cache/racelint')));
    assert.equal(lint(dir, ['--cache-location', location]).linted, 0);
    fs.writeFileSync(path.join(location, 'results.json'), '{ not json');
    assert.equal(lint(dir, ['--cache-location', location]).linted, 4);
  });

  test('re-linting a touched leaf sees every global declaration and augmentation, as a cold run does', () => {
    // The program of a cached run has the misses as roots plus the files that may declare
    // globals; here none of those is imported by the leaf, and each changes the leaf's types.
    const dir = makeProject();
    writeFiles(dir, {
      'src/store.ts': 'export interface Store {\n  flush(): void;\n}\n\nexport function makeStore(): Store {\n  return {} as Store;\n}\n',
      // A module augmentation in a file nothing imports: Store gets a promise-returning method.
      'src/augment.ts': "import './store';\n\ndeclare module './store' {\n  interface Store {\n    sync(): Promise<void>;\n  }\n}\n",
      'src/global.ts': 'export {};\n\ndeclare global {\n  function stopJob(): Promise<void>;\n}\n',
      // A script: its ambient module declaration is visible to every file of the project.
      'src/ambient.ts': "declare module 'jobs' {\n  export function startJob(): Promise<void>;\n}\n",
      'src/worker.ts': "import { makeStore } from './store';\nimport { startJob } from 'jobs';\n\nexport function work(): void {\n  makeStore().sync();\n  startJob();\n  stopJob();\n}\n",
    });
    const cold = lint(dir);
    const leafFindings = (run: Run) => floating(run).filter((f) => f.startsWith('worker.ts:'));
    assert.deepEqual(leafFindings(cold), ['worker.ts:5', 'worker.ts:6', 'worker.ts:7']);
    fs.appendFileSync(path.join(dir, 'src/worker.ts'), '// touched\n');
    const warm = lint(dir);
    assert.equal(warm.linted, 1, 'only the touched leaf');
    assert.deepEqual(warm.findings, cold.findings);
  });

  test('a deleted import is noticed (the importer is linted again)', () => {
    const dir = makeProject();
    lint(dir);
    fs.rmSync(path.join(dir, 'src/lib.ts'));
    const run = lint(dir);
    assert.equal(run.linted, 1, 'app.ts');
    assert.equal(run.total, 3);
  });
});
