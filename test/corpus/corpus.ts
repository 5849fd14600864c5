// Loads the race corpus (bugs/<id>/buggy.* + fixed.*, safe/*) and scores racelint's race rules
// on it: a bug counts as found when a finding of the marked rule starts on a marked line;
// every finding in a fixed or safe file is a false finding. Shared by corpus.test.ts and
// summary.mjs (which feeds it the CLI's JSON output instead of the core's).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMarkers, type Expectation } from '../support/markers';

export const CORPUS_DIR = __dirname;
export const RACE_RULES = ['lost-update', 'check-then-act', 'shared-memory'] as const;

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export interface CorpusBug {
  id: string;
  buggy: string;
  fixed: string;
  markers: Expectation[];
}

export interface Corpus {
  bugs: CorpusBug[];
  /** Races of the promise rules (floating-promise, misused-promise), scored apart. */
  extras: CorpusBug[];
  safe: string[];
}

/** Minimal shape of a finding: what the core and the CLI's JSON output both provide. */
export interface FoundAt {
  ruleId: string;
  /** 0-based */
  line: number;
  /** 0-based */
  character: number;
  message: string;
}

function sourceIn(dir: string, stem: string): string {
  const name = fs.readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && SOURCE.test(f));
  if (!name) throw new Error(`${path.relative(CORPUS_DIR, dir)} has no ${stem}.ts/.js/.mjs`);
  return path.join(dir, name);
}

function loadBugs(bugsDir: string): CorpusBug[] {
  if (!fs.existsSync(bugsDir)) return [];
  return fs
    .readdirSync(bugsDir)
    .filter((d) => fs.statSync(path.join(bugsDir, d)).isDirectory())
    .sort()
    .map((id) => {
      const dir = path.join(bugsDir, id);
      const buggy = sourceIn(dir, 'buggy');
      return { id, buggy, fixed: sourceIn(dir, 'fixed'), markers: parseMarkers(fs.readFileSync(buggy, 'utf8')) };
    });
}

export function loadCorpus(root = CORPUS_DIR): Corpus {
  const bugs = loadBugs(path.join(root, 'bugs'));
  const extras = loadBugs(path.join(root, 'extra'));
  const safeDir = path.join(root, 'safe');
  const safe = fs
    .readdirSync(safeDir)
    .filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(safeDir, f));
  return { bugs, extras, safe };
}

export interface BugScore {
  id: string;
  rule: string;
  found: boolean;
  /** Findings on a marked line with the right rule but another start column. */
  columnMismatch: boolean;
  /** Findings in the buggy file on unmarked lines (reported, not counted as false). */
  otherInBuggy: FoundAt[];
  falseInFixed: FoundAt[];
}

export interface CorpusScore {
  bugs: BugScore[];
  falseInSafe: Array<{ file: string; findings: FoundAt[] }>;
  recall: number;
  falseFindings: number;
}

export function scoreCorpus(corpus: Pick<Corpus, 'bugs' | 'safe'>, findingsOf: (file: string) => FoundAt[]): CorpusScore {
  const bugs = corpus.bugs.map((bug): BugScore => {
    const inBuggy = findingsOf(bug.buggy);
    const onMarkedLine = (f: FoundAt) => bug.markers.some((m) => m.ruleId === f.ruleId && m.line === f.line);
    const hits = inBuggy.filter(onMarkedLine);
    return {
      id: bug.id,
      rule: [...new Set(bug.markers.map((m) => m.ruleId))].join('+'),
      found: hits.length > 0,
      columnMismatch: hits.length > 0 && !hits.some((f) => bug.markers.some((m) => m.line === f.line && m.character === f.character)),
      otherInBuggy: inBuggy.filter((f) => !onMarkedLine(f)),
      falseInFixed: findingsOf(bug.fixed),
    };
  });
  const falseInSafe = corpus.safe.map((file) => ({ file, findings: findingsOf(file) })).filter((s) => s.findings.length > 0);
  const found = bugs.filter((b) => b.found).length;
  return {
    bugs,
    falseInSafe,
    recall: bugs.length === 0 ? 0 : found / bugs.length,
    falseFindings: bugs.reduce((n, b) => n + b.falseInFixed.length, 0) + falseInSafe.reduce((n, s) => n + s.findings.length, 0),
  };
}

function at(f: FoundAt): string {
  return `${f.ruleId}@${f.line + 1}:${f.character + 1}`;
}

/** The per-bug table and the totals, as printed by the test and by summary.mjs. */
export function formatScore(score: CorpusScore, safeCount: number, rules: readonly string[] = RACE_RULES): string {
  const rows = score.bugs.map((b) => {
    const status = b.found ? (b.columnMismatch ? 'found (col differs)' : 'found') : 'MISSED';
    const other = b.otherInBuggy.map(at).join(' ') || '-';
    const fixed = b.falseInFixed.map(at).join(' ') || '-';
    return `${b.id.padEnd(40)} ${b.rule.padEnd(15)} ${status.padEnd(20)} ${other.padEnd(24)} ${fixed}`;
  });
  const byRule = rules.map((rule) => {
    const ofRule = score.bugs.filter((b) => b.rule.split('+').includes(rule));
    return `${rule} ${ofRule.filter((b) => b.found).length}/${ofRule.length}`;
  });
  const found = score.bugs.filter((b) => b.found).length;
  const lines = [
    `${'bug'.padEnd(40)} ${'rule'.padEnd(15)} ${'buggy file'.padEnd(20)} ${'other in buggy'.padEnd(24)} findings in fixed`,
    ...rows,
    '',
    ...score.falseInSafe.map((s) => `safe/${path.basename(s.file)}: ${s.findings.map(at).join(' ')}`),
    `recall ${found}/${score.bugs.length} = ${(score.recall * 100).toFixed(1)}% (${byRule.join(', ')})`,
    `false findings: ${score.falseFindings} (fixed files: ${score.bugs.reduce((n, b) => n + b.falseInFixed.length, 0)}, safe files: ${score.falseInSafe.reduce((n, s) => n + s.findings.length, 0)} in ${score.falseInSafe.length}/${safeCount})`,
  ];
  return lines.join('\n');
}
