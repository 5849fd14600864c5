import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { misusedPromise } from '../../../server/src/core/rules/misused-promise';
import { assertFixesCompile, assertMatchesMarkers, FIXTURES, listFixtures } from '../../support/fixtures';

const DIR = path.join(FIXTURES, 'rules', 'misused-promise');
const RULE = ['misused-promise'];

const fixed = new Map<string, ReturnType<typeof assertFixesCompile>>();
function fixesOf(file: string): ReturnType<typeof assertFixesCompile> {
  const abs = path.join(DIR, file);
  if (!fixed.has(abs)) fixed.set(abs, assertFixesCompile(abs, RULE));
  return fixed.get(abs)!;
}

for (const file of listFixtures(DIR)) {
  const name = path.basename(file);
  test(`misused-promise: ${name} matches its markers`, () => {
    assertMatchesMarkers(file, RULE);
  });
  test(`misused-promise: ${name} fixes and suggestions compile`, () => {
    fixesOf(name);
  });
}

function lineOf(file: string, text: string): number {
  const i = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `no line with ${text}`);
  return i;
}

/** The suggestions for the finding on a line, as the text of the statement they produce. */
function suggestionsAt(file: string, line: number): Array<{ description: string; output: string }> {
  const original = fs.readFileSync(path.join(DIR, file), 'utf8');
  return fixesOf(file)
    .filter((o) => o.finding.range.start.line === line)
    .map((o) => {
      // The changed region: from the first differing character to the last.
      let start = 0;
      while (start < original.length && original[start] === o.output[start]) start++;
      let endA = original.length;
      let endB = o.output.length;
      while (endA > start && endB > start && original[endA - 1] === o.output[endB - 1]) {
        endA--;
        endB--;
      }
      const lineStart = o.output.lastIndexOf('\n', start - 1) + 1;
      const lineEnd = o.output.indexOf('\n', endB);
      return { description: o.fix.description, output: o.output.slice(lineStart, lineEnd < 0 ? undefined : lineEnd) };
    });
}

test('misused-promise: forEach(async block) becomes Promise.all(map) or a for...of loop', () => {
  const s = suggestionsAt('foreach-suggestions.ts', lineOf('foreach-suggestions.ts', 'items.forEach(async (item) => {'));
  assert.equal(s.length, 2);
  assert.equal(
    s[0].output,
    ['  await Promise.all(items.map(async (item) => {', '//              ^ misused-promise', '    await save(item);', '    log(item);', '  }));'].join('\n'),
  );
  assert.equal(
    s[1].output,
    ['  for (const item of items) {', '//              ^ misused-promise', '    await save(item);', '    log(item);', '  }'].join('\n'),
  );
});

test('misused-promise: forEach(async expression) becomes a loop with the expression as a statement', () => {
  const s = suggestionsAt('foreach-suggestions.ts', lineOf('foreach-suggestions.ts', 'items.forEach(async (item) => save(item));'));
  assert.deepEqual(
    s.map((x) => x.output),
    ['  await Promise.all(items.map(async (item) => save(item)));', '  for (const item of items) {\n    save(item);\n  }'],
  );
});

test('misused-promise: no for...of suggestion when the callback uses the index or is a function expression', () => {
  const withIndex = suggestionsAt('foreach-suggestions.ts', lineOf('foreach-suggestions.ts', 'async (item, index)'));
  assert.deepEqual(withIndex.map((x) => x.description.startsWith('Run the callbacks together')), [true]);
  const fnExpr = suggestionsAt('foreach-suggestions.ts', lineOf('foreach-suggestions.ts', 'async function (item)'));
  assert.equal(fnExpr.length, 1);
});

test('misused-promise: no suggestions outside an async function', () => {
  const lines = fs.readFileSync(path.join(DIR, 'foreach-suggestions.ts'), 'utf8').split('\n');
  const line = lines.map((l) => l.includes('items.forEach(async (item) => save(item));')).lastIndexOf(true);
  assert.deepEqual(suggestionsAt('foreach-suggestions.ts', line), []);
});

test('misused-promise options are validated', () => {
  assert.throws(() => misusedPromise.parseOptions({ checksVoidReturn: 1 }), /checksVoidReturn/);
  assert.deepEqual(misusedPromise.parseOptions(undefined), { checksConditionals: true, checksVoidReturn: true, checksSpreads: true });
});

test('misused-promise skips files with no condition, call or spread syntax', () => {
  assert.equal(misusedPromise.mayApply!('export type Id = string;\nexport const LIMIT = 3;\n'), false);
  for (const code of ['if (p) x;', 'const o = { ...p };', 'const a = p && b;', 'const b = !p;', 'const c = p ? 1 : 2;']) {
    assert.equal(misusedPromise.mayApply!(code), true, code);
  }
});
