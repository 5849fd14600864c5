// The smallest set of line edits that turns one text into another. Fix-all computes the fixed
// text in passes; handing the editor the whole file as one replacement would move the cursor,
// folds and markers, so the difference is sent line by line instead.
import type { TextEdit } from '../core/findings';

/** Above this many line pairs the diff falls back to one edit over the changed middle. */
const MAX_CELLS = 4_000_000;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Splits a text into lines that keep their line ends, so joining them gives the text back. */
function splitLines(text: string): string[] {
  const starts = lineStarts(text);
  const out: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    if (starts[i] < end || i === 0) out.push(text.slice(starts[i], end));
  }
  return out;
}

/** Offset edits on `before` that produce `after`; empty when they are equal. */
export function minimalEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // Common leading and trailing lines need no diff.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const offsetOfLine = (lines: string[], index: number) => {
    let o = 0;
    for (let i = 0; i < index; i++) o += lines[i].length;
    return o;
  };
  const base = offsetOfLine(a, head);
  if (am.length * bm.length > MAX_CELLS || am.length === 0 || bm.length === 0) {
    return [{ start: base, end: base + am.reduce((n, l) => n + l.length, 0), text: bm.join('') }];
  }
  // Longest common subsequence of the middle lines.
  const n = am.length;
  const m = bm.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = am[i] === bm[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const edits: TextEdit[] = [];
  let i = 0;
  let j = 0;
  let offset = base;
  let pending: TextEdit | undefined;
  const flush = () => {
    if (pending) edits.push(pending);
    pending = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      flush();
      offset += am[i].length;
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      pending ??= { start: offset, end: offset, text: '' };
      pending.text += bm[j++];
    } else {
      pending ??= { start: offset, end: offset, text: '' };
      offset += am[i].length;
      pending.end = offset;
      i++;
    }
  }
  flush();
  return edits;
}
