// The core on input that is too deep, too odd or too broken to analyse: it reports why and
// keeps working; it never throws out of the Linter or leaves a project unusable.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import type { FileResult } from '../../server/src/core/findings';
import { applyFixes } from '../../server/src/core/fixes';
import type { ResolvedConfig } from '../../server/src/core/config';
import { Linter, MAX_FINDINGS_PER_RULE, runRules } from '../../server/src/core/linter';
import type { AnyRule } from '../../server/src/core/rule';
import { positionOf, rangeOf } from '../../server/src/core/positions';
import { applySuppressions, disableNextLineFix, parseDirectives } from '../../server/src/core/suppressions';
import { tempDir } from '../support/tempDirs';

function tempProject(files: Record<string, string>): string {
  const dir = tempDir('racelint-hardening-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "t", "private": true }\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const FLOATING = 'async function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n';
const DEEP = `export const nested = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`;

function kinds(r: FileResult): string[] {
  return r.problems.map((p) => p.kind);
}

test('a file nested too deeply for the parser is skipped with a reason, not an internal error', () => {
  const dir = tempProject({ 'deep.ts': DEEP });
  const linter = new Linter({ cwd: dir });
  const r = linter.lintFile(path.join(dir, 'deep.ts'));
  assert.deepEqual(kinds(r), ['skipped']);
  assert.match(r.problems[0].message, /nested too deeply/);
});

test('an editor buffer that becomes too deep, then normal again, is linted normally afterwards', () => {
  const dir = tempProject({ 'a.ts': FLOATING });
  const file = path.join(dir, 'a.ts');
  const linter = new Linter({ cwd: dir });
  assert.deepEqual(linter.lintFile(file).findings.map((f) => f.ruleId), ['floating-promise']);
  linter.setFileText(file, DEEP);
  assert.deepEqual(kinds(linter.lintFile(file)), ['skipped']);
  linter.setFileText(file, FLOATING);
  const after = linter.lintFile(file);
  assert.deepEqual(after.problems, []);
  assert.deepEqual(after.findings.map((f) => [f.ruleId, f.range.start.line]), [['floating-promise', 2]]);
});

test('one deeply nested file does not stop the other files of its tsconfig project from being linted', () => {
  const dir = tempProject({
    'tsconfig.json': '{ "compilerOptions": { "strict": true, "target": "ES2022" }, "include": ["src"] }',
    'src/deep.ts': DEEP,
    'src/a.ts': FLOATING,
  });
  const linter = new Linter({ cwd: dir });
  const a = linter.lintFile(path.join(dir, 'src/a.ts'));
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.findings.map((f) => f.ruleId), ['floating-promise']);
  assert.deepEqual(kinds(linter.lintFile(path.join(dir, 'src/deep.ts'))), ['skipped']);
});

test('positions count lines as editors do: U+2028 and U+2029 inside a string do not end a line', () => {
  const text = 'const s = "a\u2028b\u2029c";\r\nasync function save(): Promise<void> {}\rsave();\n';
  const dir = tempProject({ 'a.ts': text });
  const linter = new Linter({ cwd: dir });
  const r = linter.lintFile(path.join(dir, 'a.ts'));
  const f = r.findings.find((x) => x.ruleId === 'floating-promise');
  assert.ok(f, JSON.stringify(r));
  assert.deepEqual(f.range.start, { line: 2, character: 0 });
  assert.equal(f.startOffset, text.indexOf('save();'));
  // TypeScript's own line map says line 4, which is where the difference would show.
  const sf = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest);
  assert.equal(sf.getLineAndCharacterOfPosition(f.startOffset).line, 4);
  assert.deepEqual(positionOf(sf, f.startOffset), { line: 2, character: 0 });
});

test('suppression directives and their editor fixes use the same lines as findings after a U+2028', () => {
  const text = 'const s = "a\u2028b";\n// racelint-disable-next-line floating-promise\nsave();\nsave();\n';
  const sf = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
  const [d] = parseDirectives(sf);
  assert.equal(d.targetLine, 2);
  const at = (n: number) => {
    const start = text.indexOf('save();', n);
    return { file: 'a.ts', ruleId: 'floating-promise', severity: 'warning' as const, message: 'm', range: rangeOf(sf, start, start + 6), startOffset: start, endOffset: start + 6, related: [], fixes: [], suggestions: [] };
  };
  const first = at(0);
  const second = at(first.startOffset + 1);
  const result = applySuppressions(sf, [first, second], new Set(['floating-promise']), new Set(['floating-promise']));
  assert.deepEqual(result.kept.map((f) => f.range.start.line), [3]);
  // The "disable for this line" edit goes at the start of the finding's line, not inside the string.
  const fix = disableNextLineFix(sf, second.startOffset, 'floating-promise');
  assert.equal(fix.edits[0].start, second.startOffset);
});

