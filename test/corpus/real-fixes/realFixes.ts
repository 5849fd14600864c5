// Loads the real-fix regression suite (cases/<id>/fixed.* and, for some, buggy.*) and scores the
// race rules on it with the corpus's scoring: a fixed file must have no race finding; a buggy
// twin counts as found when a finding of the marked rule starts on a marked line. Shared by
// real-fixes.test.ts (the core Linter) and summary.mjs (the built CLI's JSON output).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMarkers } from '../../support/markers';
import { scoreCorpus, type BugScore, type CorpusBug, type FoundAt } from '../corpus';

export const REAL_FIXES_DIR = __dirname;
export const CASES_DIR = path.join(__dirname, 'cases');

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * Buggy twins racelint does not find today, and why. A twin listed here that is found fails the
 * test until it is taken off the list (and out of README.md's list), so the list stays true.
 */
export const KNOWN_MISSES: ReadonlyMap<string, string> = new Map([
  ['a11-astryx-search-generation', 'a stale result overwrites a newer one (the generation is read, never claimed): no rule models a stale overwrite'],
  ['a25-tsyringe-factory-cache', 'a lazy fill of a loaded value under assumed overlap: quiet by design'],
  ['a28-kopflos-init-once', 'a lazy fill of a loaded value under assumed overlap: quiet by design'],
  ['c05-mawjs-config-file-wx', 'existsSync then writeFileSync in one synchronous step; the race is with another process, none in view'],
  ['a52-gh-aw-firewall-wx-create', 'existsSync then writeFileSync in one synchronous step; the race is with another process, none in view'],
  ['a49-actionhero-setnx-lock', 'a GET check, then a SETNX whose answer is ignored: two nodes both hold the lock'],
  ['a59-shipwright-create-conflict', 'findUnique then create inside a prisma.$transaction callback'],
  ['a60-spotiarr-cas-claim', 'a status read and checked, then claimed by a separate update'],
  ['a55-arkade-idb-one-transaction', 'IndexedDB rows read in one transaction and replaced in another'],
  ['c01-global-cache-claim-computing', "an async memory-storage load finds nothing; a helper method saves the entry after another await"],
  ['c03-embedded-queue-claim-inactive-job', 'the next INACTIVE job looked up in the queue, marked ACTIVE by the worker in another method after an await'],
  ['c08-pinecone-docs-client-promise', 'the client stored before its connect is awaited; a second caller returns it unconnected'],
  ['c11-internhack-usage-limit-middleware', 'a count checked in an express middleware, the usage log created by the controller after it'],
  ['c12-kody-d1-rate-limit', 'a D1 SELECT COUNT(*) in a batch, then a separate INSERT into the same table'],
  ['c14-h3-get-session-promise', "an empty session stored before the unseal is awaited; a concurrent caller of the request returns it"],
  ['c16-posthog-single-flush', 'a persisted queue read and sent; its batch removed after the await while another flush sends it again'],
  ['l09-sentry-replay-flush-buffer', 'the buffer is filled by a callback handed to an external recorder as its `emit` option: no source says it runs during the flush'],
  ['l10-gajae-state-write-lock-scope', 'the merge base read before the lock and written under it: reads before a lock are not followed into it'],
  ['l14-workglow-idb-update-where', 'query() and put() helpers, each an IndexedDB request resolved from its onsuccess handler: the request result is not followed'],
  ['x01-dot-singleton-cache-plan', "a container's singleton cache handed to every request's plan in a parameter object: has() in one loop step, set() after the factory's await in a later one"],
  ['x03-cyberwarfare-payout-bitcoin-gain', "a loaded user's bitcoins changed through a schema method (bitCoinGain) and saved by a timer's job: the write inside the method is not seen as a write of the record"],
  ['x06-sidekick-queue-in-flight', "a polling loop hands each id of a module set to a helper that removes it only after the work's await; the next poll hands it out again"],
  ['x07-openshift-odo-model-children', "a static model object's getter answers a miss; the caller awaits the load and stores through the model's setter, which re-checks: a duplicate load, quiet by design"],
  ['m02-geoarrow-hardclone', "the table's own buffers (collected by a helper) are transferred and read again by bounds()"],
  ['m03-chrome-api-dummy-worker', 'a validation post transfers the buffers of a message queued for a later post'],
  ['m05-webav-ringbuffer-atomics', "push and pop read and write the ring's indices plainly on two threads (page and audio worklet)"],
  ['m08-marimo-interrupt', 'the interrupt flag in shared memory is raised and cleared with plain writes on two threads'],
  ['m09-wterm-view-per-chunk', 'a view over wasm memory is used after a call that can grow (and so detach) the memory'],
  ['m12-cas-max-loop', 'Atomics.load, then a conditional Atomics.store, from several workers: a smaller mark can win'],
]);

export interface RealFixCase {
  id: string;
  fixed: string;
  /** The code before the fix (or the bug class it removes), with markers; not every case has one. */
  buggy?: CorpusBug;
}

function sourceIn(dir: string, stem: string): string | undefined {
  const name = fs.readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && SOURCE.test(f) && !f.endsWith('.d.ts'));
  return name && path.join(dir, name);
}

