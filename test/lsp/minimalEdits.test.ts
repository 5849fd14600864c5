// The line diff behind source.fixAll.racelint: applying its edits gives the fixed text, and
// unchanged lines are left alone (the editor keeps cursors and markers there).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/core/fixes';
import { minimalEdits } from '../../server/src/lsp/minimalEdits';

const cases: Array<[string, string, string]> = [
  ['equal texts', 'a\nb\n', 'a\nb\n'],
  ['one changed line in the middle', 'a\nb\nc\n', 'a\nB\nc\n'],
  ['two changes far apart', 'a\nb\nc\nd\ne\nf\n', 'A\nb\nc\nd\ne\nF\n'],
  ['inserted lines', 'a\nb\n', 'a\nx\ny\nb\n'],
  ['deleted lines', 'a\nx\ny\nb\n', 'a\nb\n'],
  ['no final newline', 'a\nb', 'a\nc'],
  ['from empty', '', 'a\n'],
  ['to empty', 'a\nb\n', ''],
  ['CRLF line ends', 'a\r\nb\r\nc\r\n', 'a\r\nvoid b\r\nc\r\n'],
];

for (const [name, before, after] of cases) {
  test(`minimalEdits: ${name}`, () => {
    const edits = minimalEdits(before, after);
    assert.equal(applyEdits(before, edits), after);
    if (before === after) assert.deepEqual(edits, []);
  });
}

test('minimalEdits touches only the changed lines', () => {
  const before = 'one\ntwo\nthree\nfour\nfive\n';
  const after = 'one\nTWO\nthree\nfour\nFIVE\n';
  const edits = minimalEdits(before, after);
  assert.equal(edits.length, 2);
  assert.deepEqual(edits.map((e) => before.slice(e.start, e.end)), ['two\n', 'five\n']);
});
