// The CLI as a spawned process: formats, exit codes, config errors, suppressions, bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { copyFixture, racelint, REPO, writeFiles } from '../support/cli';

const project = copyFixture('cli/project');

describe('formats', () => {
  test('stylish lists each problem under its file, with a summary', () => {
    const r = racelint(['src'], project);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^src\/orders\.ts$/m);
    assert.match(r.stdout, /^ {2}6:3 {2}error {2}.+ {2}floating-promise$/m);
    assert.match(r.stdout, /^src\/restock\.ts$/m);
    assert.match(r.stdout, /^ {2}4:15 {2}warning {2}.+ {2}misused-promise$/m);
    assert.doesNotMatch(r.stdout, /clean\.ts/);
    assert.match(r.stdout, /^ {2}6:3 {2}warning {2}Unused racelint-disable-next-line directive .+$/m);
    assert.match(r.stdout, /✖ 3 problems \(1 error, 2 warnings\)/);
  });

  test('json has the exact shape of ESLint\'s JSON formatter', () => {
    const r = racelint(['-f', 'json', 'src'], project);
    assert.equal(r.code, 1, r.stderr);
    const results = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      results.map((x) => path.relative(project, x.filePath as string)),
      ['src/clean.ts', 'src/orders.ts', 'src/restock.ts', 'src/suppressed.ts'],
    );
    for (const x of results) {
      const keys = Object.keys(x).filter((k) => k !== 'source');
      assert.deepEqual(keys, ['filePath', 'messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount', 'usedDeprecatedRules']);
      assert.ok(path.isAbsolute(x.filePath as string));
    }
    const orders = results[1];
    assert.equal(orders.errorCount, 1);
    assert.equal(orders.warningCount, 0);
    assert.equal(orders.source, fs.readFileSync(path.join(project, 'src/orders.ts'), 'utf8'));
    const [m] = orders.messages as Array<Record<string, unknown>>;
    assert.equal(m.ruleId, 'floating-promise');
    assert.equal(m.severity, 2);
    assert.equal(m.line, 6);
    assert.equal(m.column, 3);
    assert.equal(typeof m.endLine, 'number');
    assert.equal(typeof m.endColumn, 'number');
    assert.equal(typeof m.message, 'string');
    // Suggestions carry ESLint's { desc, fix: { range, text } } shape.
    for (const s of (m.suggestions as Array<{ desc: string; fix: { range: [number, number]; text: string } }>) ?? []) {
      assert.equal(typeof s.desc, 'string');
      assert.equal(s.fix.range.length, 2);
      assert.equal(typeof s.fix.text, 'string');
    }
    assert.equal(results[0].source, undefined, 'no source for a file without messages');
  });

  test('sarif is valid SARIF 2.1.0 with repo-relative URIs and rule metadata', () => {
    const r = racelint(['-f', 'sarif', 'src'], project);
    assert.equal(r.code, 1, r.stderr);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a SARIF log, checked against its schema below
    const log: any = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The schema's patterns are not all valid as unicode regexps.
    const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const valid: boolean = validate(log);
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(
      run.tool.driver.rules.map((x: { id: string }) => x.id),
      ['floating-promise', 'misused-promise', 'lost-update', 'check-then-act', 'shared-memory'],
    );
    for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
    const uris = run.results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }) => x.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(uris.map((u: { uri: string }) => u.uri).sort(), ['src/orders.ts', 'src/restock.ts']);
    assert.ok(uris.every((u: { uriBaseId: string }) => u.uriBaseId === '%SRCROOT%'));
    const orders = run.results.find((x: { ruleId: string }) => x.ruleId === 'floating-promise');
    assert.equal(orders.level, 'error');
    assert.deepEqual(orders.locations[0].physicalLocation.region.startLine, 6);
    assert.equal(run.tool.driver.rules[orders.ruleIndex].id, 'floating-promise');
  });

  test('sarif URIs are relative to the repository root, not the working directory', () => {
    const repo = copyFixture('cli/project');
    fs.mkdirSync(path.join(repo, '.git'));
    const r = racelint(['-f', 'sarif', '.'], path.join(repo, 'src'));
    const uris = JSON.parse(r.stdout).runs[0].results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('src/orders.ts'), uris.join(', '));
  });

  test('github prints one workflow annotation per problem', () => {
    const r = racelint(['-f', 'github', 'src'], project);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^::error file=src\/orders\.ts,line=6,endLine=6,col=3,endColumn=\d+,title=racelint\/floating-promise::.+$/);
    assert.match(lines[1], /^::warning file=src\/restock\.ts,line=4,endLine=\d+,col=15,endColumn=\d+,title=racelint\/misused-promise::.+$/);
    assert.match(lines[2], /^::warning file=src\/suppressed\.ts,line=6,endLine=6,col=3,endColumn=\d+,title=racelint::Unused racelint-disable-next-line directive/);
  });

  test('-o writes the report to a file and nothing to stdout', () => {
    const out = path.join(project, 'reports', 'racelint.json');
    const r = racelint(['-f', 'json', '-o', out, 'src'], project);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).length, 4);
  });
});

