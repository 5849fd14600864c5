// Findings and file problems as LSP diagnostics: `code` is the rule id, `codeDescription` links
// the rule's docs, `relatedInformation` carries the finding's other places (the read, the await,
// the write). A report remembers the lint it came from so code actions can use its fixes.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { FileProblem, FileResult, Finding, Severity } from '../core/findings';
import { docsUrl } from '../core/rule';

export const SOURCE = 'racelint';

/** What one lint of one document produced. */
export interface DocumentReport {
  uri: string;
  /** The document version the lint saw (null: a file that is not open, linted from disk). */
  version: number | null;
  /** The settings generation it was computed under (settings, configs and projects reloaded). */
  settingsEpoch: number;
  /** Stable while the diagnostics stay the same, so pull clients get "unchanged". */
  resultId: string;
  diagnostics: Diagnostic[];
  /** The core's result (findings with their fixes), for code actions. Absent when not linted. */
  result?: FileResult;
  /** Milliseconds the lint took. */
  lintMs: number;
}

function severityOf(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
}

export function findingToDiagnostic(f: Finding, uriOf: (file: string) => string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
    location: { uri: uriOf(r.file), range: r.range },
    message: r.message,
  }));
  const d: Diagnostic = {
    range: f.range,
    severity: severityOf(f.severity),
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    source: SOURCE,
    message: f.message,
  };
  if (related.length > 0) d.relatedInformation = related;
  return d;
}

/** Codes of file problems: they are not rules, so they have no docs page. */
export const PROBLEM_CODES: Record<FileProblem['kind'], string> = {
  'parse-error': 'parse-error',
  skipped: 'skipped',
  'internal-error': 'internal-error',
  'unused-directive': 'unused-directive',
};

export function problemToDiagnostic(p: FileProblem): Diagnostic {
  const d: Diagnostic = {
    range: p.range,
    severity: p.kind === 'skipped' ? DiagnosticSeverity.Information : severityOf(p.severity),
    code: PROBLEM_CODES[p.kind],
    source: SOURCE,
    message: p.message,
  };
  // Editors fade unused code; an unused directive is exactly that.
  if (p.kind === 'unused-directive') d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

export function toDiagnostics(result: FileResult, uriOf: (file: string) => string): Diagnostic[] {
  return [...result.problems.map(problemToDiagnostic), ...result.findings.map((f) => findingToDiagnostic(f, uriOf))];
}

/**
 * Hands out result ids: the same diagnostics for the same document keep their id, so a pull
 * client that already has them gets an "unchanged" report instead of the whole list again.
 */
export class ResultIds {
  private next = 1;
  private readonly last = new Map<string, { key: string; id: string }>();

  idFor(uri: string, diagnostics: Diagnostic[]): string {
    const key = JSON.stringify(diagnostics);
    const prev = this.last.get(uri);
    if (prev && prev.key === key) return prev.id;
    const id = `${this.next++}`;
    this.last.set(uri, { key, id });
    return id;
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}
