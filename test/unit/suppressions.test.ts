import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/fixes';
import { rangeOf } from '../../server/src/core/positions';
import { applySuppressions, disableFileFix, disableNextLineFix, parseDirectives } from '../../server/src/core/suppressions';

const KNOWN = new Set(['floating-promise', 'lost-update']);

function parse(text: string) {
  return ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
}

/** A finding of `ruleId` at the first occurrence of `needle`. */
function findingAt(sf: ts.SourceFile, ruleId: string, needle: string): Finding {
  const start = sf.text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { file: 'a.ts', ruleId, severity: 'error', message: 'm', range: rangeOf(sf, start, start + needle.length), startOffset: start, endOffset: start + needle.length, related: [], fixes: [], suggestions: [] };
}

test('disable-next-line, disable-line and file directives suppress the named rules only', () => {
  const sf = parse(
    [
      'f1(); // racelint-disable-line floating-promise -- fire and forget',
      '// racelint-disable-next-line lost-update, floating-promise',
      'f2();',
      'f3();',
    ].join('\n'),
  );
  const findings = [findingAt(sf, 'floating-promise', 'f1()'), findingAt(sf, 'floating-promise', 'f2()'), findingAt(sf, 'floating-promise', 'f3()')];
  const r = applySuppressions(sf, findings, KNOWN, KNOWN);
  assert.deepEqual(r.kept.map((f) => f.range.start.line), [3]);
  assert.equal(r.suppressed.length, 2);
  // lost-update was named on line 2 but had nothing to suppress there.
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0].message, /Unused racelint-disable-next-line directive \(no "lost-update" reported on line 3\)/);
});

test('a file directive covers the whole file; a blanket directive covers every rule', () => {
  const sf = parse('/* racelint-disable floating-promise */\nf1();\n\nf2();\n');
  const r = applySuppressions(sf, [findingAt(sf, 'floating-promise', 'f1()'), findingAt(sf, 'floating-promise', 'f2()')], KNOWN, KNOWN);
  assert.equal(r.kept.length, 0);
  assert.equal(r.problems.length, 0);
  const blanket = parse('// racelint-disable-next-line\nf1();\n');
  assert.equal(applySuppressions(blanket, [findingAt(blanket, 'lost-update', 'f1()')], KNOWN, KNOWN).kept.length, 0);
});

test('unknown rules and unused directives are reported; directives for rules that did not run are not', () => {
  const sf = parse('// racelint-disable-next-line no-such-rule\nf1();\n// racelint-disable-next-line lost-update\nf2();\n');
  const r = applySuppressions(sf, [], KNOWN, new Set(['floating-promise']));
  assert.deepEqual(r.problems.map((p) => p.message), ['racelint-disable-next-line names unknown rule "no-such-rule"']);
});

test('directive text inside strings and templates is not a directive', () => {
  const sf = parse('const s = "// racelint-disable-next-line floating-promise";\nconst t = `/* racelint-disable */`;\nf1();\n');
  assert.equal(parseDirectives(sf).length, 0);
});

test('the editor fixes write directives that then suppress the finding', () => {
  const text = 'function g() {\n    f1();\n}\n';
  const sf = parse(text);
  const finding = findingAt(sf, 'floating-promise', 'f1()');
  const line = applyEdits(text, disableNextLineFix(sf, finding.startOffset, 'floating-promise').edits);
  assert.equal(line, 'function g() {\n    // racelint-disable-next-line floating-promise\n    f1();\n}\n');
  const sf2 = parse(line);
  assert.equal(applySuppressions(sf2, [findingAt(sf2, 'floating-promise', 'f1()')], KNOWN, KNOWN).kept.length, 0);
  const file = applyEdits('#!/usr/bin/env node\nf1();\n', disableFileFix(parse('#!/usr/bin/env node\nf1();\n'), 'floating-promise').edits);
  assert.equal(file, '#!/usr/bin/env node\n/* racelint-disable floating-promise */\nf1();\n');
});