describe('exit codes', () => {
  test('0 when clean', () => {
    const r = racelint(['src/clean.ts'], project);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
  });

  test('1 when there are errors', () => {
    assert.equal(racelint(['src/orders.ts'], project).code, 1);
  });

  test('warnings alone exit 0, and 1 past --max-warnings', () => {
    assert.equal(racelint(['src/restock.ts'], project).code, 0);
    assert.equal(racelint(['--max-warnings', '1', 'src/restock.ts'], project).code, 0);
    const over = racelint(['--max-warnings', '0', 'src/restock.ts'], project);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings \(1\); the maximum is 0/);
  });

  test('--quiet reports errors only', () => {
    const r = racelint(['--quiet', 'src'], project);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /floating-promise/);
    assert.doesNotMatch(r.stdout, /misused-promise/);
  });

  test('2 for usage errors, with a one-line message and no stack trace', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /^racelint: unknown option "--bogus" \(see racelint --help\)\n$/],
      [['-f', 'xml'], /^racelint: unknown format "xml"; use one of: stylish, json, sarif, github\n$/],
      [['--max-warnings', 'many'], /^racelint: --max-warnings needs a whole number, got "many"\n$/],
      [['--rule', 'no-such-rule'], /^racelint: unknown rule "no-such-rule"; the rules are: floating-promise, /],
      [['--format'], /^racelint: option --format needs a value\n$/],
      [['no/such/path'], /^racelint: no such file or directory: no\/such\/path\n$/],
    ];
    for (const [args, re] of cases) {
      const r = racelint(args, project);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  test('--version and --help exit 0', () => {
    const v = racelint(['--version'], project);
    assert.equal(v.code, 0);
    assert.equal(v.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    const h = racelint(['--help'], project);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--max-warnings/);
  });
});

describe('configuration', () => {
  test('a broken racelint.json is exit 2 naming the file and the problem', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'racelint.json': '{ "rules": { "floating-promise": "loud" } }' });
    const r = racelint(['src'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /racelint\.json: "rules\.floating-promise": must be "off", "warn" or "error" \(got "loud"\)/);
    writeFiles(dir, { 'racelint.json': '{ "rules": ' });
    const broken = racelint(['src'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /racelint\.json: is not valid JSON/);
  });

  test('-c uses the given config for every file; --print-config shows it', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'strict.json': JSON.stringify({ rules: { 'misused-promise': 'error', 'floating-promise': 'off' } }) });
    const r = racelint(['-c', 'strict.json', 'src'], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /floating-promise/);
    assert.match(r.stdout, /4:15 {2}error .+misused-promise/);
    const printed = JSON.parse(racelint(['-c', 'strict.json', '--print-config', 'src/orders.ts'], dir).stdout);
    assert.equal(printed.configFile, path.join(dir, 'strict.json'));
    assert.equal(printed.rules['floating-promise'], undefined);
    assert.equal(printed.rules['misused-promise'][0], 'error');
  });

  test('--rule runs only the named rules', () => {
    const r = racelint(['--rule', 'misused-promise', 'src'], project);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /floating-promise/);
    assert.match(r.stdout, /misused-promise/);
  });

  test('config ignore globs skip files', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'racelint.json': JSON.stringify({ rules: { 'floating-promise': 'error' }, ignore: ['src/orders.ts'] }) });
    const r = racelint(['-f', 'json', '.'], dir);
    const files = JSON.parse(r.stdout).map((x: { filePath: string }) => path.relative(dir, x.filePath));
    assert.ok(!files.includes('src/orders.ts'), files.join(', '));
    assert.ok(files.includes('src/restock.ts'));
  });
});

