// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers. Paths are relative to the
// repository root (uriBaseId %SRCROOT%) and rule ids are stable, so a finding can be tracked
// across commits; partialFingerprints help with that too.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { FileResult, Range, RelatedLocation } from '../../core/findings';
import { docsUrl } from '../../core/rule';
import { RULES } from '../../core/rules';
import type { Formatter } from './index';

const INFO_URI = 'https://github.com/racelint/racelint';

function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function uriOf(file: string, root: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel.startsWith('..') ? `file://${path.resolve(file).split(path.sep).join('/')}` : encodeURI(rel);
}

function physical(file: string, range: Range, root: string) {
  const uri = uriOf(file, root);
  return {
    artifactLocation: uri.startsWith('file://') ? { uri } : { uri, uriBaseId: '%SRCROOT%' },
    region: region(range),
  };
}

/** Lines longer than this (minified code) are fingerprinted by a window around the finding. */
const LONG_LINE = 1000;

function fingerprint(lines: readonly string[], ruleId: string, message: string, line: number, column: number): string {
  let lineText = lines[line] ?? '';
  if (lineText.length > LONG_LINE) lineText = lineText.slice(Math.max(0, column - LONG_LINE / 2), column + LONG_LINE / 2);
  return createHash('sha256').update(`${ruleId}\0${message}\0${lineText.trim()}`).digest('hex').slice(0, 32);
}

export const formatSarif: Formatter = (results, ctx) => {
  const root = ctx.root;
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const sarifResults: object[] = [];
  const notifications: object[] = [];
  for (const r of results) {
    // Split once per file: a generated file can have tens of thousands of findings. Lines end
    // where editors end them, as in the findings' ranges.
    const lines = r.findings.length > 0 ? (r.source ?? '').split(/\r\n|\r|\n/) : [];
    for (const f of r.findings) {
      sarifResults.push({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: f.severity === 'error' ? 'error' : 'warning',
        message: { text: f.message },
        locations: [{ physicalLocation: physical(f.file, f.range, root) }],
        ...(f.related.length > 0
          ? {
              relatedLocations: f.related.map((rel: RelatedLocation, id) => ({
                id,
                physicalLocation: physical(rel.file, rel.range, root),
                message: { text: rel.message },
              })),
            }
          : {}),
        partialFingerprints: { 'racelint/v1': fingerprint(lines, f.ruleId, f.message, f.range.start.line, f.range.start.character) },
      });
    }
    for (const p of r.problems) {
      notifications.push({
        level: p.severity === 'error' ? 'error' : 'warning',
        message: { text: p.message },
        locations: [{ physicalLocation: physical(p.file, p.range, root) }],
        descriptor: { id: `racelint/${p.kind}` },
      });
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'racelint',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: INFO_URI,
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.description },
              helpUri: docsUrl(rule.id),
              help: { text: `${rule.description} See ${docsUrl(rule.id)}` },
              defaultConfiguration: { level: rule.defaultLevel === 'error' ? 'error' : 'warning' },
              properties: { tags: ['concurrency', 'reliability'], precision: 'high' },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${root.split(path.sep).join('/').replace(/\/?$/, '/')}` } },
        results: sarifResults,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2);
};
