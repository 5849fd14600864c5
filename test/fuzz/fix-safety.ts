// Fixes never break code: applies every fix and every suggestion racelint offers, one at a time,
// over whole projects, and checks that the file still parses and that neither it nor any file
// importing it gains a type error; then applies the file's fixes together, as `--fix` does
// (passes until stable), and checks that result the same way.
//
//   node --import tsx test/fuzz/fix-safety.ts [roots...] [--json out.json] [--quiet]
//
// Default roots: the rule fixtures (test/fixtures/rules), the race corpus (test/corpus) and the
// benchmark projects under bench/.work/ when they have been laid out. Exit 1 when a fix breaks
// something. New errors are compared as (code, message) multisets, so positions moved by the
// edit itself do not count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits, syntaxErrors } from '../../server/src/core/fixes';
import { Linter } from '../../server/src/core/linter';
import { discoverFiles, normalizePath, transitiveImporters } from '../../server/src/core/project';

const REPO = path.resolve(__dirname, '..', '..');

export interface FixFailure {
  file: string;
  finding: string;
  fix: string;
  kind: 'cannot-apply' | 'syntax' | 'types';
  detail: string;
}

export interface RootReport {
  root: string;
  files: number;
  filesWithFixes: number;
  findings: number;
  fixes: number;
  suggestions: number;
  fixAllRuns: number;
  failures: FixFailure[];
  seconds: number;
}

/** Importers checked per fixed file (a fix to a file everyone imports would re-check the world). */
const MAX_IMPORTERS = 40;

function errorsOf(program: ts.Program, files: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (!sf) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      const key = `${path.basename(f)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function added(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [key, n] of after) if (n > (before.get(key) ?? 0)) out.push(key);
  return out;
}

function describe(f: Finding): string {
  return `${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

export function checkRoot(root: string, log: (s: string) => void = () => {}): RootReport {
  const t0 = Date.now();
  const linter = new Linter({ cwd: root });
  const found = discoverFiles([root], { cwd: root, isIgnoredByConfig: (abs) => linter.isIgnored(abs) });
  const report: RootReport = { root: path.relative(REPO, root) || root, files: found.files.length, filesWithFixes: 0, findings: 0, fixes: 0, suggestions: 0, fixAllRuns: 0, failures: [], seconds: 0 };
  for (const file of found.files) {
    if (linter.precheck(file)) continue;
    const result = linter.lintFile(file);
    report.findings += result.findings.length;
    const offered = result.findings.flatMap((finding) => [...finding.fixes.map((fix) => ({ finding, fix, kind: 'fix' })), ...finding.suggestions.map((fix) => ({ finding, fix, kind: 'suggestion' }))]);
    if (offered.length === 0 || result.source === undefined) continue;
    report.filesWithFixes++;
    const text = result.source;
    const key = normalizePath(file);
    const loaded = linter.projects.projectFor(key);
    const program0 = loaded.program();
    const importers = [...transitiveImporters(program0, [key])].slice(0, MAX_IMPORTERS);
    const checked = [key, ...importers];
    // The baseline from a fresh type checker, like the one each fixed text is checked with: the
    // linter's checker answered the rules' questions first, and TypeScript words some errors
    // differently depending on what it checked before (overloads over generic event maps).
    linter.setFileText(key, `${text}\n`);
    const before = errorsOf(loaded.program(), checked);
    linter.setFileText(key, text);
    const syntaxBefore = syntaxErrors(key, text).length;
    const fail = (finding: string, fix: Fix, kind: FixFailure['kind'], detail: string) => {
      report.failures.push({ file: path.relative(REPO, key), finding, fix: fix.description, kind, detail });
      log(`FAIL ${path.relative(REPO, key)}: ${finding}: "${fix.description}": ${kind}: ${detail}`);
    };
    const check = (finding: string, fix: Fix, output: string) => {
      const syntax = syntaxErrors(key, output);
      if (syntax.length > syntaxBefore) return fail(finding, fix, 'syntax', `${syntax[0]}\n--- fixed text ---\n${output}`);
      linter.setFileText(key, output);
      const newErrors = added(before, errorsOf(loaded.program(), checked));
      if (newErrors.length > 0) fail(finding, fix, 'types', `${newErrors.join('; ')}\n--- fixed text ---\n${output}`);
    };
    for (const { finding, fix, kind } of offered) {
      if (kind === 'fix') report.fixes++;
      else report.suggestions++;
      let output: string;
      try {
        output = applyEdits(text, fix.edits);
      } catch (err) {
        fail(describe(finding), fix, 'cannot-apply', (err as Error).message);
        continue;
      }
      check(describe(finding), fix, output);
      linter.setFileText(key, text);
    }
    // All fixes together, as --fix applies them.
    if (result.findings.some((f) => f.fixes.length > 0)) {
      report.fixAllRuns++;
      const fixed = linter.fixFile(key);
      if (fixed.problems.some((p) => p.kind === 'internal-error')) fail('--fix', { description: 'all fixes', edits: [] }, 'cannot-apply', fixed.problems.map((p) => p.message).join('; '));
      if (fixed.fixedSource !== undefined) check('--fix', { description: 'all fixes, in passes', edits: [] }, fixed.fixedSource);
      linter.setFileText(key, text);
    }
  }
  report.seconds = Math.round((Date.now() - t0) / 100) / 10;
  return report;
}

/** The benchmark projects that have been laid out (bench/projects.mjs), each a tsconfig root. */
export function benchRoots(): string[] {
  const work = path.join(REPO, 'bench', '.work');
  if (!fs.existsSync(work)) return [];
  const roots: string[] = [];
  for (const name of fs.readdirSync(work).sort()) {
    for (const dir of [path.join(work, name), ...(['apollo', 'theia'].includes(name) ? fs.readdirSync(path.join(work, name)).map((d) => path.join(work, name, d)) : [])]) {
      if (fs.existsSync(path.join(dir, 'tsconfig.json')) && !dir.includes('node_modules')) roots.push(dir);
    }
  }
  return roots;
}

function main(): void {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const quiet = args.includes('--quiet');
  const roots: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') i++;
    else if (!args[i].startsWith('--')) roots.push(args[i]);
  }
  const targets = (roots.length > 0 ? roots : ['test/fixtures/rules', 'test/corpus', ...benchRoots()]).map((r) => path.resolve(REPO, r));
  const reports: RootReport[] = [];
  for (const root of targets) {
    const r = checkRoot(root, quiet ? undefined : (s) => process.stdout.write(s + '\n'));
    reports.push(r);
    process.stdout.write(`${r.root}: ${r.files} files, ${r.findings} findings, ${r.fixes} fixes and ${r.suggestions} suggestions applied one by one in ${r.filesWithFixes} files, ${r.fixAllRuns} --fix runs: ${r.failures.length} broke the code (${r.seconds} s)\n`);
  }
  if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify(reports, null, 2) + '\n');
  process.exitCode = reports.some((r) => r.failures.length > 0) ? 1 : 0;
}

if (require.main === module) main();
