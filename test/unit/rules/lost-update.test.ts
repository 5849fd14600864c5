import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { assertFixesCompile, assertMatchesMarkers, FIXTURES, listFixtures } from '../../support/fixtures';

const DIR = path.join(FIXTURES, 'rules', 'lost-update');
const RULE = ['lost-update'];

for (const file of listFixtures(DIR)) {
  const name = path.basename(file);
  test(`lost-update: ${name} matches its markers`, () => {
    const result = assertMatchesMarkers(file, RULE);
    for (const f of result.findings) {
      // Every finding explains itself: the read and the suspension that splits it from the write.
      assert.ok(f.related.some((r) => r.message.includes('is read here')), `${name}: no related read for "${f.message}"`);
      assert.ok(f.related.some((r) => r.message.includes('other tasks can run here')), `${name}: no related suspension`);
    }
  });
}

const outputs = assertFixesCompile(path.join(DIR, 'patterns.ts'), RULE);

test('lost-update: suggestions compile and read after the await', () => {
  const texts = outputs.map((o) => o.output);
  assert.ok(texts.some((t) => t.includes('const pageLength = await pageLength(page);') === false && /const \w+ = await pageLength\(page\);\n\s*total \+= \w+;/.test(t)), 'no await-first suggestion for `total += await …`');
  assert.ok(texts.some((t) => /const price = await price\(sku\);\n\s*revenue = revenue \+ price;/.test(t) === false && /const (\w+) = await price\(sku\);\n\s*revenue = revenue \+ \1;/.test(t)), 'no await-first suggestion for revenue');
  assert.ok(texts.some((t) => t.includes('this.count = this.count + 1;')), 'no re-read suggestion for the value carried by a local');
});

test('lost-update: fresh names do not collide with names in scope', () => {
  for (const o of outputs) {
    const m = /const (\w+) = await (\w+)\(/.exec(o.output);
    if (m) assert.notEqual(m[1], m[2], 'the new const shadows the function it awaits');
  }
});

test('lost-update: suggestions are never automatic fixes', () => {
  for (const o of outputs) assert.equal(o.finding.fixes.length, 0);
});

test('lost-update: snapshots get an updater suggestion and rollbacks a guarded one, both compile', () => {
  const snapshots = assertFixesCompile(path.join(DIR, 'snapshots.tsx'), RULE);
  assert.ok(
    snapshots.some((o) => o.output.includes('setTodos((prev) => [...prev, todo]);')),
    'no updater suggestion for setTodos([...todos, todo])',
  );
  // A context setter may not take an updater: nothing is offered there.
  assert.ok(!snapshots.some((o) => o.output.includes('setSettings((')), 'an updater was offered for a setter that may not take one');
  const rollbacks = assertFixesCompile(path.join(DIR, 'rollbacks.tsx'), RULE);
  assert.ok(rollbacks.some((o) => o.output.includes('if (this.title === title) this.title = prev;')), 'no guarded rollback for the title');
  assert.ok(!rollbacks.some((o) => /this\.title = this\.title/.test(o.output)), 'a rollback was offered a re-read of itself');
  for (const o of [...snapshots, ...rollbacks, ...assertFixesCompile(path.join(DIR, 'then-chains.ts'), RULE)]) {
    assert.equal(o.finding.fixes.length, 0, 'race suggestions are never automatic fixes');
  }
});

test('lost-update: setters get an updater only where their type takes one, and rollbacks through setters a guarded one', () => {
  const outputs = assertFixesCompile(path.join(DIR, 'setters.tsx'), RULE);
  const has = (text: string) => outputs.some((o) => o.output.includes(text));
  // jotai's and recoil's setters take updaters: their types say so.
  assert.ok(has('setFiles((prev) => prev.concat(url));'), 'no updater suggestion for the jotai setter');
  assert.ok(has('setTags((prev) => [...prev, tag]);'), 'no updater suggestion for the recoil setter');
  // A context's or a custom hook's setter typed `(next: Prefs) => void` does not.
  assert.ok(!has('setPrefs(('), 'an updater was offered for a setter whose type takes none');
  assert.ok(has('if (get().coupon === code) set({ coupon: prev });'), 'no guarded rollback for the zustand setter');
  assert.ok(has('if (useCart.getState().coupon === code) useCart.setState({ coupon });'), 'no guarded rollback for setState');
  assert.ok(has('setStarred((cur) => (cur === true ? before : cur))'), 'no guarded updater rollback for useState');
  for (const o of outputs) assert.equal(o.finding.fixes.length, 0, 'race suggestions are never automatic fixes');
});

test('lost-update: through helpers, the related locations point at the call, the await and the access in each helper', () => {
  const file = path.join(DIR, 'helper-summaries.ts');
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const { findings } = assertMatchesMarkers(file, RULE);
  const lineText = (r: { range: { start: { line: number } } }) => lines[r.range.start.line].trim();
  const grant = findings.find((f) => lineText(f) === 'await storeCredits(current + amount);');
  assert.ok(grant, 'no finding on storeCredits');
  const related = new Map(grant.related.map((r) => [r.message, lineText(r)]));
  assert.equal(related.get('`credits` is read here'), 'const current = await fetchCredits();');
  assert.equal(related.get('other tasks can run here'), 'const current = await fetchCredits();');
  assert.equal(related.get('`fetchCredits` reads it here'), 'return credits;');
  assert.equal(related.get('`storeCredits` writes it here'), 'credits = value;');
  // Two levels down, the read pointed at is the one in the innermost helper.
  const visit = findings.find((f) => lineText(f).startsWith('await kv.set(`profile:'));
  assert.ok(visit, 'no finding on the profile write');
  assert.ok(visit.message.includes('through `loadVisits()`'), visit.message);
  assert.equal(new Map(visit.related.map((r) => [r.message, lineText(r)])).get('`loadProfile` reads it here'), 'const raw = await kv.get(`profile:${user}`);');
});

test('lost-update: through a helper two callers share, the other writer named is the other caller', () => {
  const file = path.join(DIR, 'helper-summaries.ts');
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const { findings } = assertMatchesMarkers(file, RULE);
  const lineText = (r: { range: { start: { line: number } } }) => lines[r.range.start.line].trim();
  const one = findings.find((f) => lineText(f) === 'await writePoints(p + 1);');
  assert.ok(one, 'no finding on earnOne');
  assert.equal(one.related.find((r) => r.message === 'another task writes it here')?.range.start.line, lines.indexOf('  await writePoints(p + 2);'), one.message);
});
