import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { assertFixesCompile, assertMatchesMarkers, FIXTURES, listFixtures } from '../../support/fixtures';

const DIR = path.join(FIXTURES, 'rules', 'check-then-act');
const RULE = ['check-then-act'];

for (const file of listFixtures(DIR)) {
  const name = path.basename(file);
  test(`check-then-act: ${name} matches its markers`, () => {
    const result = assertMatchesMarkers(file, RULE);
    for (const f of result.findings) assert.ok(f.related.some((r) => r.message === 'checked here'), `${name}: no related check for "${f.message}"`);
  });
}

const outputs = assertFixesCompile(path.join(DIR, 'patterns.ts'), RULE);

test('check-then-act: re-check suggestion wraps the act in the same test', () => {
  assert.ok(outputs.some((o) => o.output.includes('if (!cache.has(key)) cache.set(key, v);')), 'no re-check suggestion for the cache');
});

test('check-then-act: claim-first suggestion moves the claim before the await', () => {
  const claim = outputs.find((o) => o.fix.description.startsWith('Claim `this.started`'));
  assert.ok(claim, 'no claim suggestion for the started flag');
  const out = claim.output;
  assert.ok(out.indexOf('this.started = true;') < out.indexOf("await work('boot');"), 'the claim was not moved before the await');
});

test('check-then-act: no re-check is offered when the act itself awaits (double init)', () => {
  const dbFindings = outputs.filter((o) => o.finding.message.startsWith('Double initialisation') && o.finding.message.includes('this.client'));
  assert.equal(dbFindings.length, 0);
});

test('check-then-act: a wait in an `if` is offered as a wait in a loop', () => {
  assert.ok(outputs.some((o) => o.output.includes('while (this.running >= 4) await slotFreed();')));
});

test('check-then-act: suggestions on every fixture compile and are never automatic fixes', () => {
  for (const file of listFixtures(DIR)) {
    for (const o of assertFixesCompile(file, RULE)) {
      assert.equal(o.finding.fixes.length, 0, `${path.basename(file)}: ${o.fix.description}`);
      // Checking a stale local again, or a file or store, repeats the race: never offered.
      assert.ok(!/^Check `(!?exists|err|e|seq ===|rows\.length)/.test(o.fix.description), `${path.basename(file)}: ${o.fix.description}`);
    }
  }
});

test('check-then-act: a stale comparison is offered a read after the await, right before the check', () => {
  const stale = assertFixesCompile(path.join(DIR, 'stale-comparisons.ts'), RULE);
  const reread = stale.find((o) => o.fix.description === 'Read `seq` after the await, right before the check');
  assert.ok(reread, 'no re-read suggestion for the stale sequence');
  const out = reread.output;
  const read = out.indexOf('const seq = this.seqs.get(id);');
  assert.ok(read > out.indexOf('await send({ ack: id });') && read < out.indexOf('if (seq === this.lastSeq)'), 'the read was not moved between the await and the check');
  // A snapshot compared field by field is no local to move: nothing offered for it.
  assert.ok(!stale.some((o) => o.fix.description.startsWith('Read `snapshot`')));
});

test('check-then-act: a replacement that is not ready yet is offered no re-check (nothing is awaited in between)', () => {
  const ready = assertFixesCompile(path.join(DIR, 'ready-state.ts'), RULE);
  assert.equal(ready.length, 0, ready.map((o) => o.fix.description).join('; '));
  assert.equal(assertMatchesMarkers(path.join(DIR, 'ready-state.ts'), RULE).findings.length, 2);
});

test('check-then-act: no re-check is offered where the check leaves the compared state unequal on the act\'s branch (it would not compile)', () => {
  const narrowed = assertFixesCompile(path.join(DIR, 'narrowed-rechecks.ts'), RULE);
  const rechecks = narrowed.filter((o) => o.fix.description.includes('again right before acting')).map((o) => o.fix.description);
  // Equal on the act's branch (`=== 'idle'` inside, `!== 'running'` after an early return): offered.
  assert.deepEqual(rechecks.sort(), ["Check `!(this.phase !== 'running')` again right before acting", "Check `this.phase === 'idle'` again right before acting"]);
});
