// `--shard i/n` and `racelint merge`: the shards of a run partition its files, and merging their
// reports gives back the unsharded report, finding for finding.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { racelint, writeFiles } from '../support/cli';
import { tempDir } from '../support/tempDirs';

function makeProject(): string {
  const dir = tempDir('racelint-shard-');
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] }, include: ['src'] }),
    'src/shared.ts': 'export async function save(id: number): Promise<number> {\n  return id;\n}\n',
  };
  for (let i = 0; i < 14; i++) {
    // Every file imports shared.ts, so a shard's program must still see it to type the calls.
    files[`src/part${i}.ts`] =
      `import { save } from './shared';\n\nexport function run${i}(): void {\n  save(${i});\n${i % 3 === 0 ? `  save(${i} + 1);\n` : ''}}\n`;
  }
  writeFiles(dir, files);
  return dir;
}

function json(dir: string, args: string[]): Array<{ filePath: string; messages: unknown[] }> {
  const r = racelint(['-f', 'json', ...args, 'src'], dir);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('--shard and merge', () => {
  test('the union of --shard 1/3, 2/3, 3/3 equals the unsharded result', () => {
    const dir = makeProject();
    const whole = json(dir, []);
    const findings = whole.reduce((n, x) => n + x.messages.length, 0);
    assert.ok(findings >= 19, `the fixture has findings (${findings})`);
    const shards = [1, 2, 3].map((i) => json(dir, ['--shard', `${i}/3`]));
    const names = shards.map((s) => s.map((x) => x.filePath));
    // A partition: disjoint, complete, and not all in one shard.
    assert.deepEqual(names.flat().sort(), whole.map((x) => x.filePath).sort());
    assert.equal(new Set(names.flat()).size, names.flat().length);
    assert.ok(names.filter((n) => n.length > 0).length >= 2, `split: ${names.map((n) => n.length)}`);
    // merge gives back the unsharded report exactly.
    shards.forEach((s, i) => fs.writeFileSync(path.join(dir, `shard${i + 1}.json`), JSON.stringify(s)));
    const merged = racelint(['merge', 'shard1.json', 'shard2.json', 'shard3.json'], dir);
    assert.equal(merged.code, 0, merged.stderr);
    assert.deepEqual(JSON.parse(merged.stdout), whole);
  });

  test('the split is stable: the same file always lands in the same shard', () => {
    const dir = makeProject();
    const a = json(dir, ['--shard', '2/3']).map((x) => x.filePath);
    fs.writeFileSync(path.join(dir, 'src/zz-new.ts'), 'export const x = 1;\n');
    const b = json(dir, ['--shard', '2/3']).map((x) => x.filePath);
    assert.deepEqual(b.filter((f) => !f.endsWith('zz-new.ts')), a, 'adding a file moves no other file');
  });

  test('sarif shards merge into one valid log with every result', () => {
    const dir = makeProject();
    const whole = JSON.parse(racelint(['-f', 'sarif', 'src'], dir).stdout);
    for (const i of [1, 2, 3]) {
      const r = racelint(['-f', 'sarif', '--shard', `${i}/3`, '-o', `s${i}.sarif`, 'src'], dir);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
    }
    const merged = racelint(['merge', '-f', 'sarif', '-o', 'all.sarif', 's1.sarif', 's2.sarif', 's3.sarif'], dir);
    assert.equal(merged.code, 0, merged.stderr);
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'all.sarif'), 'utf8'));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.deepEqual(log.runs[0].tool, whole.runs[0].tool);
    const key = (r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) =>
      `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}:${r.ruleId}`;
    assert.deepEqual(log.runs[0].results.map(key).sort(), whole.runs[0].results.map(key).sort());
    assert.ok(log.runs[0].results.length >= 19);
    const schemaFile = path.join(__dirname, '..', '..', 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    if (fs.existsSync(schemaFile)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const AjvDraft04 = require('ajv-draft-04');
      const validate = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
      assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    }
  });

  test('a run over part of a project still sees the declarations its files use without importing', () => {
    // The program of a partial run (one shard, one file, the cache's misses) gets the linted files
    // and the files that may declare globals as roots; a script's function is global.
    const dir = makeProject();
    writeFiles(dir, {
      'src/globals.ts': 'async function startJob(): Promise<void> {}\n',
      'src/ambient.ts': "export {};\ndeclare global {\n  function stopJob(): Promise<void>;\n}\n",
      'src/jobs.ts': 'namespace Jobs {\nexport async function drain(): Promise<void> {}\n}\n',
      'src/uses-globals.ts': 'export function kick(): void {\n  startJob();\n  stopJob();\n  Jobs.drain();\n}\n',
    });
    const lines = (args: string[]) =>
      json(dir, args)
        .filter((x) => x.filePath.endsWith('uses-globals.ts'))
        .flatMap((x) => (x.messages as Array<{ ruleId: string; line: number }>).filter((m) => m.ruleId === 'floating-promise').map((m) => m.line));
    assert.deepEqual(lines([]), [2, 3, 4]);
    const r = racelint(['-f', 'json', 'src/uses-globals.ts'], dir);
    const one = (JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string; line: number }> }>)[0].messages.filter((m) => m.ruleId === 'floating-promise');
    assert.deepEqual(one.map((m) => m.line), [2, 3, 4]);
  });

  test('what the race rules read in other files comes from the linted file\'s imports, so part of a run finds what the whole run does', () => {
    // Whether a class is one caller's object depends on how it is made: runner.ts imports the
    // driver whose factory hands a fresh Runner to each caller. keeper.ts, which runner.ts does
    // not import, keeps one at module scope. A run over runner.ts alone (or its shard, or a
    // cache miss) never loads keeper.ts, so the whole run must not read it either.
    const dir = makeProject();
    writeFiles(dir, {
      'src/driver.ts':
        "import { Runner } from './runner';\n\nexport class Driver {\n  createRunner(): Runner {\n    return new Runner(this);\n  }\n\n  async migrate(): Promise<void> {\n    const runner = this.createRunner();\n    await runner.start();\n  }\n}\n",
      'src/runner.ts':
        "import type { Driver } from './driver';\n\ndeclare function send(sql: string): Promise<void>;\n\nexport class Runner {\n  private depth = 0;\n  constructor(readonly driver: Driver) {}\n\n  async start(): Promise<void> {\n    if (this.depth === 0) await send('BEGIN');\n    this.depth += 1;\n  }\n}\n",
      'src/keeper.ts': "import { Driver } from './driver';\n\nexport const shared = new Driver().createRunner();\n",
    });
    const raceFindings = (args: string[], paths: string[]) => {
      const r = racelint(['-f', 'json', '--rule', 'check-then-act', '--rule', 'lost-update', ...args, ...paths], dir);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      return (JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>)
        .filter((x) => x.filePath.endsWith('runner.ts'))
        .flatMap((x) => x.messages.map((m) => `${m.ruleId}:${m.line}`));
    };
    const whole = raceFindings([], ['src']);
    assert.deepEqual(raceFindings([], ['src/runner.ts']), whole);
    assert.deepEqual([1, 2, 3].flatMap((i) => raceFindings(['--shard', `${i}/3`], ['src'])), whole);
    // The driver hands each caller its own runner, as far as runner.ts's imports show.
    assert.deepEqual(whole, []);
  });

  test('merge refuses mixed or foreign inputs, and bad --shard values are usage errors', () => {
    const dir = makeProject();
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(json(dir, ['--shard', '1/2'])));
    fs.writeFileSync(path.join(dir, 'b.sarif'), racelint(['-f', 'sarif', '--shard', '2/2', 'src'], dir).stdout);
    const mixed = racelint(['merge', 'a.json', 'b.sarif'], dir);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /b\.sarif is a sarif report; merging into json needs json inputs/);
    fs.writeFileSync(path.join(dir, 'c.json'), '{"hello": 1}');
    assert.equal(racelint(['merge', 'c.json'], dir).code, 2);
    for (const bad of ['0/3', '4/3', '1', 'a/b']) {
      const r = racelint(['--shard', bad, 'src'], dir);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--shard needs i\/n/);
    }
  });
});
