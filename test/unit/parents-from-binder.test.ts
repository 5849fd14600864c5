// The CLI parses the linted files without parent pointers, as tsc does (ProjectSet.parentsFromBinder):
// the checker's binder sets them when it binds the program, and runRules sets them for a file
// linted before any checker exists (a run of rules that never ask for types). The findings must
// be those of trees parsed with parents, with every rule and with the race rules alone (the
// rules that walk a file, and other files of the program, before any checker is made).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linter } from '../../server/src/core/linter';
import { CORPUS_DIR, loadCorpus, RACE_RULES } from '../corpus/corpus';

const corpus = loadCorpus();
const files = [...[...corpus.bugs, ...corpus.extras].flatMap((b) => [b.buggy, b.fixed]), ...corpus.safe];

function lintAll(parentsFromBinder: boolean, onlyRules?: readonly string[]): string[] {
  const linter = new Linter({ cwd: CORPUS_DIR, onlyRules });
  // As the CLI sets them, before the first program is built.
  linter.projects.lintOnly = new Set(files);
  linter.projects.parentsFromBinder = parentsFromBinder;
  return files.map((file) => {
    const r = linter.lintFile(file);
    return JSON.stringify({ file, findings: r.findings, problems: r.problems });
  });
}

test('the linted trees are parsed without parents, and get them before the rules run', () => {
  const linter = new Linter({ cwd: CORPUS_DIR, onlyRules: [...RACE_RULES] });
  linter.projects.lintOnly = new Set(files);
  linter.projects.parentsFromBinder = true;
  linter.lintFile(files[0]);
  const program = linter.projects.projectFor(files[0]).program();
  const other = program.getSourceFile(files[files.length - 1])!;
  // (The race rules asked no types of the first file: nothing bound the program.)
  assert.equal(other.endOfFileToken.parent, undefined, 'a file not linted yet has no parents');
  linter.lintFile(files[files.length - 1]);
  assert.equal(other.endOfFileToken.parent, other);
  assert.equal(other.statements[0].parent, other);
});

test('the same findings with every rule, trees parsed with or without parents', () => {
  assert.deepEqual(lintAll(true), lintAll(false));
});

test('the same findings with the race rules alone, trees parsed with or without parents', () => {
  assert.deepEqual(lintAll(true, RACE_RULES), lintAll(false, RACE_RULES));
});
