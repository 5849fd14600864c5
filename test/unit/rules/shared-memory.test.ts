import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { sharedMemory } from '../../../server/src/core/rules/shared-memory';
import { assertFixesCompile, assertMatchesMarkers, FIXTURES, lintFixture, listFixtures } from '../../support/fixtures';
import { isMarkerLine } from '../../support/markers';
import { Linter } from '../../../server/src/core/linter';

const DIR = path.join(FIXTURES, 'rules', 'shared-memory');
const RULE = ['shared-memory'];
// One project for every marker check: loading the TypeScript libraries is the slow part.
const linter = new Linter({ cwd: DIR, onlyRules: RULE });

// Applying and type-checking every fix is the slow part: do it once per file.
const fixed = new Map<string, ReturnType<typeof assertFixesCompile>>();
function fixesOf(file: string): ReturnType<typeof assertFixesCompile> {
  const abs = path.join(DIR, file);
  if (!fixed.has(abs)) fixed.set(abs, assertFixesCompile(abs, RULE));
  return fixed.get(abs)!;
}

for (const file of listFixtures(DIR)) {
  const name = path.basename(file);
  test(`shared-memory: ${name} matches its markers`, () => {
    const result = assertMatchesMarkers(file, RULE, linter);
    if (name.startsWith('safe-')) assert.deepEqual(result.findings, [], `${name} is a safe file`);
    else assert.ok(result.findings.length > 0, `${name} is a buggy file and should have findings`);
  });
  test(`shared-memory: ${name} fixes and suggestions compile`, () => {
    fixesOf(name);
  });
}

function lineOf(file: string, text: string, from = 0): number {
  const source = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
  const i = source.findIndex((l, n) => n >= from && l.includes(text));
  assert.ok(i >= 0, `no line with ${text} in ${file}`);
  return i;
}

/** The fixes (kind 'fix') or suggestions applied to the finding on `line`, as the new text of that line. */
function lineAfter(file: string, line: number, kind: 'fix' | 'suggestion'): string[] {
  return fixesOf(file)
    .filter((o) => o.finding.range.start.line === line && (kind === 'fix' ? o.finding.fixes : o.finding.suggestions).includes(o.fix))
    .map((o) => o.output.split('\n')[line]);
}

test('shared-memory rewrites plain read-modify-writes to the matching Atomics operation', () => {
  const f = 'counter-worker.ts';
  const cases: Array<[string, string]> = [
    ['counts[0]++;', '  Atomics.add(counts, 0, 1);'],
    ['counts[1] += 5;', '  Atomics.add(counts, 1, 5);'],
    ['counts[2] = counts[2] - 2;', '  Atomics.sub(counts, 2, 2);'],
    // Atomics.add returns the old value, which is what a postfix increment yields.
    ['const before = counts[3]++;', '  const before = Atomics.add(counts, 3, 1);'],
    // A prefix increment yields the new value: add the increment back.
    ['const after = ++counts[3];', '  const after = (Atomics.add(counts, 3, 1) + 1);'],
    ['counts[4] |= 0b100;', '  Atomics.or(counts, 4, 0b100);'],
  ];
  for (const [code, expected] of cases) {
    assert.deepEqual(lineAfter(f, lineOf(f, code), 'fix'), [expected], code);
  }
});

test('shared-memory offers no fix where no Atomics operation does the update', () => {
  const f = 'counter-worker.ts';
  const line = lineOf(f, 'counts[5] *= 2;');
  assert.deepEqual(lineAfter(f, line, 'fix'), []);
  assert.deepEqual(lineAfter(f, line, 'suggestion'), []);
});

test('shared-memory only suggests (never auto-applies) Atomics.add with an operand that may not be an integer', () => {
  const f = 'counter-worker.ts';
  const line = lineOf(f, 'counts[kind] += weight;');
  assert.deepEqual(lineAfter(f, line, 'fix'), []);
  assert.deepEqual(lineAfter(f, line, 'suggestion'), ['  Atomics.add(counts, kind, weight);']);
});

test('shared-memory gives no Atomics fix for float and clamped views, and says why', () => {
  const f = 'float-sums.ts';
  const result = lintFixture(path.join(DIR, f), RULE, linter);
  assert.equal(result.findings.length, 2);
  for (const finding of result.findings) {
    assert.deepEqual(finding.fixes, []);
    assert.deepEqual(finding.suggestions, []);
    assert.match(finding.message, /Atomics do not work on (Float64Array|Uint8ClampedArray)/);
  }
});

test('shared-memory uses bigint operands for BigInt views', () => {
  const f = 'counter-worker.ts';
  assert.deepEqual(lineAfter(f, lineOf(f, 'totals[0]++;'), 'fix'), ['  Atomics.add(totals, 0, 1n);']);
  assert.deepEqual(lineAfter(f, lineOf(f, 'totals[1] -= 2n;'), 'fix'), ['  Atomics.sub(totals, 1, 2n);']);
});