describe('files', () => {
  test('suppression comments silence a finding, and an unused one is reported', () => {
    const r = racelint(['-f', 'json', 'src/suppressed.ts'], project);
    const [file] = JSON.parse(r.stdout);
    assert.deepEqual(
      file.messages.map((m: { ruleId: string | null; line: number; message: string }) => [m.ruleId, m.line]),
      [[null, 6]],
    );
    assert.match(file.messages[0].message, /Unused racelint-disable-next-line directive/);
    assert.equal(r.code, 0, 'an unused directive is a warning');
  });

  test('a file with a syntax error is reported and the others are still linted', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'src/broken.ts': 'export function f( {\n  return 1;\n' });
    const r = racelint(['-f', 'json', 'src'], dir);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ fatal?: boolean; message: string; ruleId: string | null }>; fatalErrorCount: number }>;
    const broken = results.find((x) => x.filePath.endsWith('broken.ts'))!;
    assert.equal(broken.fatalErrorCount, 1);
    assert.match(broken.messages[0].message, /^Parsing error: /);
    assert.ok(results.find((x) => x.filePath.endsWith('orders.ts'))!.messages.some((m) => m.ruleId === 'floating-promise'));
  });

  test('node_modules, .d.ts files, build output and .gitignored files are skipped', () => {
    const dir = copyFixture('cli/project');
    const floating = 'export async function a(): Promise<void> {}\nexport function b(): void { a(); }\n';
    writeFiles(dir, {
      'node_modules/dep/index.ts': floating,
      'dist/out.js': 'async function a() {}\na();\n',
      'src/types.d.ts': 'export declare function x(): Promise<void>;\n',
      'src/generated/gen.ts': floating,
      '.gitignore': 'src/generated/\n',
      'README.md': '# not code',
    });
    fs.mkdirSync(path.join(dir, '.git'));
    const r = racelint(['-f', 'json', '.'], dir);
    const files = JSON.parse(r.stdout).map((x: { filePath: string }) => path.relative(dir, x.filePath)).sort();
    assert.deepEqual(files, ['src/clean.ts', 'src/orders.ts', 'src/restock.ts', 'src/suppressed.ts']);
  });

  test('JavaScript files outside any tsconfig are linted in an inferred project', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'scripts/job.mjs': 'async function upload() {}\nexport function run() {\n  upload();\n}\n' });
    const r = racelint(['-f', 'json', 'scripts'], dir);
    const [file] = JSON.parse(r.stdout);
    assert.deepEqual(file.messages.map((m: { ruleId: string; line: number }) => [m.ruleId, m.line]), [['floating-promise', 3]]);
  });

  test('a missing tsconfig file given with --project is a usage error', () => {
    const r = racelint(['--project', 'nope/tsconfig.json', 'src'], project);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tsconfig ".*nope\/tsconfig\.json" does not exist/);
  });

  test('a broken tsconfig.json is a warning; its files are still linted', () => {
    const dir = copyFixture('cli/project');
    writeFiles(dir, { 'tsconfig.json': 'this is not json' });
    const r = racelint(['-f', 'json', 'src/orders.ts'], dir);
    assert.match(r.stderr, /racelint: warning: tsconfig\.json is broken \(.+\); its files are linted with inferred compiler options/);
    const [file] = JSON.parse(r.stdout);
    assert.deepEqual(file.messages.map((m: { ruleId: string }) => m.ruleId), ['floating-promise']);
    // A wrong option is named, and the rest of the tsconfig still applies.
    writeFiles(dir, { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: 'yes' }, include: ['src'] }) });
    const wrong = racelint(['-f', 'json', 'src/orders.ts'], dir);
    assert.match(wrong.stderr, /racelint: warning: tsconfig\.json Compiler option 'strict' requires a value of type boolean/);
    assert.deepEqual(JSON.parse(wrong.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId), ['floating-promise']);
  });
});
