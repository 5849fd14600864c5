// `racelint merge`: combines the reports of `--shard` runs into one, as if one run had linted
// every file. JSON reports (ESLint's shape: one entry per file) are concatenated in file order;
// SARIF logs keep the first log's tool and rules and join the results and notifications of all.
import * as fs from 'node:fs';

export type MergeFormat = 'json' | 'sarif';

interface SarifLog {
  version?: string;
  runs?: Array<{ results?: unknown[]; invocations?: Array<{ executionSuccessful?: boolean; toolExecutionNotifications?: unknown[] }> } & Record<string, unknown>>;
}

/** What kind of report a parsed file is, or undefined if neither. */
export function reportFormat(parsed: unknown): MergeFormat | undefined {
  if (Array.isArray(parsed) && parsed.every((e) => e && typeof e === 'object' && typeof (e as { filePath?: unknown }).filePath === 'string')) return 'json';
  if (parsed && typeof parsed === 'object' && (parsed as SarifLog).version === '2.1.0' && Array.isArray((parsed as SarifLog).runs)) return 'sarif';
  return undefined;
}

export class MergeError extends Error {}

/** Merges parsed reports of one format; returns the merged report's text. */
export function mergeReports(reports: Array<{ name: string; parsed: unknown }>, format: MergeFormat): string {
  for (const r of reports) {
    const kind = reportFormat(r.parsed);
    if (kind !== format) throw new MergeError(`${r.name} is ${kind ? `a ${kind} report` : 'not a racelint json or sarif report'}; merging into ${format} needs ${format} inputs (write each shard with -f ${format})`);
  }
  if (format === 'json') {
    const byFile = new Map<string, unknown>();
    for (const r of reports) {
      for (const entry of r.parsed as Array<{ filePath: string }>) {
        // A file in two reports (overlapping runs): the first one wins, never both.
        if (!byFile.has(entry.filePath)) byFile.set(entry.filePath, entry);
      }
    }
    const files = [...byFile.keys()].sort();
    return JSON.stringify(files.map((f) => byFile.get(f)));
  }
  const logs = reports.map((r) => r.parsed as SarifLog);
  const merged = JSON.parse(JSON.stringify(logs[0])) as SarifLog;
  const run = merged.runs![0];
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  let successful = true;
  for (const log of logs) {
    for (const r of log.runs ?? []) {
      results.push(...(r.results ?? []));
      for (const inv of r.invocations ?? []) {
        notifications.push(...(inv.toolExecutionNotifications ?? []));
        if (inv.executionSuccessful === false) successful = false;
      }
    }
  }
  run.results = results;
  run.invocations = [{ executionSuccessful: successful, toolExecutionNotifications: notifications }];
  merged.runs = [run];
  return JSON.stringify(merged, null, 2);
}

/** Reads and merges report files; the format is -f's, else the first input's. */
export function mergeFiles(files: readonly string[], format?: MergeFormat): string {
  if (files.length === 0) throw new MergeError('merge needs the report files to combine (racelint merge [-f json|sarif] [-o out] <files...>)');
  const reports = files.map((name) => {
    let text: string;
    try {
      text = fs.readFileSync(name, 'utf8');
    } catch (err) {
      throw new MergeError(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      return { name, parsed: JSON.parse(text) as unknown };
    } catch {
      throw new MergeError(`${name} is not JSON; merge reads the json and sarif reports of racelint runs`);
    }
  });
  const chosen = format ?? reportFormat(reports[0].parsed);
  if (!chosen) throw new MergeError(`${reports[0].name} is not a racelint json or sarif report`);
  return mergeReports(reports, chosen);
}
