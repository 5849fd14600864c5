// Runs the core on fixture files and compares findings with their inline markers; applies
// every fix and suggestion and type-checks the result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { FileResult, Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/fixes';
import { Linter } from '../../server/src/core/linter';
import { parseMarkers } from './markers';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');

export function listFixtures(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(m|c)?(t|j)sx?$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Lints one fixture with only `rules` active (all rules when empty). */
export function lintFixture(file: string, rules: string[] = [], linter?: Linter): FileResult {
  const l = linter ?? new Linter({ cwd: path.dirname(file), onlyRules: rules });
  return l.lintFile(file);
}

function describeFinding(f: Finding): string {
  return `${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1} "${f.message}"`;
}

/** Asserts the findings of `rules` in a fixture are exactly its markers. */
export function assertMatchesMarkers(file: string, rules: string[], linter?: Linter): FileResult {
  const result = lintFixture(file, rules, linter);
  const text = fs.readFileSync(file, 'utf8');
  const expected = parseMarkers(text).filter((e) => rules.length === 0 || rules.includes(e.ruleId));
  const fatal = result.problems.filter((p) => p.kind !== 'unused-directive');
  assert.deepEqual(fatal.map((p) => p.message), [], `${path.basename(file)}: unexpected problems`);
  const actual = result.findings.filter((f) => rules.length === 0 || rules.includes(f.ruleId));
  const missing = expected.filter((e) => !actual.some((f) => f.ruleId === e.ruleId && f.range.start.line === e.line && f.range.start.character === e.character));
  const extra = actual.filter((f) => !expected.some((e) => f.ruleId === e.ruleId && f.range.start.line === e.line && f.range.start.character === e.character));
  const lines = text.split(/\r?\n/);
  const msg = [
    ...missing.map((e) => `  missing ${e.ruleId} at ${e.line + 1}:${e.character + 1}: ${lines[e.line]?.trim()}`),
    ...extra.map((f) => `  unexpected ${describeFinding(f)}: ${lines[f.range.start.line]?.trim()}`),
  ].join('\n');
  assert.ok(missing.length === 0 && extra.length === 0, `${path.relative(REPO, file)}:\n${msg}`);
  for (const e of expected) {
    if (!e.messageIncludes) continue;
    const f = actual.find((f) => f.ruleId === e.ruleId && f.range.start.line === e.line && f.range.start.character === e.character)!;
    assert.ok(f.message.includes(e.messageIncludes), `${path.basename(file)}:${e.line + 1}: message "${f.message}" does not include "${e.messageIncludes}"`);
  }
  return result;
}

function semanticErrors(program: ts.Program, sf: ts.SourceFile): string[] {
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

/**
 * Applies each fix and suggestion of a fixture's findings on its own and checks that the file
 * still parses and type-checks with no new errors. Returns the fixed texts, for assertions.
 */
export function assertFixesCompile(file: string, rules: string[]): Array<{ fix: Fix; finding: Finding; output: string }> {
  const linter = new Linter({ cwd: path.dirname(file), onlyRules: rules });
  const result = linter.lintFile(file);
  const original = result.source ?? fs.readFileSync(file, 'utf8');
  const { project } = linter.projects.projectFor(file);
  const before = (() => {
    const program = project.getProgram().compilerObject;
    return semanticErrors(program, program.getSourceFile(result.file)!);
  })();
  const outputs: Array<{ fix: Fix; finding: Finding; output: string }> = [];
  for (const finding of result.findings) {
    for (const fix of [...finding.fixes, ...finding.suggestions]) {
      const output = applyEdits(original, fix.edits);
      linter.setFileText(file, output);
      const program = project.getProgram().compilerObject;
      const after = semanticErrors(program, program.getSourceFile(result.file)!);
      const added = after.filter((e) => !before.includes(e));
      assert.deepEqual(added, [], `${path.basename(file)}: fix "${fix.description}" for ${describeFinding(finding)} breaks the code:\n${output}`);
      outputs.push({ fix, finding, output });
    }
  }
  linter.setFileText(file, original);
  return outputs;
}
