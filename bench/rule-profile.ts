// Times each rule per file, in process, the way the language server runs them after an edit: the
// file gets new text, the program is rebuilt (every other file reused) and the rules ask a fresh
// type checker. Each file is edited and linted `--repeat` times (default 2); the first lint only
// warms the JIT, and the median of the others is reported: the checker is cold, as in an editor.
//
//   node --import tsx bench/rule-profile.ts <project dir> [tsconfig.json] [--sample N] [--file f]
//        [--rules a,b] [--isolated] [--cached] [--types] [--repeat N] [--top N] [--json out.json]
//
// --sample N   lint N files spread evenly over the project (default: all of them)
// --file f     lint only this file (repeat to add more)
// --rules a,b  run only these rules (in the registry's order)
// --isolated   also lint each file once per rule with a fresh checker, so each rule pays for the
//              types it asks for alone (in the shared run, the first rule to ask a question pays
//              for it and the later ones find it cached: compare both before blaming a rule)
// --types      count the types the checker creates during each rule instead of CPU time
// --cached     after each edit, lint twice and time the second lint (types already computed: only
//              the rules' own work is left)
//
// Times are CPU time of the process (process.cpuUsage) in milliseconds, which a loaded machine
// disturbs much less than wall time. With --types the rules are measured in types the checker
// creates instead: not time, but a count of checker work that no other load on the machine
// changes, so two versions of a rule compare exactly. `rebuild` is the program rebuild after the edit (outside the
// rules). Add `--cpu-prof` before `--import` to profile, then summarise with bench/profile.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { Linter } from '../server/src/core/linter';
import { RULES } from '../server/src/core/rules';

const args = process.argv.slice(2);
const valuesOf = (name: string): string[] => args.flatMap((a, i) => (args[i - 1] === name ? [a] : []));
const valueOf = (name: string): string | undefined => valuesOf(name)[0];
const VALUED = new Set(['--sample', '--file', '--rules', '--repeat', '--top', '--json']);
const positional = args.filter((a, i) => !a.startsWith('--') && !VALUED.has(args[i - 1]));
if (positional.length === 0) {
  console.error('usage: node --import tsx bench/rule-profile.ts <project dir> [tsconfig.json] [--sample N] [--file f] [--rules a,b] [--isolated] [--cached] [--types] [--repeat N] [--top N] [--json out.json]');
  process.exit(2);
}
const root = path.resolve(positional[0]);
const tsconfig = path.resolve(root, positional[1] ?? 'tsconfig.json');
const repeat = Math.max(1, Number(valueOf('--repeat') ?? 2));
const top = Number(valueOf('--top') ?? 5);
const onlyRules = valueOf('--rules')?.split(',');
const isolated = args.includes('--isolated');
const cached = args.includes('--cached');
const countTypes = args.includes('--types');

const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!parsed) throw new Error(`cannot read ${tsconfig}`);
let files = parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f) && /\.[cm]?[jt]sx?$/.test(f)).map((f) => path.resolve(f));
const chosen = valuesOf('--file').map((f) => path.resolve(root, f));
if (chosen.length > 0) files = chosen;
const sample = Number(valueOf('--sample') ?? 0);
if (sample > 0 && sample < files.length) files = Array.from({ length: sample }, (_, i) => files[Math.floor((i * files.length) / sample)]);

// Per-rule CPU time (or types created) of the current lint, by wrapping each rule's check.
const current = new Map<string, number>();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const rule of RULES) {
  const check = rule.check.bind(rule);
  (rule as { check: typeof rule.check }).check = (ctx) => {
    const checker = countTypes ? ctx.program.getTypeChecker() : undefined;
    const measure = () => (checker ? (checker as unknown as { getTypeCount(): number }).getTypeCount() : cpuMs());
    const t0 = measure();
    try {
      check(ctx);
    } finally {
      current.set(rule.id, (current.get(rule.id) ?? 0) + measure() - t0);
    }
  };
}
const ruleIds = RULES.map((r) => r.id).filter((id) => !onlyRules || onlyRules.includes(id));

// No time budget: a rule cut short on a slow file would make the counts depend on the machine's load.
const linter = new Linter({ cwd: root, tsconfig, onlyRules: ruleIds, ruleTimeBudgetMs: Infinity });
const texts = new Map<string, string>();
let edits = 0;

/** Gives the file new text (a comment appended, as an edit would) and rebuilds its program; returns the rebuild's CPU ms. */
function edit(file: string): number {
  const base = texts.get(file) ?? linter.projects.projectFor(file).project.getSourceFile(file)?.getFullText() ?? '';
  texts.set(file, base);
  linter.setFileText(file, `${base}\n// racelint rule-profile edit ${edits++}\n`);
  const t0 = cpuMs();
  linter.projects.projectFor(file).program();
  return cpuMs() - t0;
}

