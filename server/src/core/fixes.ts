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

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two edits at the same start conflict too (two insertions there would have no defined order).
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

/** Picks fixes in order, skipping any that overlap one already picked, and applies them. */
export function applyFixes(text: string, fixes: readonly Fix[]): FixApplication {
  const chosen: Fix[] = [];
  const skipped: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) {
      skipped.push(fix);
      continue;
    }
    chosen.push(fix);
    taken.push(...fix.edits);
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
