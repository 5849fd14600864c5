import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, applyFixes, syntaxErrors } from '../../server/src/core/fixes';

test('applyEdits applies edits in offset order', () => {
  assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 0, text: '>' }]), '>abcdEf');
});

test('applyEdits rejects overlapping edits', () => {
  assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]), /overlapping/);
});

test('applyFixes skips a fix that overlaps one already chosen, whole', () => {
  const r = applyFixes('foo(); bar();', [
    { description: 'a', edits: [{ start: 0, end: 0, text: 'void ' }] },
    { description: 'b', edits: [{ start: 0, end: 0, text: 'await ' }, { start: 7, end: 7, text: 'void ' }] },
    { description: 'c', edits: [{ start: 7, end: 7, text: 'await ' }] },
  ]);
  assert.equal(r.text, 'void foo(); await bar();');
  assert.deepEqual(r.applied.map((f) => f.description), ['a', 'c']);
  assert.deepEqual(r.skipped.map((f) => f.description), ['b']);
});

test('adjacent edits do not conflict', () => {
  const r = applyFixes('abc', [
    { description: 'a', edits: [{ start: 0, end: 1, text: 'A' }] },
    { description: 'b', edits: [{ start: 1, end: 2, text: 'B' }] },
  ]);
  assert.equal(r.text, 'ABc');
});

test('syntaxErrors reports what TypeScript cannot parse', () => {
  assert.deepEqual(syntaxErrors('a.ts', 'const x = 1;'), []);
  assert.ok(syntaxErrors('a.ts', 'const x = ;').length > 0);
  assert.deepEqual(syntaxErrors('a.tsx', 'const x = <div />;'), []);
});
