// The CLI at its limits: unwritable outputs, unreadable and special files, symlink loops, paths
// outside the project, broken tsconfigs, oversized, binary, deeply nested and broken files, and
// --fix that must never write a file that changed meanwhile or would not parse. Every skipped
// file is listed with its reason; nothing hangs; exit codes stay 0/1/2.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ts } from 'ts-morph';
import { writeFixed, writeReport } from '../../server/src/cli/main';
import { CLI, REPO, racelint, writeFiles } from '../support/cli';
import { trappedWorkspace } from '../support/workspaceTraps';
import { tempDir as newTempDir } from '../support/tempDirs';

const FLOATING = 'async function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n';
const CLEAN = 'export const answer = 42;\n';

function tempDir(files: Record<string, string> = {}): string {
  const dir = newTempDir('racelint-hardening-');
  writeFiles(dir, { 'package.json': '{ "name": "t", "private": true }\n', ...files });
  return dir;
}

interface JsonFile {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string; severity: number; fatal?: boolean; line: number }>;
  output?: string;
}

function json(stdout: string): Map<string, JsonFile> {
  return new Map((JSON.parse(stdout) as JsonFile[]).map((f) => [path.basename(f.filePath), f]));
}

/** A run that finished and reported (exit 0 or 1: findings decide which), with no internal error. */
function assertRan(r: { code: number; stderr: string }): void {
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/);
}

function messagesOf(files: Map<string, JsonFile>, name: string): string[] {
  const f = files.get(name);
  assert.ok(f, `${name} is not in the report (${[...files.keys()].join(', ')})`);
  return f.messages.map((m) => `${m.ruleId ?? 'racelint'}: ${m.message}`);
}

describe('outputs that cannot be written', () => {
  const dir = tempDir({ 'a.ts': CLEAN });
  const cases: Array<[string, RegExp]> = [
    // Node's recursive mkdir never returns here (the kernel answers ENOENT forever).
    ['/proc/nope/x', /^racelint: cannot write the report to \/proc\/nope\/x: a directory on the path does not exist and cannot be created \(ENOENT\)\n$/],
    ['a.ts/report.json', /^racelint: cannot write the report to a\.ts\/report\.json: a part of the path is a file, not a directory \(ENOTDIR\)\n$/],
    ['.', /^racelint: cannot write the report to \.: it is a directory \(EISDIR\)\n$/],
    ['/dev/full', /^racelint: cannot write the report to \/dev\/full: no space left on the device \(ENOSPC\)\n$/],
  ];
  for (const [target, expected] of cases) {
    test(`-o ${target} is exit 2 with a clear message`, () => {
      const r = racelint(['-f', 'json', '-o', target, 'a.ts'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, expected);
      assert.equal(r.stdout, '');
    });
  }

  test('a cache location that cannot be created is a warning, not a hang', () => {
    const r = racelint(['--cache-location', '/proc/nope', 'a.ts'], dir);
    assertRan(r);
    assert.match(r.stderr, /^racelint: warning: cannot write the cache to \/proc\/nope\/results\.json: ENOENT$/m);
  });

  test('-o creates missing directories', () => {
    const r = racelint(['-f', 'json', '-o', 'reports/deep/er/out.json', 'a.ts'], dir);
    assertRan(r);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'reports/deep/er/out.json'), 'utf8')).length, 1);
    assert.equal(writeReport('/proc/nope/deeper/x.json', ''), 'a directory on the path does not exist and cannot be created (ENOENT)');
  });
});

