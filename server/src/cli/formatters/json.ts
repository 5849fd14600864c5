// ESLint's JSON formatter shape, so tools that read ESLint JSON read ours:
// [{ filePath, messages: [{ ruleId, severity: 1|2, message, line, column, endLine, endColumn, fix?, suggestions? }],
//    (checked against ESLint 10's own output)
//    suppressedMessages, errorCount, fatalErrorCount, warningCount, fixableErrorCount,
//    fixableWarningCount, source?, output?, usedDeprecatedRules }]
import * as path from 'node:path';
import type { Fix } from '../../core/findings';
import type { Formatter } from './index';

interface EslintFix {
  range: [number, number];
  text: string;
}

/** ESLint's fix is one replacement: merge a fix's edits into the span they cover. */
function toEslintFix(fix: Fix, source: string | undefined): EslintFix | undefined {
  if (fix.edits.length === 0) return undefined;
  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  if (edits.length === 1) return { range: [edits[0].start, edits[0].end], text: edits[0].text };
  if (source === undefined) return undefined;
  const start = edits[0].start;
  const end = Math.max(...edits.map((e) => e.end));
  let text = '';
  let at = start;
  for (const e of edits) {
    text += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return { range: [start, end], text };
}

export const formatJson: Formatter = (results) => {
  const out = results.map((r) => {
    const messages: Record<string, unknown>[] = [];
    let errorCount = 0;
    let fatalErrorCount = 0;
    let warningCount = 0;
    let fixableErrorCount = 0;
    let fixableWarningCount = 0;
    for (const p of r.problems) {
      const fatal = p.kind === 'parse-error' || p.kind === 'internal-error';
      if (p.severity === 'error') errorCount++;
      else warningCount++;
      if (fatal) fatalErrorCount++;
      messages.push({
        ruleId: null,
        ...(fatal ? { fatal: true } : {}),
        severity: p.severity === 'error' ? 2 : 1,
        message: p.message,
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        ...(p.kind === 'parse-error' ? {} : { endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1 }),
      });
    }
    for (const f of r.findings) {
      const fix = f.fixes[0] ? toEslintFix(f.fixes[0], r.source) : undefined;
      if (f.severity === 'error') errorCount++;
      else warningCount++;
      if (fix) {
        if (f.severity === 'error') fixableErrorCount++;
        else fixableWarningCount++;
      }
      const suggestions = f.suggestions
        .map((s) => ({ fix: toEslintFix(s, r.source), desc: s.description }))
        .filter((s) => s.fix);
      messages.push({
        ruleId: f.ruleId,
        severity: f.severity === 'error' ? 2 : 1,
        message: f.message,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        ...(fix ? { fix } : {}),
        ...(suggestions.length > 0 ? { suggestions } : {}),
      });
    }
    messages.sort((a, b) => (a.line as number) - (b.line as number) || (a.column as number) - (b.column as number));
    const entry: Record<string, unknown> = {
      filePath: path.resolve(r.file),
      messages,
      suppressedMessages: [],
      errorCount,
      fatalErrorCount,
      warningCount,
      fixableErrorCount,
      fixableWarningCount,
    };
    // ESLint includes the source only when there are messages and no fix output.
    if (r.fixedSource !== undefined) entry.output = r.fixedSource;
    else if (messages.length > 0 && r.source !== undefined) entry.source = r.source;
    entry.usedDeprecatedRules = [];
    return entry;
  });
  return JSON.stringify(out);
};
