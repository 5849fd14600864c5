// Applying fixes to text. Fixes are applied whole or not at all: a fix whose edits overlap an
// already chosen fix waits for the next pass, when it is recomputed against the new text.
import { ts } from 'ts-morph';
import type { Fix, TextEdit } from './findings';

export interface FixApplication {
  text: string;
  applied: Fix[];
  skipped: Fix[];
}

function sortedEdits(edits: readonly TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Applies one set of non-overlapping edits (throws if they overlap: a rule bug). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = sortedEdits(edits);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) {
      throw new Error(`overlapping or out-of-range edit [${e.start}, ${e.end})`);
    }
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The index of the first edit in `sorted` (by start, then end) that does not sort before `e`. */
function lowerBound(sorted: readonly TextEdit[], e: TextEdit): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid];
    if (m.start < e.start || (m.start === e.start && m.end < e.end)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether `e` overlaps an edit of `taken` (sorted, pairwise disjoint). Two edits at the same
 * start conflict too (two insertions there would have no defined order). Only the neighbours
 * around `e`'s start can overlap it, so this stays fast for files with thousands of fixes.
 */
function overlapsTaken(taken: readonly TextEdit[], e: TextEdit): boolean {
  const i = lowerBound(taken, { start: e.start, end: -1, text: '' });
  const after = taken[i];
  if (after && (after.start === e.start || after.start < e.end)) return true;
  const before = taken[i - 1];
  return !!before && e.start < before.end;
}

/** Picks fixes in order, skipping any that overlap one already picked, and applies them. */
export function applyFixes(text: string, fixes: readonly Fix[]): FixApplication {
  const chosen: Fix[] = [];
  const skipped: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((e) => overlapsTaken(taken, e))) {
      skipped.push(fix);
      continue;
    }
    chosen.push(fix);
    for (const e of fix.edits) {
      const last = taken[taken.length - 1];
      if (!last || last.start < e.start || (last.start === e.start && last.end <= e.end)) taken.push(e);
      else taken.splice(lowerBound(taken, e), 0, e);
    }
  }
  return { text: applyEdits(text, taken), applied: chosen, skipped };
}

/** Syntax errors of a text, parsed as the file it would be written to. */
export function syntaxErrors(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