describe('files that cannot be linted are listed with the reason, and the rest are linted', () => {
  test('a named pipe is skipped, not read (reading it would block forever)', () => {
    const dir = tempDir({ 'a.ts': FLOATING });
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    const named = racelint(['-f', 'json', 'pipe.ts', 'a.ts'], dir);
    assertRan(named);
    const files = json(named.stdout);
    assert.deepEqual(messagesOf(files, 'pipe.ts'), ['racelint: skipped: not a regular file (a pipe, socket or device)']);
    assert.deepEqual(messagesOf(files, 'a.ts').map((m) => m.split(':')[0]), ['floating-promise']);
    // Found by walking a directory, it is not a source file at all.
    const walked = racelint(['-f', 'json', '.'], dir);
    assert.deepEqual([...json(walked.stdout).keys()], ['a.ts']);
  });

  test('a file that fails to read (EIO) is reported as unreadable', () => {
    const dir = tempDir({ 'a.ts': FLOATING });
    fs.symlinkSync('/proc/self/mem', path.join(dir, 'mem.ts'));
    const r = racelint(['-f', 'json', '.'], dir);
    const files = json(r.stdout);
    assert.match(messagesOf(files, 'mem.ts')[0], /^racelint: skipped: cannot be read \(EIO/);
    assert.equal(messagesOf(files, 'a.ts').length, 1);
  });

  test('a chmod 000 file and directory, linted by an ordinary user, are reported, not skipped silently', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the CLI as user "nobody" (tests run as root here)');
    const dir = tempDir({ 'a.ts': FLOATING, 'secret.ts': CLEAN, 'locked/b.ts': CLEAN });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'secret.ts'), 0o000);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    const r = spawnSync(process.execPath, [CLI, '-f', 'json', '.'], { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    if (r.error || /EACCES.*(node|racelint)/.test(r.stderr ?? '')) return t.skip(`user "nobody" cannot run the CLI here: ${r.error?.message ?? r.stderr}`);
    assertRan({ code: r.status ?? -1, stderr: r.stderr });
    assert.match(r.stderr, /^racelint: warning: cannot read the directory locked \(EACCES\); its files are not linted$/m);
    const files = json(r.stdout);
    assert.match(messagesOf(files, 'secret.ts')[0], /^racelint: skipped: cannot be read \(EACCES: permission denied/);
    assert.equal(messagesOf(files, 'a.ts').length, 1);
  });

  test('symlink loops end; each file is linted once; a looping or broken link to a source file is reported', () => {
    const dir = tempDir({ 'src/a.ts': FLOATING, 'src/nested/b.ts': CLEAN });
    fs.symlinkSync('..', path.join(dir, 'src/nested/up')); // src/nested/up -> src
    fs.symlinkSync('.', path.join(dir, 'src/self')); // src/self -> src
    fs.symlinkSync('nested', path.join(dir, 'src/again')); // a second way to the same directory
    fs.symlinkSync('loop.ts', path.join(dir, 'src/loop.ts')); // a link to itself
    fs.symlinkSync('missing.ts', path.join(dir, 'src/gone.ts')); // a broken link
    const r = racelint(['-f', 'json', 'src'], dir);
    assertRan(r);
    const reported = (JSON.parse(r.stdout) as JsonFile[]).map((f) => path.relative(dir, f.filePath)).sort();
    // b.ts is reached first through src/again (the walk is in name order), and only once.
    assert.deepEqual(reported, ['src/a.ts', 'src/again/b.ts', 'src/gone.ts', 'src/loop.ts']);
    const files = json(r.stdout);
    assert.match(messagesOf(files, 'loop.ts')[0], /^racelint: skipped: cannot be read \(ELOOP/);
    assert.match(messagesOf(files, 'gone.ts')[0], /^racelint: skipped: cannot be read \(ENOENT/);
  });

  test('binary, oversized, unparseable and too deeply nested files are each reported, and the good file is still linted', () => {
    const dir = tempDir({
      'good.ts': FLOATING,
      'broken.ts': 'export function f( {\n',
      'big.ts': `export const big = "${'x'.repeat(5000)}";\n`,
      'deep.ts': `export const deep = ${'['.repeat(1500)}${']'.repeat(1500)};\n`,
    });
    fs.writeFileSync(path.join(dir, 'blob.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    fs.writeFileSync(path.join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const r = racelint(['-f', 'json', '--max-file-size', '4', '.', 'image.png'], dir);
    assert.equal(r.code, 1, 'the parse error is an error');
    assert.doesNotMatch(r.stderr, /internal error/);
    const files = json(r.stdout);
    assert.deepEqual(messagesOf(files, 'good.ts').map((m) => m.split(':')[0]), ['floating-promise']);
    assert.match(messagesOf(files, 'broken.ts')[0], /^racelint: Parsing error: /);
    assert.match(messagesOf(files, 'big.ts')[0], /^racelint: skipped: 0\.0 MiB is over the 0\.0 MiB limit per file$/);
    assert.deepEqual(messagesOf(files, 'deep.ts'), ['racelint: skipped: the code is nested too deeply for TypeScript to analyse (it ran out of stack space)']);
    assert.deepEqual(messagesOf(files, 'blob.ts'), ['racelint: skipped: looks like a binary file (contains NUL bytes)']);
    assert.deepEqual(messagesOf(files, 'image.png'), ['racelint: skipped: looks like a binary file (contains NUL bytes)']);
  });

  test('a file outside the project is linted in an inferred project and reported by its path', () => {
    const outside = tempDir({ 'elsewhere.ts': FLOATING });
    const project = tempDir({ 'tsconfig.json': '{ "include": ["src"] }', 'src/a.ts': CLEAN });
    const rel = path.relative(project, path.join(outside, 'elsewhere.ts'));
    const r = racelint([rel], project);
    assertRan(r);
    assert.match(r.stdout, new RegExp(`^${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(r.stdout, /floating-promise/);
  });
});

describe('broken tsconfig files fall back to inferred options with a warning', () => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['extends a missing file', (d) => fs.writeFileSync(path.join(d, 'tsconfig.json'), '{ "extends": "./missing-base.json", "include": ["src"] }'), /^racelint: warning: tsconfig\.json Cannot read file '.*missing-base\.json'/m],
    ['is not an object', (d) => fs.writeFileSync(path.join(d, 'tsconfig.json'), 'null'), /^racelint: warning: tsconfig\.json is broken \(.*must be an object.*\); its files are linted with inferred compiler options$/m],
    ['has options of the wrong type', (d) => fs.writeFileSync(path.join(d, 'tsconfig.json'), '{ "include": 5, "compilerOptions": { "strict": "yes" } }'), /^racelint: warning: tsconfig\.json .*'include' requires a value of type Array/m],
    ['is a directory', (d) => fs.mkdirSync(path.join(d, 'tsconfig.json')), /^racelint: warning: tsconfig\.json is broken \(Cannot read file/m],
  ];
  for (const [name, breakIt, warning] of cases) {
    test(`a tsconfig.json that ${name}`, () => {
      const dir = tempDir({ 'src/a.ts': FLOATING });
      breakIt(dir);
      const r = racelint(['-f', 'json', 'src'], dir);
      assertRan(r);
      assert.match(r.stderr, warning);
      assert.deepEqual(messagesOf(json(r.stdout), 'a.ts').map((m) => m.split(':')[0]), ['floating-promise']);
    });
  }
});

describe('usage errors', () => {
  test('bad values and conflicting options are exit 2 with one line and no stack trace', () => {
    const dir = tempDir({ 'a.ts': CLEAN });
    const cases: Array<[string[], RegExp]> = [
      [['--max-file-size', '0'], /^racelint: --max-file-size needs a positive number of kilobytes, got "0"\n$/],
      [['--max-file-size', 'lots'], /^racelint: --max-file-size needs a positive number of kilobytes, got "lots"\n$/],
      [['-o'], /^racelint: option -o needs a value\n$/],
      [['--fix', '--fix-dry-run'], /^racelint: use either --fix or --fix-dry-run, not both\n$/],
      [['--output-file=', 'a.ts'], /^racelint: option --output-file needs a value\n$/],
      [['-\u202Ex'], /^racelint: unknown option "-\u202Ex" \(see racelint --help\)\n$/],
    ];
    // A negative number is a value, not an option.
    assert.equal(racelint(['--max-warnings', '-1', 'a.ts'], dir).code, 0);
    for (const [args, expected] of cases) {
      const r = racelint(args, dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, expected, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});

describe('--fix writes only what it linted, and only text that parses', () => {
  const parses = (file: string, text: string) => {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    return ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics ?? []).length === 0;
  };

  test('over the shared-memory fixtures: every written file is the reported output and parses', () => {
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'test/fixtures/rules/shared-memory'), path.join(dir, 'src'), { recursive: true });
    const before = new Map(fs.readdirSync(path.join(dir, 'src')).map((f) => [f, fs.readFileSync(path.join(dir, 'src', f), 'utf8')]));
    const r = racelint(['--fix', '-f', 'json', 'src'], dir);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    let written = 0;
    for (const f of JSON.parse(r.stdout) as JsonFile[]) {
      const now = fs.readFileSync(f.filePath, 'utf8');
      if (now === before.get(path.basename(f.filePath))) {
        assert.equal(f.output, undefined, `${f.filePath}: reported output that was not written`);
        continue;
      }
      written++;
      assert.equal(now, f.output, `${f.filePath}: disk differs from the reported output`);
      assert.ok(parses(f.filePath, now), `${f.filePath}: fixed file does not parse`);
    }
    assert.ok(written > 0, 'no fixture was fixed: the test proves nothing');
  });

  test('a file that changed on disk after it was linted is left alone', () => {
    const dir = tempDir({ 'a.ts': 'const a = 1;\n' });
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'const a = 1; // edited in the editor meanwhile\n');
    const log: string[] = [];
    assert.equal(writeFixed({ file, findings: [], problems: [], originalSource: 'const a = 1;\n', fixedSource: 'const a = 2;\n' }, (s) => log.push(s)), false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'const a = 1; // edited in the editor meanwhile\n');
    assert.deepEqual(log, [`racelint: not fixing ${file}: it changed on disk while racelint was running`]);
  });

  test('fixed text that would not parse is never written', () => {
    const dir = tempDir({ 'a.ts': 'const a = 1;\n' });
    const file = path.join(dir, 'a.ts');
    const log: string[] = [];
    assert.equal(writeFixed({ file, findings: [], problems: [], originalSource: 'const a = 1;\n', fixedSource: 'const a = ;\n' }, (s) => log.push(s)), false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'const a = 1;\n');
    assert.match(log[0], /not fixing .*a\.ts: the fixed text would not parse/);
  });

  test('a BOM is kept, and a write that fails is reported without stopping the run', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, '\ufeffconst a = 1;\n');
    assert.equal(writeFixed({ file, findings: [], problems: [], originalSource: 'const a = 1;\n', fixedSource: 'const a = 2;\n' }, () => {}), true);
    assert.equal(fs.readFileSync(file, 'utf8'), '\ufeffconst a = 2;\n');
    // /proc/version reads fine and refuses writes, even for root.
    const log: string[] = [];
    const current = fs.readFileSync('/proc/version', 'utf8');
    assert.equal(writeFixed({ file: '/proc/version', findings: [], problems: [], originalSource: current, fixedSource: 'export {};\n' }, (s) => log.push(s)), false);
    assert.match(log[0], /^racelint: not fixing \/proc\/version: cannot write it: /);
  });
});

describe('no workspace code runs', () => {
  test('linting, fixing, caching and printing the config of a workspace full of traps runs none of them', () => {
    const ws = trappedWorkspace();
    assert.equal(ws.springForProof(), 'RAN-tsconfig-plugin', 'the traps work when run');
    const runs = [
      ['-f', 'json', '.'],
      ['--fix', '-f', 'json', '.'],
      ['--cache', '.'],
      ['--print-config', 'src/a.ts'],
      ['-p', 'tsconfig.json', 'src'],
      ['scripts/job.js'],
    ];
    for (const args of runs) {
      const r = racelint(args, ws.dir);
      assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
      assert.deepEqual(ws.sprung(), [], `racelint ${args.join(' ')} ran workspace code`);
    }
    // And it did lint: the package.json#racelint config (JSON) applied.
    const r = racelint(['-f', 'json', 'src/a.ts'], ws.dir);
    assert.deepEqual(messagesOf(json(r.stdout), 'a.ts').map((m) => m.split(':')[0]), ['floating-promise']);
    assert.equal(r.code, 1);
  });
});

describe('--fix and bytes it did not fix', () => {
  test('a file that is not valid UTF-8 is not rewritten (its invalid bytes would become U+FFFD)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.ts');
    const bytes = Buffer.concat([Buffer.from('const a = 1; // caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    fs.writeFileSync(file, bytes);
    const text = bytes.toString('utf8');
    const log: string[] = [];
    assert.equal(writeFixed({ file, findings: [], problems: [], originalSource: text, fixedSource: text.replace('1', '2') }, (s) => log.push(s)), false);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.match(log[0], /not valid UTF-8/);
  });
});