test('shared-memory fixes views whose type says SharedArrayBuffer', () => {
  const f = 'declared-stats.ts';
  assert.deepEqual(lineAfter(f, lineOf(f, 'this.hits[slot]++;'), 'fix'), ['    Atomics.add(this.hits, slot, 1);']);
});

test('shared-memory rewrites mixed plain accesses to Atomics.store / Atomics.load', () => {
  const f = 'flags.ts';
  assert.deepEqual(lineAfter(f, lineOf(f, 'control[0] = 1;'), 'fix'), ['  Atomics.store(control, 0, 1);']);
  assert.deepEqual(lineAfter(f, lineOf(f, 'while (control[1] === 0) {}'), 'fix'), ['  while (Atomics.load(control, 1) === 0) {}']);
  assert.deepEqual(lineAfter(f, lineOf(f, 'return control[2];'), 'fix'), ['  return Atomics.load(control, 2);']);
});

test('shared-memory suggests compare-exchange for load → compare → store', () => {
  const f = 'check-then-act.ts';
  const outputs = fixesOf(f);
  const withoutMarkers = (text: string) => text.split('\n').filter((l) => !isMarkerLine(l)).join('\n');
  const at = (code: string) => outputs.filter((o) => o.finding.range.start.line === lineOf(f, code)).map((o) => withoutMarkers(o.output));
  // `if (load === IDLE) { store(BUSY); ... }` → `if (compareExchange(IDLE, BUSY) === IDLE) { ... }`
  const [start] = at('Atomics.store(state, 0, BUSY);');
  assert.match(start, /if \(Atomics\.compareExchange\(state, 0, IDLE, BUSY\) === IDLE\) \{\n    work\(\);\n  \}/);
  // `const n = load; store(n + 1)` → `const n = Atomics.add(state, 2, 1)`
  const [bump] = at('Atomics.store(state, 2, n + 1);');
  assert.match(bump, /const n = Atomics\.add\(state, 2, 1\);\n  return n;/);
  // The guard form: `if (load !== IDLE) return; store(BUSY)`.
  const [enter] = at('Atomics.store(state, 3, BUSY);');
  assert.match(enter, /if \(Atomics\.compareExchange\(state, 3, IDLE, BUSY\) !== IDLE\) return;\n\}/);
  // A conditional update from the value read becomes a retry loop.
  const [claim] = at('Atomics.store(state, 1, issued + 1);');
  assert.equal(
    claim.slice(claim.indexOf('  let issued'), claim.indexOf('  return false;')),
    [
      '  let issued = Atomics.load(state, 1);',
      '  while (issued < limit) {',
      '    const seen = Atomics.compareExchange(state, 1, issued, issued + 1);',
      '    if (seen === issued) {',
      '      return true;',
      '    }',
      '    issued = seen;',
      '  }',
      '',
    ].join('\n'),
  );
  // A plain check-then-set gets the same rewrite.
  const [claimed] = at('claimed[job] = 1;');
  assert.match(claimed, /if \(Atomics\.compareExchange\(claimed, job, 0, 1\) === 0\) \{\n    return true;\n  \}/);
  // Suggestions only: compare-exchange changes what happens when another thread got in first.
  assert.ok(outputs.every((o) => o.finding.fixes.length === 0));
});

test('shared-memory suggests Atomics.exchange for a read followed by a reset', () => {
  const f = 'stats-reset.ts';
  const outputs = fixesOf(f).filter((o) => o.finding.range.start.line === lineOf(f, 'Atomics.store(stats, 0, 0);'));
  assert.equal(outputs.length, 1);
  assert.equal(outputs[0].finding.fixes.length, 0, 'a suggestion, not a fix');
  const text = outputs[0].output.split('\n').filter((l) => !isMarkerLine(l)).join('\n');
  assert.match(text, /export function flush\(\): number \{\n  const n = Atomics\.exchange\(stats, 0, 0\);\n  return n;\n\}/);
});

test('shared-memory follows workerData fields to what the same file sends', () => {
  const result = lintFixture(path.join(DIR, 'single-file-worker.ts'), RULE, linter);
  // `progress` is shared; `scratch` (a plain Int32Array) is copied into each worker; `progress[2 + id]` is the worker's own slot.
  assert.deepEqual(
    result.findings.map((f) => f.range.start.line),
    [lineOf('single-file-worker.ts', 'progress[0] += 1;'), lineOf('single-file-worker.ts', 'progress[1]++;')],
  );
});

test('shared-memory messages name the view, the element, the other thread and where it was shared', () => {
  const result = lintFixture(path.join(DIR, 'main-counter.ts'), RULE, linter);
  const finding = result.findings.find((f) => f.message.includes('`hits[0]++`'))!;
  assert.match(finding.message, /`hits` is shared memory passed to the workers created at line 9/);
  const workerLine = lineOf('main-counter.ts', 'new Worker(');
  assert.ok(finding.related.some((r) => r.range.start.line === workerLine && /shared with a worker/.test(r.message)));

  const flags = lintFixture(path.join(DIR, 'flags.ts'), RULE, linter);
  const mixed = flags.findings.find((f) => f.message.includes('`control[0] = 1`'))!;
  const notifyLine = lineOf('flags.ts', 'Atomics.notify(control, 0);');
  assert.ok(mixed.related.some((r) => r.range.start.line === notifyLine), 'points at the Atomics access it mixes with');
});

