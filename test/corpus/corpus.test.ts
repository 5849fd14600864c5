// Measures the race rules (lost-update, check-then-act, shared-memory) on the corpus of reduced
// real-world race bugs and safe idioms: recall over the bugs, false findings over the fixed and
// safe files. The table is printed on every run.
//
// The scoring test is a hard gate: recall of at least 90% (the acceptance floor) and no finding
// on a fixed or safe file. A second gate keeps every bug racelint finds today found: the corpus
// is the race rules' regression suite, and a bug lost on the way stays within 90% unnoticed. RACELINT_CORPUS_STRICT=0 turns the gate off (report only) while experimenting. The extra races of the
// promise rules (extra/) are already a hard test: floating-promise finds all of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { Linter } from '../../server/src/core/linter';
import { CORPUS_DIR, formatScore, loadCorpus, RACE_RULES, scoreCorpus, type FoundAt } from './corpus';

const MIN_RECALL = 0.9;
/** Bugs of the corpus racelint does not find (see README.md); any other miss is a regression. */
const KNOWN_MISSES = new Set<string>(['18-log-dir-exists-then-mkdir', '20-edit-exists-then-create']);

const corpus = loadCorpus();
const linter = new Linter({ cwd: CORPUS_DIR, onlyRules: [...RACE_RULES] });
const results = new Map<string, ReturnType<Linter['lintFile']>>();

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

const PROMISE_RULES = ['floating-promise', 'misused-promise'];
const allFiles = [...[...corpus.bugs, ...corpus.extras].flatMap((b) => [b.buggy, b.fixed]), ...corpus.safe];

test('the corpus has the promised size and mix', () => {
  assert.ok(corpus.bugs.length >= 45, `${corpus.bugs.length} bugs`);
  assert.ok(corpus.safe.length >= 22, `${corpus.safe.length} safe files`);
  for (const rule of RACE_RULES) {
    const n = corpus.bugs.filter((b) => b.markers.some((m) => m.ruleId === rule)).length;
    assert.ok(n >= 10, `only ${n} bugs for ${rule}`);
  }
});

test('every buggy file marks a race rule; fixed and safe files mark nothing', () => {
  for (const bug of corpus.bugs) {
    assert.ok(bug.markers.length > 0, `${bug.id}: buggy file has no marker`);
    for (const m of bug.markers) assert.ok((RACE_RULES as readonly string[]).includes(m.ruleId), `${bug.id}: unknown rule ${m.ruleId}`);
  }
  for (const file of [...corpus.bugs.map((b) => b.fixed), ...corpus.safe]) {
    assert.ok(!/^\s*\/\/\s*\^+\s+[a-z-]+/m.test(fs.readFileSync(file, 'utf8')), `${path.relative(CORPUS_DIR, file)} has a marker`);
  }
});

test('every bug cites its source in README.md', () => {
  const readme = fs.readFileSync(path.join(CORPUS_DIR, 'README.md'), 'utf8');
  for (const bug of [...corpus.bugs, ...corpus.extras]) assert.ok(readme.includes(`\`${bug.id}\``), `README.md does not list ${bug.id}`);
});

test('corpus files type-check and lint without problems', () => {
  const messages: string[] = [];
  for (const file of allFiles) {
    const result = lint(file);
    for (const p of result.problems) if (p.kind !== 'unused-directive') messages.push(`${path.relative(CORPUS_DIR, file)}: ${p.message}`);
    const program = linter.projects.projectFor(file).program();
    const sf = program.getSourceFile(result.file);
    if (!sf) {
      messages.push(`${path.relative(CORPUS_DIR, file)}: not in the corpus program`);
      continue;
    }
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      if (d.category === ts.DiagnosticCategory.Error) messages.push(`${path.relative(CORPUS_DIR, file)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  assert.deepEqual(messages, []);
});

test('race rules: recall on real bugs, no findings on fixes and safe idioms', () => {
  const score = scoreCorpus(corpus, findingsOf);
  console.log(`\nrace corpus (${corpus.bugs.length} bugs, ${corpus.safe.length} safe files)\n${formatScore(score, corpus.safe.length)}\n`);
  if (process.env.RACELINT_CORPUS_STRICT === '0') return;
  assert.ok(score.recall >= MIN_RECALL, `recall ${(score.recall * 100).toFixed(1)}% is below ${MIN_RECALL * 100}%`);
  assert.equal(score.falseFindings, 0, 'findings on fixed or safe files');
  assert.deepEqual(score.bugs.filter((b) => !b.found && !KNOWN_MISSES.has(b.id)).map((b) => b.id), [], 'bugs found before are missed now');
});

test('promise rules find the extra races and stay quiet on their fixes', () => {
  const promiseLinter = new Linter({ cwd: CORPUS_DIR, onlyRules: PROMISE_RULES });
  const score = scoreCorpus({ bugs: corpus.extras, safe: [] }, (file) =>
    promiseLinter
      .lintFile(file)
      .findings.filter((f) => PROMISE_RULES.includes(f.ruleId))
      .map((f) => ({ ruleId: f.ruleId, line: f.range.start.line, character: f.range.start.character, message: f.message })),
  );
  console.log(`\nextra races for the promise rules (${corpus.extras.length})\n${formatScore(score, 0, PROMISE_RULES)}\n`);
  if (process.env.RACELINT_CORPUS_STRICT === '0') return;
  assert.equal(score.recall, 1, 'a promise-rule race was missed');
  assert.equal(score.falseFindings, 0, 'findings on fixed files');
});
