// Code actions for racelint's diagnostics, in a fixed family per finding: its fixes (the first
// one preferred) and suggestions, "fix all <rule> problems in this file", "disable <rule> for this
// line" and "for the entire file", and "show documentation for <rule>". Unused directives get
// "remove"; `source.fixAll.racelint` applies every fix (never a suggestion), for codeActionsOnSave.
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ts } from 'ts-morph';
import type { FileProblem, FileResult, Finding, Fix, TextEdit } from '../core/findings';
import { applyFixes } from '../core/fixes';
import { disableFileFix, disableNextLineFix } from '../core/suppressions';
import { findingToDiagnostic, problemToDiagnostic, SOURCE } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.racelint`;
export const OPEN_RULE_DOC_COMMAND = 'racelint.openRuleDoc';

export interface CodeActionRequest {
  uri: string;
  document: TextDocument;
  /** The lint of exactly this document version. */
  result: FileResult;
  /** The parsed text, for the suppression comments' placement. */
  sourceFile: ts.SourceFile;
  range: Range;
  /** The diagnostics the client sent as context (those at the cursor). */
  contextDiagnostics: Diagnostic[];
  /** The kinds the client asked for (`context.only`), or undefined for "the usual ones". */
  only?: string[];
  /** Whether the client takes versioned `documentChanges` in a WorkspaceEdit. */
  documentChanges: boolean;
  uriOf(file: string): string;
  /** Computes the edits of `source.fixAll.racelint` (lazy: only when the client asked for it). */
  fixAllEdits(): TextEdit[];
}

/** Whether a requested `only` list admits a kind (a listed kind covers its sub-kinds). */
export function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind.startsWith(CodeActionKind.QuickFix);
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function toLspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
}

export function workspaceEdit(uri: string, document: TextDocument, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const lsp = toLspEdits(document, edits);
  return documentChanges
    ? { documentChanges: [{ textDocument: { uri, version: document.version }, edits: lsp }] }
    : { changes: { [uri]: lsp } };
}

export function codeActionsFor(req: CodeActionRequest): CodeAction[] {
  const actions: CodeAction[] = [];
  const edit = (edits: readonly TextEdit[]) => workspaceEdit(req.uri, req.document, edits, req.documentChanges);
  const ours = req.contextDiagnostics.filter((d) => d.source === SOURCE);
  const selected = (range: Range, code: string) =>
    overlaps(range, req.range) || ours.some((d) => d.code === code && sameRange(d.range, range));

  if (wants(req.only, CodeActionKind.QuickFix)) {
    const findings = req.result.findings.filter((f) => selected(f.range, f.ruleId));
    const seenRules = new Set<string>();
    const lineActions = new Set<string>();
    let preferredGiven = false;
    for (const f of findings) {
      const diagnostic = findingToDiagnostic(f, req.uriOf);
      f.fixes.forEach((fix, i) => {
        actions.push({
          title: fix.description,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          // The first fix of the first finding: what "auto fix" applies without asking.
          isPreferred: i === 0 && !preferredGiven ? true : undefined,
          edit: edit(fix.edits),
        });
        if (i === 0) preferredGiven = true;
      });
      for (const s of f.suggestions) {
        actions.push({ title: s.description, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(s.edits) });
      }
    }
    for (const f of findings) {
      const diagnostic = findingToDiagnostic(f, req.uriOf);
      const lineKey = `${f.ruleId}:${f.range.start.line}`;
      if (!lineActions.has(lineKey)) {
        lineActions.add(lineKey);
        const fix = disableNextLineFix(req.sourceFile, f.startOffset, f.ruleId);
        actions.push({ title: `Disable ${f.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(fix.edits) });
      }
      if (seenRules.has(f.ruleId)) continue;
      seenRules.add(f.ruleId);
      const fixAll = fixAllOfRule(req.result.findings, f.ruleId, req.document.getText());
      if (fixAll) {
        actions.push({ title: `Fix all ${f.ruleId} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(fixAll) });
      }
      const fileFix = disableFileFix(req.sourceFile, f.ruleId);
      actions.push({ title: `Disable ${f.ruleId} for the entire file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(fileFix.edits) });
      actions.push({
        title: `Show documentation for ${f.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Show documentation for ${f.ruleId}`, command: OPEN_RULE_DOC_COMMAND, arguments: [f.ruleId] },
      });
    }
    for (const p of req.result.problems) {
      if (p.kind !== 'unused-directive' || !selected(p.range, 'unused-directive')) continue;
      actions.push({
        title: 'Remove unused racelint directive',
        kind: CodeActionKind.QuickFix,
        diagnostics: [problemToDiagnostic(p)],
        isPreferred: true,
        edit: edit([removeDirectiveEdit(req.document, p)]),
      });
    }
  }

  if (wants(req.only, FIX_ALL_KIND)) {
    const edits = req.fixAllEdits();
    if (edits.length > 0) actions.push({ title: 'Fix all auto-fixable racelint problems', kind: FIX_ALL_KIND, edit: edit(edits) });
  }
  return actions;
}

/** One pass of every fix of one rule (fixes that overlap an earlier one wait: it is one click). */
function fixAllOfRule(findings: readonly Finding[], ruleId: string, text: string): TextEdit[] | undefined {
  const fixes: Fix[] = findings.filter((f) => f.ruleId === ruleId && f.fixes.length > 0).map((f) => f.fixes[0]);
  if (fixes.length < 2) return undefined;
  const applied = applyFixes(text, fixes).applied;
  return applied.length > 0 ? applied.flatMap((f) => f.edits) : undefined;
}

/** Deletes a directive comment, and its line when nothing else is on it. */
export function removeDirectiveEdit(document: TextDocument, p: FileProblem): TextEdit {
  const text = document.getText();
  let start = document.offsetAt(p.range.start);
  let end = document.offsetAt(p.range.end);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  if (before.trim() === '' && after.trim() === '') {
    start = lineStart;
    end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
  } else if (after.trim() === '') {
    // `code(); // racelint-disable-line x`: keep the code, drop the comment and the space before it.
    while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  }
  return { start, end, text: '' };
}
