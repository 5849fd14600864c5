// Suppression directives in comments:
//   // racelint-disable-next-line <rule>[, <rule>] -- reason
//   // racelint-disable-line <rule>[, <rule>] -- reason
//   /* racelint-disable <rule>[, <rule>] -- reason */     (the whole file)
// With no rule list a directive covers every rule. A directive that suppresses nothing, or
// names a rule that does not exist, is reported so stale suppressions do not pile up.
import { ts } from 'ts-morph';
import type { Finding, FileProblem, Fix } from './findings';
import { lineStartOf, positionOf, rangeOf } from './positions';

export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable';

export interface Directive {
  kind: DirectiveKind;
  /** Empty means all rules. */
  rules: string[];
  reason?: string;
  /** The comment's span in the file. */
  commentStart: number;
  commentEnd: number;
  /** 0-based line the directive applies to (-1 for the whole file). */
  targetLine: number;
  used: Set<string>;
}

const DIRECTIVE = /^\s*racelint-(disable-next-line|disable-line|disable)(?=\s|$)\s*([\s\S]*?)\s*$/;

/** Collects the comments of a file; only called when the text mentions a directive. */
function commentRanges(sf: ts.SourceFile): ts.CommentRange[] {
  const text = sf.text;
  const seen = new Set<number>();
  const out: ts.CommentRange[] = [];
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (!seen.has(r.pos)) {
        seen.add(r.pos);
        out.push(r);
      }
    }
  };
  const visit = (node: ts.Node) => {
    add(ts.getLeadingCommentRanges(text, node.getFullStart()));
    add(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  add(ts.getLeadingCommentRanges(text, 0));
  visit(sf);
  add(ts.getLeadingCommentRanges(text, sf.endOfFileToken.getFullStart()));
  return out.sort((a, b) => a.pos - b.pos);
}

export function parseDirectives(sf: ts.SourceFile): Directive[] {
  const text = sf.text;
  if (!text.includes('racelint-disable')) return [];
  const directives: Directive[] = [];
  for (const c of commentRanges(sf)) {
    const raw = text.slice(c.pos, c.end);
    const body = c.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
    const m = DIRECTIVE.exec(body);
    if (!m) continue;
    const kind = m[1] as DirectiveKind;
    let rest = m[2];
    let reason: string | undefined;
    const dashes = rest.indexOf('--');
    if (dashes >= 0) {
      reason = rest.slice(dashes + 2).trim() || undefined;
      rest = rest.slice(0, dashes);
    }
    const rules = rest
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.replace(/^racelint\//, ''));
    const line = positionOf(sf, c.pos).line;
    const targetLine = kind === 'disable' ? -1 : kind === 'disable-line' ? line : positionOf(sf, c.end).line + 1;
    directives.push({ kind, rules, reason, commentStart: c.pos, commentEnd: c.end, targetLine, used: new Set() });
  }
  return directives;
}

function covers(d: Directive, finding: Finding): boolean {
  if (d.rules.length > 0 && !d.rules.includes(finding.ruleId)) return false;
  if (d.targetLine === -1) return true;
  return finding.range.start.line === d.targetLine;
}

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Finding[];
  problems: FileProblem[];
}

/**
 * Drops the findings a directive covers and reports directives that covered nothing.
 * `activeRules` are the rules that ran: a directive for a rule that is off or was not
 * selected is not "unused", since it may well be needed when that rule runs.
 */
export function applySuppressions(
  sf: ts.SourceFile,
  findings: Finding[],
  knownRules: ReadonlySet<string>,
  activeRules: ReadonlySet<string>,
): SuppressionResult {
  const directives = parseDirectives(sf);
  if (directives.length === 0) return { kept: findings, suppressed: [], problems: [] };
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const d = directives.find((d) => covers(d, f));
    if (d) {
      d.used.add(f.ruleId);
      suppressed.push(f);
    } else {
      kept.push(f);
    }
  }
  const problems: FileProblem[] = [];
  for (const d of directives) {
    const range = rangeOf(sf, d.commentStart, d.commentEnd);
    const unknown = d.rules.filter((r) => !knownRules.has(r));
    if (unknown.length > 0) {
      problems.push({
        file: sf.fileName,
        kind: 'unused-directive',
        severity: 'warning',
        message: `racelint-${d.kind} names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')}`,
        range,
      });
      continue;
    }
    if (d.rules.length === 0 ? activeRules.size === 0 : !d.rules.some((r) => activeRules.has(r))) continue;
    const unused = d.rules.length === 0 ? (d.used.size === 0 ? ['any problem'] : []) : d.rules.filter((r) => activeRules.has(r) && !d.used.has(r)).map((r) => `"${r}"`);
    if (unused.length > 0) {
      problems.push({
        file: sf.fileName,
        kind: 'unused-directive',
        severity: 'warning',
        message: `Unused racelint-${d.kind} directive (no ${unused.join(', ')} reported ${d.targetLine === -1 ? 'in this file' : `on line ${d.targetLine + 1}`})`,
        range,
      });
    }
  }
  return { kept, suppressed, problems };
}

/** The comment text that suppresses `ruleId` on the line of `offset` (for the editor's code actions). */
export function disableNextLineFix(sf: ts.SourceFile, offset: number, ruleId: string): Fix {
  const lineStart = lineStartOf(sf, positionOf(sf, offset).line);
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  const eol = sf.text.includes('\r\n') ? '\r\n' : '\n';
  return {
    description: `Disable ${ruleId} for this line`,
    edits: [{ start: lineStart, end: lineStart, text: `${indent}// racelint-disable-next-line ${ruleId}${eol}` }],
  };
}

export function disableFileFix(sf: ts.SourceFile, ruleId: string): Fix {
  const text = sf.text;
  let at = 0;
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    at = nl < 0 ? text.length : nl + 1;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    description: `Disable ${ruleId} for the entire file`,
    edits: [{ start: at, end: at, text: `/* racelint-disable ${ruleId} */${eol}` }],
  };
}
