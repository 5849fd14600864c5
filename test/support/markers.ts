// Inline expectations in fixture files:
//
//     counter = counter + (await price(item));
//     //        ^ lost-update
//
// A marker line is a comment whose first non-space text is one or more carets followed by a
// rule id (and optionally `: text` that the message must contain). It points at the column of
// its first caret on the nearest line above that is not itself a marker line.

export interface Expectation {
  ruleId: string;
  /** 0-based */
  line: number;
  /** 0-based */
  character: number;
  messageIncludes?: string;
}

const MARKER = /^(\s*)\/\/(\s*)(\^+)\s+([a-z][a-z-]*)(?:\s*:\s*(.*?))?\s*$/;

export function parseMarkers(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`marker on line ${i + 1} has no code line above it`);
    const character = line.indexOf('^');
    out.push({ ruleId: m[4], line: target, character, ...(m[5] ? { messageIncludes: m[5] } : {}) });
  });
  return out;
}

export function isMarkerLine(line: string): boolean {
  return MARKER.test(line);
}