test('fixFile reports a rule fix with malformed edits instead of throwing', () => {
  const dir = tempProject({ 'a.ts': FLOATING });
  const file = path.join(dir, 'a.ts');
  const linter = new Linter({ cwd: dir });
  const lintFile = linter.lintFile.bind(linter);
  // A rule bug: a fix whose edits overlap.
  linter.lintFile = (f, c) => {
    const r = lintFile(f, c);
    for (const finding of r.findings) finding.fixes = [{ description: 'bad', edits: [{ start: 0, end: 5, text: 'x' }, { start: 3, end: 8, text: 'y' }] }];
    return r;
  };
  const r = linter.fixFile(file);
  assert.equal(r.fixedSource, undefined);
  assert.ok(r.problems.some((p) => p.kind === 'internal-error' && /stopped fixing/.test(p.message)), JSON.stringify(r.problems));
  linter.lintFile = lintFile;
  assert.deepEqual(linter.lintFile(file).findings.map((f) => f.ruleId), ['floating-promise'], 'the project still holds the original text');
});

test('applyFixes picks the same fixes as the pairwise definition of overlap', () => {
  // The reference: a fix is taken when none of its edits overlaps an edit already taken.
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start === b.start || (a.start < b.end && b.start < a.end);
  let seed = 42;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  const text = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (let round = 0; round < 500; round++) {
    const fixes = Array.from({ length: 1 + rand(12) }, (_, i) => {
      // Edits of one fix are disjoint, as applyEdits requires.
      const edits: Array<{ start: number; end: number; text: string }> = [];
      for (let k = rand(3) + 1, at = rand(8); k > 0 && at <= text.length; k--) {
        const end = Math.min(text.length, at + rand(4));
        edits.push({ start: at, end, text: `<${i}>` });
        at = end + 1 + rand(6);
      }
      return { description: `f${i}`, edits };
    });
    const taken: Array<{ start: number; end: number }> = [];
    const expected: string[] = [];
    for (const f of fixes) {
      if (f.edits.length === 0 || f.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
      expected.push(f.description);
      taken.push(...f.edits);
    }
    const r = applyFixes(text, fixes);
    assert.deepEqual(r.applied.map((f) => f.description), expected, JSON.stringify(fixes));
  }
});

test('rules stop when the file\'s time budget is spent, say so, and report nothing partial', () => {
  const sf = ts.createSourceFile('/t/a.ts', 'f();\ng();\n', ts.ScriptTarget.Latest, true);
  const host = ts.createCompilerHost({});
  const program = ts.createProgram({ rootNames: [], options: {}, host });
  const calls = sf.statements.map((s) => (s as ts.ExpressionStatement).expression);
  const slow: AnyRule = {
    id: 'floating-promise',
    description: 'test',
    defaultLevel: 'warn',
    requiresTypes: true,
    optionsSchema: {},
    parseOptions: () => ({}),
    check(ctx) {
      ctx.report({ node: calls[0], message: 'first' });
      // A rule that is slow on this file: 30 ms of CPU (not of the clock, which a loaded machine
      // stretches without the rule using any more of its budget).
      const start = process.cpuUsage();
      while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < 30) {
        // spin
      }
      ctx.checker.getTypeAtLocation(calls[1]);
      ctx.report({ node: calls[1], message: 'second' });
    },
  };
  const fast: AnyRule = { ...slow, id: 'lost-update', check: (ctx) => ctx.report({ node: calls[1], message: 'fast' }) };
  const config = (rules: AnyRule[]): ResolvedConfig => ({ baseDir: '/t', ignore: [], rules: new Map(rules.map((rule) => [rule.id, { rule, severity: 'warning' as const, options: {} }])) });

  const stopped = runRules(sf, program, config([slow, fast]), 10);
  assert.deepEqual(stopped.findings, []);
  assert.deepEqual(stopped.problems.map((p) => [p.kind, /^rule "([a-z-]+)" skipped: /.exec(p.message)?.[1]]), [
    ['skipped', 'floating-promise'],
    ['skipped', 'lost-update'],
  ]);
  assert.match(stopped.problems[0].message, /0\.01 s analysis time budget/);
  const unhurried = runRules(sf, program, config([slow, fast]), 10_000);
  assert.deepEqual(unhurried.findings.map((f) => f.message), ['first', 'second', 'fast']);
  assert.deepEqual(unhurried.problems, []);

  // The budget is CPU time: a rule that waits (as on a machine busy with other work) is not cut.
  const waiting: AnyRule = {
    ...slow,
    check(ctx) {
      ctx.report({ node: calls[0], message: 'before' });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 80);
      ctx.checker.getTypeAtLocation(calls[1]);
      ctx.report({ node: calls[1], message: 'after' });
    },
  };
  const waited = runRules(sf, program, config([waiting]), 40);
  assert.deepEqual(waited.problems, []);
  assert.deepEqual(waited.findings.map((f) => f.message), ['before', 'after']);
});

