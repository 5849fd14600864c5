// What every output of racelint must satisfy, whatever the input: the checks behind "invalid
// output" in the fuzz harness. Each returns a list of violations (empty when fine).
//
// Positions are checked against the line breaks editors and LSP use (\n, \r\n, \r), not
// TypeScript's (which also break at U+2028/U+2029): the consumer of a range is an editor.

/** Offsets of line starts under LSP's rules. */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function positionAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

function lineLength(text, starts, line) {
  const start = starts[line];
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end - start;
}

function isInt(n) {
  return Number.isInteger(n) && n >= 0;
}

function checkRange(where, range, text, starts, violations) {
  if (!range || !range.start || !range.end) {
    violations.push(`${where}: no range`);
    return;
  }
  for (const [name, p] of [['start', range.start], ['end', range.end]]) {
    if (!isInt(p.line) || !isInt(p.character)) {
      violations.push(`${where}: ${name} ${JSON.stringify(p)} is not a pair of non-negative integers`);
      continue;
    }
    if (p.line >= starts.length) violations.push(`${where}: ${name} line ${p.line} is past the last line (${starts.length - 1})`);
    else if (p.character > lineLength(text, starts, p.line)) violations.push(`${where}: ${name} ${p.line}:${p.character} is past the end of its line (${lineLength(text, starts, p.line)} characters)`);
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) {
    violations.push(`${where}: range ends before it starts ${JSON.stringify(range)}`);
  }
}

function checkOffsets(where, start, end, text, violations) {
  if (!isInt(start) || !isInt(end) || start > end || end > text.length) {
    violations.push(`${where}: offsets [${start}, ${end}) are not a range within the ${text.length} characters of the file`);
    return false;
  }
  return true;
}

function checkEdits(where, edits, text, violations) {
  if (!Array.isArray(edits) || edits.length === 0) {
    violations.push(`${where}: has no edits`);
    return false;
  }
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (typeof e.text !== 'string') violations.push(`${where}: an edit has no text`);
    if (!checkOffsets(`${where} edit`, e.start, e.end, text, violations)) return false;
    if (e.start < at) {
      violations.push(`${where}: edits overlap at offset ${e.start}`);
      return false;
    }
    at = e.end;
  }
  return true;
}

const PROBLEM_KINDS = new Set(['parse-error', 'skipped', 'internal-error', 'unused-directive']);

/**
 * Checks a core FileResult for the text it was computed from.
 * Returns { violations, crashes }: crashes are internal errors the core caught.
 */
export function checkFileResult(result, text) {
  const violations = [];
  const crashes = [];
  const starts = lineStarts(text);
  if (result.source !== undefined && result.source !== text) violations.push('result.source is not the text that was linted');
  for (const p of result.problems ?? []) {
    if (!PROBLEM_KINDS.has(p.kind)) violations.push(`problem of unknown kind ${p.kind}`);
    if (typeof p.message !== 'string' || p.message.trim() === '') violations.push(`${p.kind} problem without a message`);
    if (p.kind === 'internal-error') crashes.push(p.message);
    checkRange(`${p.kind} problem "${p.message}"`, p.range, text, starts, violations);
  }
  for (const f of result.findings ?? []) {
    const where = `${f.ruleId} finding at ${f.range?.start?.line}:${f.range?.start?.character}`;
    if (typeof f.message !== 'string' || f.message.trim() === '') violations.push(`${where}: empty message`);
    if (f.severity !== 'error' && f.severity !== 'warning') violations.push(`${where}: severity ${f.severity}`);
    checkRange(where, f.range, text, starts, violations);
    if (checkOffsets(where, f.startOffset, f.endOffset, text, violations)) {
      const s = positionAt(starts, f.startOffset);
      const e = positionAt(starts, f.endOffset);
      if (f.range && (s.line !== f.range.start.line || s.character !== f.range.start.character || e.line !== f.range.end.line || e.character !== f.range.end.character)) {
        violations.push(`${where}: range ${JSON.stringify(f.range)} does not match offsets [${f.startOffset}, ${f.endOffset}) (expected ${s.line}:${s.character}-${e.line}:${e.character})`);
      }
    }
    for (const r of f.related ?? []) {
      if (typeof r.message !== 'string') violations.push(`${where}: related location without a message`);
      if (r.file === result.file) {
        checkRange(`${where} related "${r.message}"`, r.range, text, starts, violations);
        checkOffsets(`${where} related "${r.message}"`, r.startOffset, r.endOffset, text, violations);
      }
    }
    for (const fix of [...(f.fixes ?? []), ...(f.suggestions ?? [])]) {
      if (typeof fix.description !== 'string' || fix.description.trim() === '') violations.push(`${where}: a fix without a description`);
      checkEdits(`${where} fix "${fix.description}"`, fix.edits, text, violations);
    }
  }
  return { violations, crashes };
}

