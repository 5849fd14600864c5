// Safe: the directory is created unconditionally with { recursive: true }, which succeeds when it
// already exists; nothing checks for existence first.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export async function writeReport(outDir: string, name: string, body: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.html`);
  await writeFile(file, body);
  return file;
}

export async function writeReports(outDir: string, reports: Array<[string, string]>): Promise<string[]> {
  return Promise.all(reports.map(([name, body]) => writeReport(outDir, name, body)));
}