test('fixFile stops when fixes of two rules undo each other, instead of cycling', () => {
  const dir = tempProject({ 'a.ts': 'export let a = 1;\n' });
  const file = path.join(dir, 'a.ts');
  const linter = new Linter({ cwd: dir });
  let lints = 0;
  linter.lintFile = (f) => {
    lints++;
    const source = linter.projects.projectFor(f).project.getSourceFile(path.resolve(f))!.getFullText();
    const [from, to] = source.includes('let a') ? ['a', 'b'] : ['b', 'a'];
    const at = source.indexOf(`let ${from}`) + 4;
    const fix = { description: `rename ${from}`, edits: [{ start: at, end: at + 1, text: to }] };
    const finding = { file: f, ruleId: 'lost-update', severity: 'warning' as const, message: 'm', range: { start: { line: 0, character: at }, end: { line: 0, character: at + 1 } }, startOffset: at, endOffset: at + 1, related: [], fixes: [fix], suggestions: [] };
    return { file: f, findings: [finding], problems: [], source };
  };
  const r = linter.fixFile(file);
  assert.equal(lints, 2, 'lint, fix a->b, lint, and stop before b->a');
  assert.equal(r.fixedSource, 'export let b = 1;\n');
});

test('a file the type checker cannot handle (it runs out of stack) is skipped whole, and the other files of its program are checked normally', () => {
  const chain = `declare const p: Promise<number>;\nexport const q = p${'.then(() => 1)'.repeat(3000)};\n`;
  const dir = tempProject({
    'tsconfig.json': '{ "compilerOptions": { "strict": true, "target": "ES2022", "types": [] }, "include": ["src"] }',
    'src/chain.ts': chain,
    'src/a.ts': FLOATING,
  });
  const linter = new Linter({ cwd: dir });
  for (let round = 0; round < 2; round++) {
    const deep = linter.lintFile(path.join(dir, 'src/chain.ts'));
    assert.deepEqual(deep.findings, []);
    assert.deepEqual(deep.problems.map((p) => [p.kind, p.message]), [['skipped', 'skipped: the code is nested too deeply for TypeScript to analyse (it ran out of stack space)']]);
    const a = linter.lintFile(path.join(dir, 'src/a.ts'));
    assert.deepEqual(a.problems, []);
    assert.deepEqual(a.findings.map((f) => f.ruleId), ['floating-promise']);
  }
  // An edit that makes it checkable brings it back.
  linter.setFileText(path.join(dir, 'src/chain.ts'), 'declare const p: Promise<number>;\nexport const q = p.then(() => 1);\n');
  assert.deepEqual(linter.lintFile(path.join(dir, 'src/chain.ts')).problems, []);
});

test('a rule lists at most MAX_FINDINGS_PER_RULE findings per file and counts the rest', () => {
  const dir = tempProject({ 'gen.ts': `async function g(): Promise<void> {}\n${'g();\n'.repeat(MAX_FINDINGS_PER_RULE + 200)}` });
  const r = new Linter({ cwd: dir, onlyRules: ['floating-promise'] }).lintFile(path.join(dir, 'gen.ts'));
  assert.equal(r.findings.length, MAX_FINDINGS_PER_RULE);
  assert.deepEqual(r.problems.map((p) => [p.kind, p.message.replace(/ \(.*/, '')]), [['skipped', 'rule "floating-promise": 200 more findings in this file are not listed']]);
  assert.equal(r.problems[0].range.start.line, MAX_FINDINGS_PER_RULE, 'placed at the last finding listed');
});

test('fixes insert CRLF into a file whose lines all end in CRLF, and LF elsewhere', () => {
  const lf = [
    'let total = 0;',
    'async function price(): Promise<number> {',
    '  return 1;',
    '}',
    'export async function add(): Promise<void> {',
    '  total = total + (await price());',
    '}',
    'export async function all(): Promise<void> {',
    '  await Promise.all([add(), add()]);',
    '}',
    '',
  ].join('\n');
  const crlf = lf.replace(/\n/g, '\r\n');
  const dir = tempProject({ 'lf.ts': lf, 'crlf.ts': crlf });
  const linter = new Linter({ cwd: dir, onlyRules: ['lost-update'] });
  const editTexts = (name: string) => linter.lintFile(path.join(dir, name)).findings.flatMap((f) => [...f.fixes, ...f.suggestions].flatMap((x) => x.edits.map((e) => e.text)));
  const multiLine = (texts: string[]) => texts.filter((t) => t.includes('\n'));
  assert.ok(multiLine(editTexts('lf.ts')).length > 0, 'the rule offers a multi-line edit here');
  assert.ok(multiLine(editTexts('lf.ts')).every((t) => !t.includes('\r')));
  assert.ok(multiLine(editTexts('crlf.ts')).length > 0);
  assert.ok(multiLine(editTexts('crlf.ts')).every((t) => !/(^|[^\r])\n/.test(t)), JSON.stringify(editTexts('crlf.ts')));
});