interface Sample {
  file: string;
  rebuild: number;
  rules: Map<string, number>;
  findings: number;
}

function lintTimed(file: string, ids: readonly string[]): { rules: Map<string, number>; findings: number } {
  current.clear();
  const result = linter.lintFile(file, linter.configFor(file));
  const rules = new Map(ids.map((id) => [id, current.get(id) ?? 0]));
  return { rules, findings: result.findings.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
/** Per column, the median over the measured repeats (every lint but the first, when there are several). */
function medianSample(file: string, runs: Sample[]): Sample {
  const measured = runs.length > 1 ? runs.slice(1) : runs;
  const rules = new Map(ruleIds.map((id) => [id, median(measured.map((r) => r.rules.get(id) ?? 0))]));
  return { file, rebuild: median(measured.map((r) => r.rebuild)), rules, findings: measured[0].findings };
}

const started = cpuMs();
// The first file also builds the program from scratch: lint it once untimed.
if (files.length > 0) linter.lintFile(files[0]);
const shared: Sample[] = [];
const alone: Sample[] = [];
for (const file of files) {
  const runs: Sample[] = [];
  for (let r = 0; r < repeat; r++) {
    const rebuild = edit(file);
    const { rules, findings } = lintTimed(file, ruleIds);
    if (cached) {
      const again = lintTimed(file, ruleIds);
      runs.push({ file, rebuild: 0, rules: again.rules, findings: again.findings });
    } else {
      runs.push({ file, rebuild, rules, findings });
    }
  }
  shared.push(medianSample(file, runs));
  if (isolated) {
    const runs: Sample[] = [];
    for (let r = 0; r < repeat; r++) {
      const rules = new Map<string, number>();
      for (const id of ruleIds) {
        edit(file);
        current.clear();
        linter.lintFile(file, linter.configFor(file));
        rules.set(id, current.get(id) ?? 0);
      }
      runs.push({ file, rebuild: 0, rules, findings: 0 });
    }
    alone.push(medianSample(file, runs));
  }
}
const totalMs = cpuMs() - started;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const f1 = (n: number) => n.toFixed(1);
function table(title: string, samples: Sample[]): Record<string, unknown> {
  const columns = [...ruleIds, 'all rules', ...(samples[0]?.rebuild || samples.length === 0 ? ['rebuild'] : [])];
  const valuesFor = (col: string) =>
    samples.map((s) => (col === 'all rules' ? [...s.rules.values()].reduce((a, b) => a + b, 0) : col === 'rebuild' ? s.rebuild : (s.rules.get(col) ?? 0)));
  console.log(`\n${title} (${samples.length} files, ${countTypes ? 'types created' : 'CPU ms'} per file; rebuild in CPU ms)`);
  console.log(`${'rule'.padEnd(18)} ${'mean'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)} ${'total'.padStart(9)}`);
  const out: Record<string, unknown> = {};
  for (const col of columns) {
    const values = valuesFor(col);
    const sorted = [...values].sort((a, b) => a - b);
    const sum = values.reduce((a, b) => a + b, 0);
    const mean = sum / Math.max(1, values.length);
    console.log(`${col.padEnd(18)} ${f1(mean).padStart(8)} ${f1(pct(sorted, 50)).padStart(8)} ${f1(pct(sorted, 95)).padStart(8)} ${f1(sorted.at(-1) ?? 0).padStart(8)} ${f1(sum).padStart(9)}`);
    out[col] = { mean, p50: pct(sorted, 50), p95: pct(sorted, 95), max: sorted.at(-1) ?? 0, total: sum };
  }
  if (top > 0) {
    for (const col of ruleIds) {
      const worst = samples
        .map((s) => ({ file: path.relative(root, s.file), ms: s.rules.get(col) ?? 0 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, top)
        .filter((w) => w.ms >= 1);
      if (worst.length) console.log(`  slowest for ${col}: ${worst.map((w) => `${w.file} ${f1(w.ms)}`).join(', ')}`);
    }
  }
  return out;
}

console.log(`project: ${root} (${files.length} files linted, ${repeat} edits each, median of all but the first${cached ? ', each timed on a second lint of the same checker' : ''})`);
const report: Record<string, unknown> = { project: root, files: files.length, findings: shared.reduce((a, s) => a + s.findings, 0) };
report.shared = table(cached ? 'all rules on one checker, types already computed' : 'all rules on one fresh checker per edit (as the language server)', shared);
if (isolated) report.isolated = table('each rule alone on a fresh checker', alone);
report.perFile = shared.map((s) => ({ file: path.relative(root, s.file), rebuild: s.rebuild, ...Object.fromEntries(s.rules) }));
console.log(`\nfindings: ${report.findings}; total CPU ${f1(totalMs)} ms`);
const jsonOut = valueOf('--json');
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 2));