test('shared-memory check-then-act names the other writer of the element', () => {
  const result = lintFixture(path.join(DIR, 'ring-overwrite.ts'), RULE, linter);
  assert.equal(result.findings.length, 1);
  const [finding] = result.findings;
  assert.match(finding.message, /also written at line \d+: `Atomics\.store\(control, READ, write\)`/);
  assert.equal(finding.related.length, 3);
});

test('shared-memory skips files that mention no threads or shared memory', () => {
  assert.equal(sharedMemory.mayApply!('const a = new Int32Array(4); a[0]++;'), false);
  // `transfer` too: structuredClone(x, { transfer }) and ArrayBuffer#transfer() detach buffers without a Worker in sight.
  for (const word of ['SharedArrayBuffer', 'Atomics', 'workerData', 'postMessage', 'Worker', 'transfer']) {
    assert.equal(sharedMemory.mayApply!(`// ${word}`), true, word);
  }
});

test('shared-memory looks at worker scripts that only listen for messages, not at every message string', () => {
  for (const text of [
    "self.addEventListener('message', (e) => { counts[0]++; });",
    'port.on("message", onData);',
    "const [data] = await once(port, 'message');",
  ]) {
    assert.equal(sharedMemory.mayApply!(text), true, text);
  }
  for (const text of ["logger.info('message');", "socket.send({ type: 'message', text });", 'client.on("messageCreate", onMessage);']) {
    assert.equal(sharedMemory.mayApply!(text), false, text);
  }
});

test('shared-memory suggests waiting in a loop for a single Atomics.wait on a word reset every round', () => {
  const f = 'single-wait.ts';
  assert.deepEqual(lineAfter(f, lineOf(f, 'Atomics.wait(lock, 0, WORKING);'), 'suggestion'), ['  while (Atomics.load(lock, 0) === WORKING) Atomics.wait(lock, 0, WORKING);']);
  // With a timeout, a loop would change how long it waits: no rewrite is offered.
  assert.deepEqual(lineAfter(f, lineOf(f, 'Atomics.wait(this.state, 2, WORKING, 1000);'), 'suggestion'), []);
});

test('shared-memory reports transfers of a buffer other views share, and says who else holds it', () => {
  const f = 'shared-view-transfers.ts';
  const result = lintFixture(path.join(DIR, f), RULE, linter);
  const at = (text: string) => result.findings.find((x) => x.range.start.line === lineOf(f, text))!;
  // A window into module memory: names the holder and where it is declared.
  assert.match(at('port.postMessage(header, [header.buffer]);').message, /`scratch` \(a module variable, line \d+\) still uses/);
  // A pooled Buffer reached through a helper's parameter: points at the call that passes it.
  const pooled = at('port.postMessage({ buf }, [buf.buffer]);');
  assert.ok(pooled.related.some((r) => r.range.start.line === lineOf(f, 'sendRow(Buffer.from(render(row)))')), 'points at the caller passing Buffer.from()');
  // A Buffer's slice() is a view: the remedy must not recommend it as a copy.
  assert.match(pooled.message, /a Buffer's slice\(\) is not a copy/);
  // Who else uses the pool: the caller's loop makes the next Buffer from it.
  assert.match(pooled.message, new RegExp(`also used here by the next run of the loop at line ${lineOf(f, 'for (const row of rows)') + 1}`));
  // An in-flight map entry removed only when the fetch settles: every waiter in that window shares it.
  const inFlight = at('server.postMessage({ id: event.data.id, value: block.data }, [block.data.buffer]);');
  assert.match(inFlight.message, new RegExp(`while it is in flight \\(the entry is removed only later, at line ${lineOf(f, 'finally(() => inFlight.delete(cid))') + 1}\\)`));
});

test('shared-memory suggests transferring a copy, or leaving the shared buffer out of the transfer list', () => {
  const f = 'shared-view-transfers.ts';
  assert.deepEqual(lineAfter(f, lineOf(f, 'port.postMessage(header, [header.buffer]);'), 'suggestion'), ['  port.postMessage(header, []);']);
  assert.deepEqual(lineAfter(f, lineOf(f, 'port.postMessage(header, [header.buffer]);'), 'fix'), []);
  // A bare buffer taken from a library view: bind it to a copy of exactly the view's bytes.
  const bare = lineOf(f, 'const message = encodeTile(tile).buffer;');
  const outputs = fixesOf(f).filter((o) => o.finding.range.start.line === bare + 1).map((o) => o.output.split('\n')[bare]);
  assert.deepEqual(outputs, ['  const message = new Uint8Array(encodeTile(tile)).buffer;']);
});
