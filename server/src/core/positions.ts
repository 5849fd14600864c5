// Offsets to 0-based line/character ranges.
//
// Lines are counted as editors and LSP count them: only \n, \r\n and \r end a line. TypeScript
// also ends lines at U+2028 and U+2029 (legal inside strings and comments since ES2019), so its
// own line map would put every position after one of them a line too far in the editor.
import type { ts } from 'ts-morph';
import type { Position, Range } from './findings';

/** Line starts under LSP's rules, or undefined when they are TypeScript's (no U+2028/U+2029). */
const editorLineStarts = new WeakMap<ts.SourceFile, number[] | null>();

function lineStartsOf(sf: ts.SourceFile): number[] | undefined {
  let starts = editorLineStarts.get(sf);
  if (starts === undefined) {
    const text = sf.text;
    starts = null;
    if (/[\u2028\u2029]/.test(text)) {
      starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        if (c === 10 || c === 13) starts.push(i + 1);
      }
    }
    editorLineStarts.set(sf, starts);
  }
  return starts ?? undefined;
}

/** The 0-based line and UTF-16 character of an offset. */
export function positionOf(sf: ts.SourceFile, offset: number): Position {
  const starts = lineStartsOf(sf);
  if (!starts) {
    const p = sf.getLineAndCharacterOfPosition(offset);
    return { line: p.line, character: p.character };
  }
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** The offset where a 0-based line begins. */
export function lineStartOf(sf: ts.SourceFile, line: number): number {
  const starts = lineStartsOf(sf);
  if (!starts) return sf.getPositionOfLineAndCharacter(line, 0);
  return starts[Math.max(0, Math.min(line, starts.length - 1))];
}

export function rangeOf(sf: ts.SourceFile, start: number, end: number): Range {
  return { start: positionOf(sf, start), end: positionOf(sf, end) };
}
