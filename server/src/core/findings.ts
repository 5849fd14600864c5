// The data every rule produces and every face (CLI, language server) consumes.
// Positions are 0-based lines and UTF-16 columns, as in TypeScript and LSP; the CLI
// formatters add 1 where their formats count from 1. Offsets index the file's text.

export type Severity = 'error' | 'warning';
export type RuleLevel = 'off' | 'warn' | 'error';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of the text between two offsets of one file. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * A set of edits to one file. A Finding's `fixes` keep behaviour and are applied by `--fix`;
 * its `suggestions` change behaviour (timing, error handling) and are only offered in the editor.
 */
export interface Fix {
  description: string;
  edits: TextEdit[];
}

/** Another place that explains a finding: the read, the check, the `await` that splits them. */
export interface RelatedLocation {
  file: string;
  range: Range;
  startOffset: number;
  endOffset: number;
  message: string;
}

export interface Finding {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  startOffset: number;
  endOffset: number;
  related: RelatedLocation[];
  fixes: Fix[];
  suggestions: Fix[];
}

/** Something wrong with the input rather than the code: a parse error, a skipped file. */
export interface FileProblem {
  file: string;
  kind: 'parse-error' | 'skipped' | 'internal-error' | 'unused-directive';
  severity: Severity;
  message: string;
  range: Range;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  problems: FileProblem[];
  /** The text that was linted (after fixes, when fixes were applied). */
  source?: string;
  /** Set when fixes changed the file: the new text, and the text it was made from. */
  fixedSource?: string;
  originalSource?: string;
}

export function compareFindings(a: { file: string; range: Range; ruleId?: string }, b: { file: string; range: Range; ruleId?: string }): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.character !== b.range.start.character) return a.range.start.character - b.range.start.character;
  const ra = a.ruleId ?? '';
  const rb = b.ruleId ?? '';
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}
