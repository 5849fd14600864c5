// The real-fix regression suite: reductions of public race fixes (and, for some, the code before
// the fix). It guards precision where the race corpus cannot: each fixed file keeps the racy shape
// (a shared promise, a lock, a transaction, a conditional update, Atomics) that a rule may misread.
//
// Hard gates: no race finding on any fixed file; every buggy twin found today stays found; a twin
// listed in KNOWN_MISSES that is found fails until the list (and README.md) is updated. Kept apart
// from the corpus's bugs/safe counts, which are issue 4's acceptance measure.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { Linter } from '../../../server/src/core/linter';
import { RACE_RULES, type FoundAt } from '../corpus';
import { formatRealFixScore, KNOWN_MISSES, loadRealFixes, REAL_FIXES_DIR, scoreRealFixes } from './realFixes';

const cases = loadRealFixes();
const linter = new Linter({ cwd: REAL_FIXES_DIR, onlyRules: [...RACE_RULES] });
const results = new Map<string, ReturnType<Linter['lintFile']>>();
const rel = (file: string) => path.relative(REAL_FIXES_DIR, file);

function lint(file: string): ReturnType<Linter['lintFile']> {
  let result = results.get(file);
  if (!result) results.set(file, (result = linter.lintFile(file)));
  return result;
}

function findingsOf(file: string): FoundAt[] {
  return lint(file)
    .findings.filter((f) => (RACE_RULES as readonly string[]).includes(f.ruleId))
    .map((f) => ({ ruleId: f.ruleId, line: f.range.start.line, character: f.range.start.character, message: f.message }));
}

test('every case has a fixed file; buggy twins mark a race rule, fixed files mark nothing', () => {
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  for (const c of cases) {
    assert.ok(!/^\s*\/\/\s*\^+\s+[a-z-]+/m.test(fs.readFileSync(c.fixed, 'utf8')), `${rel(c.fixed)} has a marker`);
    if (!c.buggy) continue;
    assert.ok(c.buggy.markers.length > 0, `${rel(c.buggy.buggy)} has no marker`);
    for (const m of c.buggy.markers) assert.ok((RACE_RULES as readonly string[]).includes(m.ruleId), `${c.id}: unknown rule ${m.ruleId}`);
  }
});

test('every case cites its source in README.md, and every known miss is listed there', () => {
  const readme = fs.readFileSync(path.join(REAL_FIXES_DIR, 'README.md'), 'utf8');
  for (const c of cases) assert.ok(readme.includes(`\`${c.id}\``), `README.md does not list ${c.id}`);
  const known = readme.slice(readme.indexOf('## Known misses'));
  for (const id of KNOWN_MISSES.keys()) {
    assert.ok(cases.some((c) => c.id === id && c.buggy), `KNOWN_MISSES names ${id}, which has no buggy twin`);
    assert.ok(known.includes(`\`${id}\``), `README.md's known misses do not list ${id}`);
  }
});

test('real-fix files type-check and lint without problems', () => {
  const messages: string[] = [];
  for (const file of cases.flatMap((c) => (c.buggy ? [c.fixed, c.buggy.buggy] : [c.fixed]))) {
    const result = lint(file);
    for (const p of result.problems) if (p.kind !== 'unused-directive') messages.push(`${rel(file)}: ${p.message}`);
    const program = linter.projects.projectFor(file).program();
    const sf = program.getSourceFile(result.file);
    if (!sf) {
      messages.push(`${rel(file)}: not in the suite's program`);
      continue;
    }
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      if (d.category === ts.DiagnosticCategory.Error) messages.push(`${rel(file)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  assert.deepEqual(messages, []);
});

test('race rules: quiet on every fixed file, buggy twins found as before', () => {
  const score = scoreRealFixes(cases, findingsOf);
  console.log(`\nreal-fix suite (${cases.length} fixed files, ${score.twins.length} buggy twins)\n${formatRealFixScore(score)}\n`);
  const onFixed = score.fixed.flatMap(({ id, findings }) => findings.map((f) => `${id}: ${f.ruleId}@${f.line + 1}: ${f.message}`));
  assert.deepEqual(onFixed, [], 'findings on fixed files');
  assert.deepEqual(score.newMisses, [], 'buggy twins found before are missed now');
  assert.deepEqual(score.staleKnownMisses, [], 'known misses are found now: take them off KNOWN_MISSES (realFixes.ts) and README.md');
});
