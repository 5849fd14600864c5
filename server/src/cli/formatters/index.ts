// Output formats. Each formatter turns the run's results into one string; none touches the
// terminal or the file system.
import type { FileResult, Range } from '../../core/findings';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatStylish } from './stylish';

export interface FormatContext {
  /** The directory paths are shown relative to. */
  cwd: string;
  /** The repository root (the nearest directory with .git, else cwd): SARIF URIs are relative to it. */
  root: string;
  /** Whether colour may be used. */
  color: boolean;
  version: string;
  /** Warnings past --max-warnings, for the summary line. */
  maxWarnings?: number;
}

export type Formatter = (results: FileResult[], context: FormatContext) => string;

export const FORMATTERS: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

/** A problem as the formats count it: findings and file problems together, in position order. */
export interface Message {
  ruleId: string | null;
  severity: 'error' | 'warning';
  message: string;
  line: number; // 1-based
  column: number; // 1-based
  endLine: number;
  endColumn: number;
  fatal?: boolean;
}

/** A range as the formats show it: lines and columns counted from 1. */
function oneBased(range: Range): Pick<Message, 'line' | 'column' | 'endLine' | 'endColumn'> {
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function messagesOf(result: FileResult): Message[] {
  const out: Message[] = [];
  for (const p of result.problems) {
    out.push({
      ruleId: null,
      severity: p.severity,
      message: p.message,
      ...oneBased(p.range),
      ...(p.kind === 'parse-error' || p.kind === 'internal-error' ? { fatal: true } : {}),
    });
  }
  for (const f of result.findings) {
    out.push({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...oneBased(f.range),
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function countSeverities(results: FileResult[]): { errors: number; warnings: number; fixableErrors: number; fixableWarnings: number } {
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const r of results) {
    for (const m of messagesOf(r)) {
      if (m.severity === 'error') errors++;
      else warnings++;
    }
    for (const f of r.findings) {
      if (f.fixes.length === 0) continue;
      if (f.severity === 'error') fixableErrors++;
      else fixableWarnings++;
    }
  }
  return { errors, warnings, fixableErrors, fixableWarnings };
}