export function loadRealFixes(casesDir = CASES_DIR): RealFixCase[] {
  return fs
    .readdirSync(casesDir)
    .filter((d) => fs.statSync(path.join(casesDir, d)).isDirectory())
    .sort()
    .map((id) => {
      const dir = path.join(casesDir, id);
      const fixed = sourceIn(dir, 'fixed');
      if (!fixed) throw new Error(`cases/${id} has no fixed.ts/.js/.tsx`);
      const buggy = sourceIn(dir, 'buggy');
      return {
        id,
        fixed,
        ...(buggy ? { buggy: { id, buggy, fixed, markers: parseMarkers(fs.readFileSync(buggy, 'utf8')) } } : {}),
      };
    });
}

export interface RealFixScore {
  /** Findings in each fixed file (every one is false). */
  fixed: Array<{ id: string; findings: FoundAt[] }>;
  twins: BugScore[];
  falseFindings: number;
  /** Twins found that KNOWN_MISSES says are missed. */
  staleKnownMisses: string[];
  /** Twins missed that KNOWN_MISSES does not list. */
  newMisses: string[];
}

export function scoreRealFixes(cases: RealFixCase[], findingsOf: (file: string) => FoundAt[]): RealFixScore {
  const twins = scoreCorpus({ bugs: cases.flatMap((c) => (c.buggy ? [c.buggy] : [])), safe: [] }, findingsOf).bugs;
  const fixed = cases.map((c) => ({ id: c.id, findings: findingsOf(c.fixed) }));
  return {
    fixed,
    twins,
    falseFindings: fixed.reduce((n, f) => n + f.findings.length, 0),
    staleKnownMisses: twins.filter((t) => t.found && KNOWN_MISSES.has(t.id)).map((t) => t.id),
    newMisses: twins.filter((t) => !t.found && !KNOWN_MISSES.has(t.id)).map((t) => t.id),
  };
}

function at(f: FoundAt): string {
  return `${f.ruleId}@${f.line + 1}:${f.character + 1}`;
}

/** The per-case table, the totals and the known misses, as printed by the test and by summary.mjs. */
export function formatRealFixScore(score: RealFixScore): string {
  const twinOf = new Map(score.twins.map((t) => [t.id, t]));
  const rows = score.fixed.map(({ id, findings }) => {
    const twin = twinOf.get(id);
    const status = !twin ? '-' : twin.found ? 'found' : KNOWN_MISSES.has(id) ? 'missed (known)' : 'MISSED';
    return `${id.padEnd(44)} ${(findings.map(at).join(' ') || '-').padEnd(28)} ${status}`;
  });
  const found = score.twins.filter((t) => t.found).length;
  return [
    `${'case'.padEnd(44)} ${'findings in fixed'.padEnd(28)} buggy twin`,
    ...rows,
    '',
    `fixed files: ${score.fixed.length}, false findings: ${score.falseFindings} in ${score.fixed.filter((f) => f.findings.length > 0).length} files`,
    `buggy twins found: ${found}/${score.twins.length}`,
    `known misses (${KNOWN_MISSES.size}):`,
    ...[...KNOWN_MISSES].map(([id, why]) => `  ${id}: ${why}`),
  ].join('\n');
}
