import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { floatingPromise } from '../../../server/src/core/rules/floating-promise';
import { assertFixesCompile, assertMatchesMarkers, FIXTURES, listFixtures } from '../../support/fixtures';

const DIR = path.join(FIXTURES, 'rules', 'floating-promise');
const RULE = ['floating-promise'];

// Applying and type-checking every suggestion is the slow part: do it once per file.
const fixed = new Map<string, ReturnType<typeof assertFixesCompile>>();
function fixesOf(file: string): ReturnType<typeof assertFixesCompile> {
  const abs = path.join(DIR, file);
  if (!fixed.has(abs)) fixed.set(abs, assertFixesCompile(abs, RULE));
  return fixed.get(abs)!;
}

for (const file of [...listFixtures(DIR), ...listFixtures(path.join(DIR, 'options'))]) {
  const name = path.relative(DIR, file);
  test(`floating-promise: ${name} matches its markers`, () => {
    assertMatchesMarkers(file, RULE);
  });
  test(`floating-promise: ${name} fixes and suggestions compile`, () => {
    fixesOf(name);
  });
}

/** The text of `line` (0-based) after each suggestion for the finding on that line. */
function linesAfter(file: string, line: number): string[] {
  return fixesOf(file)
    .filter((o) => o.finding.range.start.line === line)
    .map((o) => o.output.split('\n')[line]);
}

function lineOf(file: string, text: string): number {
  const source = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
  const i = source.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `no line with ${text}`);
  return i;
}

test('floating-promise offers void and await for a call statement in an async function', () => {
  const line = lineOf('statements.ts', "save('a');");
  assert.deepEqual(linesAfter('statements.ts', line), ["  void save('a');", "  await save('a');"]);
  // Suggestions only: --fix applies nothing here.
  assert.ok(fixesOf('statements.ts').every((o) => o.finding.fixes.length === 0));
});

test('floating-promise parenthesizes what `void`/`await` would not bind tightly', () => {
  assert.deepEqual(linesAfter('statements.ts', lineOf('statements.ts', "flag ? save('d')")), [
    "  void (flag ? save('d') : undefined);",
    "  await (flag ? save('d') : undefined);",
  ]);
  assert.deepEqual(linesAfter('statements.ts', lineOf('statements.ts', "(0, save('c'));")), ["  void (0, save('c'));", "  await (0, save('c'));"]);
  assert.deepEqual(linesAfter('statements.ts', lineOf('statements.ts', "flag && save('e');")), ["  void (flag && save('e'));", "  await (flag && save('e'));"]);
});

test('floating-promise offers only `void` outside async functions', () => {
  assert.deepEqual(linesAfter('statements.ts', lineOf('statements.ts', "save('x');")), ["  void save('x');"]);
});

test('floating-promise suggestions for an unread local: await it where it is made, or drop the variable', () => {
  assert.deepEqual(linesAfter('unused-locals.ts', lineOf('unused-locals.ts', 'const user = fetchUser(id);')), [
    '  const user = await fetchUser(id);',
    '  void fetchUser(id);',
  ]);
});

test('floating-promise with ignoreVoid off turns `void p` into `await p`', () => {
  assert.deepEqual(linesAfter('options/options.ts', lineOf('options/options.ts', 'void save();')), ['  await save();']);
});

test('floating-promise options are validated with the option name in the message', () => {
  assert.throws(() => floatingPromise.parseOptions({ ignoreVoid: 'yes' }), /ignoreVoid/);
  assert.throws(() => floatingPromise.parseOptions({ allowForKnownSafeCall: [] }), /allowForKnownSafeCall/);
  const o = floatingPromise.parseOptions(undefined);
  assert.equal(o.ignoreVoid, true);
  assert.equal(o.ignoreIIFE, false);
  assert.equal(o.checkUnusedLocals, true);
});

test('floating-promise skips files with no call, new or tagged template', () => {
  assert.equal(floatingPromise.mayApply!('export type Id = string;\nexport const LIMIT = 3;\n'), false);
  assert.equal(floatingPromise.mayApply!('save();'), true);
  assert.equal(floatingPromise.mayApply!('tag`x`;'), true);
  assert.equal(floatingPromise.mayApply!('declare const p: Promise<void>;\np;'), true);
});