/** Checks ESLint-style JSON formatter output; `texts` maps file paths to their linted text. */
export function checkJsonReport(output, texts) {
  const violations = [];
  let parsed;
  try {
    parsed = JSON.parse(output);
  } catch (err) {
    return [`json report does not parse: ${err.message}`];
  }
  if (!Array.isArray(parsed)) return ['json report is not an array'];
  for (const file of parsed) {
    if (typeof file.filePath !== 'string' || !Array.isArray(file.messages)) {
      violations.push('json report entry without filePath or messages');
      continue;
    }
    const text = texts.get(file.filePath) ?? file.source;
    const starts = text !== undefined ? lineStarts(text) : undefined;
    for (const m of file.messages) {
      const where = `json message "${m.message}" at ${m.line}:${m.column}`;
      if (!Number.isInteger(m.line) || m.line < 1 || !Number.isInteger(m.column) || m.column < 1) violations.push(`${where}: line and column must count from 1`);
      if (starts) {
        if (m.line > starts.length) violations.push(`${where}: past the last line (${starts.length})`);
        else if (m.column - 1 > lineLength(text, starts, m.line - 1)) violations.push(`${where}: past the end of its line`);
        if (m.endLine !== undefined && m.endLine > starts.length) violations.push(`${where}: endLine past the last line`);
      }
      if (m.fix && text !== undefined) {
        const [s, e] = m.fix.range ?? [];
        if (!isInt(s) || !isInt(e) || s > e || e > text.length) violations.push(`${where}: fix range ${JSON.stringify(m.fix.range)} out of range`);
      }
    }
    if (file.output !== undefined && typeof file.output !== 'string') violations.push('json output is not a string');
  }
  return violations;
}

/** Checks SARIF output for the shape code scanning needs. */
export function checkSarifReport(output) {
  let parsed;
  try {
    parsed = JSON.parse(output);
  } catch (err) {
    return [`sarif report does not parse: ${err.message}`];
  }
  const violations = [];
  if (parsed.version !== '2.1.0' || !Array.isArray(parsed.runs)) return ['sarif report is not SARIF 2.1.0'];
  for (const run of parsed.runs) {
    for (const r of run.results ?? []) {
      for (const loc of r.locations ?? []) {
        const region = loc.physicalLocation?.region;
        if (region && (!(region.startLine >= 1) || !((region.startColumn ?? 1) >= 1))) violations.push(`sarif region ${JSON.stringify(region)} does not count from 1`);
      }
      if (typeof r.message?.text !== 'string') violations.push('sarif result without message text');
    }
  }
  return violations;
}

/** Checks GitHub workflow-command output: every line is one annotation. */
export function checkGithubReport(output) {
  const violations = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (!/^::(error|warning|notice) /.test(line)) violations.push(`github output line is not an annotation: ${JSON.stringify(line.slice(0, 120))}`);
  }
  return violations;
}
