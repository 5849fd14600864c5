// The fuzz harness in `npm test`: a small fixed-seed run through every face, every saved case
// replayed, and the harness's own checks shown to catch what they claim to catch.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
// @ts-ignore: plain ES modules shared with the driver
import { checkFileResult, checkGithubReport, checkJsonReport, checkSarifReport } from './invariants.mjs';
// @ts-ignore
import { makeInput } from './mutations.mjs';
// @ts-ignore
import { watchBudget } from './budget.mjs';
import { tempDir } from '../support/tempDirs';

const REPO = path.resolve(__dirname, '..', '..');
const FUZZ = path.join(__dirname, 'fuzz.mjs');

function fuzz(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [FUZZ, ...args], { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('150 seeded inputs: no crash, hang or invalid output in the core, the CLI or the server', () => {
  const summaryFile = path.join(tempDir('racelint-fuzz-test-'), 'summary.json');
  const r = fuzz(['--seed', '20251125', '--count', '150', '--cli-every', '50', '--server-every', '50', '--huge-scale', '0.3', '--no-save', '--quiet', '--json', summaryFile]);
  const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : undefined;
  assert.ok(summary, `no summary; exit ${r.code}\n${r.stderr}`);
  assert.deepEqual(summary.failures, [], `failing inputs (regenerate one with: npm run fuzz -- --seed 20251125 --only <index>)`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary.inputs, 150);
  assert.deepEqual(summary.totals, { crashes: 0, hangs: 0, invalid: 0 });
  // The generator must keep producing every sort of input, or the run proves little.
  assert.ok(summary.parseErrors > 10, `only ${summary.parseErrors} inputs with parse errors`);
  assert.ok(summary.withFindings > 10, `only ${summary.withFindings} inputs with findings`);
  assert.ok(Object.keys(summary.skippedReasons).length > 0, 'no input was skipped');
  assert.equal(summary.faces.cli.ran, 3);
});

test('every saved fuzz case passes now', () => {
  const r = fuzz(['--replay']);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /core +ran [1-9]/);
});

test('inputs are a function of the seed and index', () => {
  const corpus = [{ path: 'a.ts', ext: '.ts', text: 'let n = 0;\nasync function f() {\n  n = n + (await g());\n}\n' }];
  for (const i of [0, 1, 17, 99]) {
    assert.deepEqual(makeInput(5, i, corpus).bytes, makeInput(5, i, corpus).bytes);
  }
  assert.notDeepEqual(makeInput(5, 1, corpus).bytes, makeInput(6, 1, corpus).bytes);
});

test('the invariants catch bad positions, bad edits and unparseable reports', () => {
  const text = 'ab\ncd\u2028ef\n';
  const finding = (over: object) => ({ file: 'a.ts', ruleId: 'r', severity: 'warning', message: 'm', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } }, startOffset: 3, endOffset: 5, related: [], fixes: [], suggestions: [], ...over });
  const violations = (over: object) => checkFileResult({ file: 'a.ts', findings: [finding(over)], problems: [], source: text }, text).violations as string[];
  assert.deepEqual(violations({}), []);
  assert.match(violations({ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } }, startOffset: 6, endOffset: 8 }).join(), /does not match offsets/);
  assert.match(violations({ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } } }).join(), /past the last line/);
  assert.match(violations({ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 7 } } }).join(), /past the end of its line/);
  assert.match(violations({ endOffset: 99 }).join(), /not a range within/);
  assert.match(violations({ fixes: [{ description: 'f', edits: [{ start: 0, end: 2, text: '' }, { start: 1, end: 3, text: '' }] }] }).join(), /overlap/);
  assert.match(violations({ suggestions: [{ description: 's', edits: [{ start: 5, end: 50, text: '' }] }] }).join(), /not a range within/);
  const crash = checkFileResult({ file: 'a.ts', findings: [], problems: [{ file: 'a.ts', kind: 'internal-error', severity: 'error', message: 'boom', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] }, text);
  assert.deepEqual(crash.crashes, ['boom']);
  assert.match(checkJsonReport('[{"filePath": "a.ts", "messages": [', new Map()).join(), /does not parse/);
  assert.match(checkJsonReport('[{"filePath":"a.ts","messages":[{"line":4,"column":1,"message":"m"}]}]', new Map([['a.ts', text]])).join(), /past the last line/);
  assert.match(checkSarifReport('{"version":"2.1.0","runs":[{"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"region":{"startLine":0}}}]}]}]}').join(), /count from 1/);
  assert.match(checkGithubReport('::warning file=a.ts::one\nsecond line\n').join(), /not an annotation/);
});

test('a hang is a child burning CPU past its budget, or idle past the wall-clock cap; a busy machine is neither', async () => {
  const { spawn } = await import('node:child_process');
  const watch = (code: string, budgetMs: number, wallFactor?: number) =>
    new Promise<{ cpuMs: number; wallMs: number }>((resolve) => {
      const p = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
      const stop = watchBudget(p.pid, budgetMs, (used: { cpuMs: number; wallMs: number }) => {
        p.kill('SIGKILL');
        resolve(used);
      }, wallFactor);
      p.on('exit', () => {
        stop();
        resolve({ cpuMs: -1, wallMs: -1 });
      });
    });
  // (A wall-clock cap far off: on a machine at load 20 a spinning child gets a tenth of a core, and
  // the default cap, five times the budget, would stop it before its CPU time shows.)
  const spinning = await watch('for (;;) {}', 400, 100);
  assert.ok(spinning.cpuMs > 400, JSON.stringify(spinning));
  const idle = await watch('setTimeout(() => {}, 60_000)', 300);
  assert.ok(idle.wallMs > 1500 && idle.cpuMs < 300, JSON.stringify(idle));
  const quick = await watch('let x = 0; for (let i = 0; i < 1e5; i++) x += i;', 5_000);
  assert.deepEqual(quick, { cpuMs: -1, wallMs: -1 }, 'a child that finishes in time is not reported');
});
