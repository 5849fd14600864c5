// Runs the rules over files. The CLI and the language server both drive this class; neither
// adds analysis of its own, so the three faces always agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { ts } from 'ts-morph';
import { applyRuleSettings, ConfigResolver, onlyRules, type ResolvedConfig, type RuleSetting } from './config';
import { compareFindings, type FileProblem, type FileResult, type Finding, type Fix } from './findings';
import { applyFixes, syntaxErrors } from './fixes';
import { rangeOf } from './positions';
import { normalizePath, ProjectSet, ranOutOfStack, readTextFile, type LoadedProject } from './project';
import type { AnyRule, ReportDescriptor, RuleContext } from './rule';
import { RULES_BY_ID } from './rules';
import { applySuppressions } from './suppressions';

export interface LinterOptions {
  cwd: string;
  /** `-c`: one config file for every file. */
  configFile?: string;
  /** `--project`: one tsconfig for every file. */
  tsconfig?: string;
  /** `--rule`: run only these rules. */
  onlyRules?: readonly string[];
  /** Levels and options applied over each file's config (the editor's `racelint.rules`). */
  ruleOverrides?: Record<string, RuleSetting>;
  /** Files larger than this many bytes are skipped with a reason (default 4 MiB). */
  maxFileBytes?: number;
  /** The rules stop on a file after this many milliseconds of CPU time, saying which were cut short (default 10 s). */
  ruleTimeBudgetMs?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_RULE_TIME_BUDGET_MS = 10_000;
/**
 * Findings one rule reports in one file beyond this are counted, not listed: a generated file
 * can have hundreds of thousands (one per line of a bundle), which no one reads and which make
 * reports too large to write (a SARIF string past V8's limit) or to send to an editor.
 */
export const MAX_FINDINGS_PER_RULE = 1000;
const MAX_FIX_PASSES = 10;

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES_BY_ID.keys());

const TOO_DEEPLY_NESTED = 'skipped: the code is nested too deeply for TypeScript to analyse (it ran out of stack space)';

/** Thrown inside a rule (from a type checker call or a report) once the file's time budget is spent. */
class RuleTimeBudgetSpent extends Error {}

/**
 * The type checker with a deadline check before each call: rules spend their time in checker
 * calls, so this is where a rule that runs too long on a huge or generated file can be stopped
 * without cooperation from the rule. The check runs before the real call, so the checker is never
 * interrupted halfway through. One wrapper per checker (rules may key caches on it); its budget
 * check is set for the file being linted and lifted afterwards, so a kept reference never throws.
 */
interface TimedChecker {
  checker: ts.TypeChecker;
  overBudget: () => boolean;
  /**
   * The exception that escaped the checker (a stack overflow on deeply nested code, a TypeScript
   * bug): its internal state may be half-updated, and later answers wrong or throwing, so no rule
   * may use it again; the program is rebuilt for the next file.
   */
  spoiledBy?: unknown;
}

const NEVER = () => false;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * The process's CPU time as read at most `maxAgeMs` of wall time ago. Reading it (getrusage) is
 * not free: on this project's 2-core VM it took 0.4-1.4 ms a call once the heap was big, and read
 * twice per file it was 4.6% of a lint of theia-core (1,653 reads, 0.67 s). A budget whose start
 * is up to `maxAgeMs` stale counts that much earlier work against the file: callers keep it a
 * small fraction of the budget.
 */
let cpuSample: { at: number; usage: NodeJS.CpuUsage } | undefined;
function recentCpuUsage(maxAgeMs: number): NodeJS.CpuUsage {
  const now = performance.now();
  if (!cpuSample || now - cpuSample.at > maxAgeMs) cpuSample = { at: now, usage: process.cpuUsage() };
  return cpuSample.usage;
}

const timedCheckers = new WeakMap<ts.TypeChecker, TimedChecker>();

function timedCheckerOf(checker: ts.TypeChecker): TimedChecker {
  let timed = timedCheckers.get(checker);
  if (!timed) {
    const entry: TimedChecker = { checker, overBudget: NEVER };
    const wrapped: Record<string, unknown> = {};
    for (const key of Object.keys(checker)) {
      const value = (checker as unknown as Record<string, unknown>)[key];
      wrapped[key] =
        typeof value === 'function'
          ? (...args: unknown[]) => {
              if (entry.overBudget()) throw new RuleTimeBudgetSpent();
              try {
                return (value as (...a: unknown[]) => unknown).apply(checker, args);
              } catch (err) {
                entry.spoiledBy ??= err;
                throw err;
              }
            }
          : value;
    }
    entry.checker = wrapped as unknown as ts.TypeChecker;
    timedCheckers.set(checker, entry);
    timed = entry;
  }
  return timed;
}

function problem(file: string, kind: FileProblem['kind'], message: string, sf?: ts.SourceFile, start = 0, end = 0): FileProblem {
  return {
    file,
    kind,
    severity: kind === 'skipped' || kind === 'unused-directive' ? 'warning' : 'error',
    message,
    range: sf ? rangeOf(sf, start, end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/**
 * Runs the active rules of `config` on one parsed file; returns findings sorted by position.
 * Once `timeBudgetMs` is spent, the running rule is stopped and the rest are skipped, each with a
 * problem saying so; a rule cut short reports nothing rather than a partial, timing-dependent set.
 */
export function runRules(
  sf: ts.SourceFile,
  program: ts.Program,
  config: ResolvedConfig,
  timeBudgetMs = DEFAULT_RULE_TIME_BUDGET_MS,
  /** The checker to use (the program's own unless given; see FileSet.checkerFor). */
  makeChecker: () => ts.TypeChecker = () => program.getTypeChecker(),
): { findings: Finding[]; problems: FileProblem[]; checkerFailure?: unknown } {
  ensureParents(sf);
  const findings: Finding[] = [];
  const problems: FileProblem[] = [];
  const memo = new Map<string, unknown>();
  let timed: TimedChecker | undefined;
  // Creating the checker binds every file of the program; if that throws, the file trees may be
  // left half-bound, which is as bad as a spoiled checker.
  let bindFailure: unknown;
  const checkerFailure = () => bindFailure ?? timed?.spoiledBy;
  const text = sf.text;
  let crlf: boolean | undefined;
  // The budget is CPU time, so a busy machine (a CI runner, other editors' servers) does not cut
  // the rules short and change the results; wall time is the cheap first check.
  const cpuSampleAgeMs = Math.min(250, timeBudgetMs / 40);
  const cpuStart = recentCpuUsage(cpuSampleAgeMs);
  let excludedMs = 0;
  let deadline = performance.now() + timeBudgetMs;
  const overBudget = () => {
    if (performance.now() <= deadline) return false;
    const usedMs = cpuMsSince(cpuStart) - excludedMs;
    if (usedMs >= timeBudgetMs) return true;
    deadline = performance.now() + (timeBudgetMs - usedMs);
    return false;
  };
  const budgetSpent = (id: string) => problem(sf.fileName, 'skipped', `rule "${id}" skipped: the ${timeBudgetMs / 1000} s analysis time budget for this file ran out (a generated or minified file? add it to "ignore")`, sf);
  for (const active of config.rules.values()) {
    const rule: AnyRule = active.rule;
    if (rule.mayApply && !rule.mayApply(text)) continue;
    if (overBudget()) {
      problems.push(budgetSpent(rule.id));
      continue;
    }
    if (checkerFailure() !== undefined) {
      problems.push(problem(sf.fileName, 'skipped', `rule "${rule.id}" skipped: the type checker failed on this file (see the problem above)`, sf));
      continue;
    }
    const reported: Finding[] = [];
    let unlisted = 0;
    const context: RuleContext<unknown> = {
      sourceFile: sf,
      program,
      get checker() {
        if (!timed) {
          // The first use binds the whole program (seconds on a big one, more on a loaded
          // machine): not this file's analysis time, so it does not count against its budget.
          const started = performance.now();
          const cpuBefore = recentCpuUsage(cpuSampleAgeMs);
          let checker: ts.TypeChecker;
          try {
            checker = makeChecker();
          } catch (err) {
            bindFailure ??= err;
            throw err;
          }
          const tookMs = performance.now() - started;
          deadline += tookMs;
          // (Binding runs on this thread, so its wall time bounds its CPU time: the clock is read
          // again only when it took long, once per program.)
          excludedMs += tookMs < cpuSampleAgeMs ? tookMs : cpuMsSince(cpuBefore);
          timed = timedCheckerOf(checker);
          timed.overBudget = overBudget;
        }
        return timed.checker;
      },
      options: active.options,
      severity: active.severity,
      shared<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) memo.set(key, compute());
        return memo.get(key) as T;
      },
      report(d: ReportDescriptor) {
        if (overBudget()) throw new RuleTimeBudgetSpent();
        if (reported.length < MAX_FINDINGS_PER_RULE) reported.push(toFinding(sf, rule.id, active.severity, d, (crlf ??= crlfOnly(text))));
        else unlisted++;
      },
    };
    try {
      rule.check(context);
      for (const f of reported) findings.push(f);
      if (unlisted > 0) {
        const last = reported[reported.length - 1];
        problems.push(problem(sf.fileName, 'skipped', `rule "${rule.id}": ${unlisted} more findings in this file are not listed (over ${MAX_FINDINGS_PER_RULE} per rule and file; a generated file? add it to "ignore")`, sf, last.startOffset, last.endOffset));
      }
    } catch (err) {
      if (err instanceof RuleTimeBudgetSpent) problems.push(budgetSpent(rule.id));
      else if (ranOutOfStack(err)) {
        problems.push(problem(sf.fileName, 'skipped', `rule "${rule.id}" ${TOO_DEEPLY_NESTED}`, sf));
        // The overflow may have happened deep inside the checker, below a call on a type or symbol.
        if (timed) timed.spoiledBy ??= err;
      } else {
        for (const f of reported) findings.push(f);
        problems.push(problem(sf.fileName, 'internal-error', `racelint rule "${rule.id}" failed on this file: ${(err as Error)?.message ?? String(err)}`, sf));
      }
    }
  }
  if (timed) timed.overBudget = NEVER;
  const activeIds = new Set(config.rules.keys());
  const suppressed = applySuppressions(sf, findings, KNOWN_RULES, activeIds);
  suppressed.kept.sort(compareFindings);
  return { findings: suppressed.kept, problems: [...problems, ...suppressed.problems], checkerFailure: checkerFailure() };
}

/**
 * Sets the parent pointers of a tree parsed without them (ProjectSet.parentsFromBinder) that no
 * checker has bound yet: the rules read parents before their first question to the checker, and
 * may never ask one. Once the program's checker exists, the binder has set them in every file.
 */
function ensureParents(sf: ts.SourceFile): void {
  if (sf.endOfFileToken.parent === undefined) (ts as unknown as { setParentRecursive(node: ts.Node, incremental: boolean): void }).setParentRecursive(sf, false);
}

/** Whether every line of a text ends in CRLF (then fixes must insert CRLF too, not a mix). */
function crlfOnly(text: string): boolean {
  return text.includes('\r\n') && !/(?:^|[^\r])\n/.test(text);
}

/**
 * Rules write their edits with \n; in a file whose lines all end in CRLF they get CRLF. Line
 * breaks inside an edit are code (a string's newline is written \n), and template literals read
 * CRLF as LF, so this never changes what the code means.
 */
function withLineEndings(fixes: Fix[], crlf: boolean): Fix[] {
  if (!crlf || !fixes.some((f) => f.edits.some((e) => e.text.includes('\n')))) return fixes;
  return fixes.map((f) => ({ ...f, edits: f.edits.map((e) => (e.text.includes('\n') ? { ...e, text: e.text.replace(/\r?\n/g, '\r\n') } : e)) }));
}

function toFinding(sf: ts.SourceFile, ruleId: string, severity: Finding['severity'], d: ReportDescriptor, crlf = false): Finding {
  const start = d.node ? d.node.getStart(sf) : (d.start ?? 0);
  const end = d.node ? d.node.getEnd() : (d.end ?? start);
  return {
    file: sf.fileName,
    ruleId,
    severity,
    message: d.message,
    range: rangeOf(sf, start, end),
    startOffset: start,
    endOffset: end,
    related: (d.related ?? []).map((r) => {
      const file = r.file ?? r.node?.getSourceFile() ?? sf;
      const rs = r.node ? r.node.getStart(file) : (r.start ?? 0);
      const re = r.node ? r.node.getEnd() : (r.end ?? rs);
      return { file: file.fileName, range: rangeOf(file, rs, re), startOffset: rs, endOffset: re, message: r.message };
    }),
    fixes: withLineEndings(d.fixes ?? [], crlf),
    suggestions: withLineEndings(d.suggestions ?? [], crlf),
  };
}

/** Parse errors of a file as TypeScript reports them while parsing. */
export function parseErrors(sf: ts.SourceFile): ts.DiagnosticWithLocation[] {
  return (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

export class Linter {
  readonly projects: ProjectSet;
  readonly configs: ConfigResolver;
  private readonly ignoreMatchers = new Map<ResolvedConfig, (abs: string) => boolean>();

  constructor(readonly options: LinterOptions) {
    this.projects = new ProjectSet({ cwd: options.cwd, tsconfig: options.tsconfig });
    this.configs = new ConfigResolver(options.cwd, options.configFile);
  }

  /**
   * The effective config for a file: its racelint config, then overrides, then `--rule`.
   * `base` replaces the file's racelint config (the language server lints with the defaults
   * while a broken racelint.json is being edited); `ruleOverrides` replaces the option's.
   */
  configFor(file: string, ruleOverrides = this.options.ruleOverrides, base?: ResolvedConfig): ResolvedConfig {
    let config = base ?? this.configs.forFile(file);
    if (ruleOverrides && Object.keys(ruleOverrides).length > 0) {
      config = { ...config, rules: applyRuleSettings(config.rules, ruleOverrides, 'racelint.rules setting', 'racelint.rules') };
    }
    if (this.options.onlyRules && this.options.onlyRules.length > 0) config = onlyRules(config, this.options.onlyRules);
    return config;
  }

  /** Whether the config's `ignore` globs exclude a file (or a directory, given with a trailing '/'). */
  isIgnored(abs: string): boolean {
    const config = this.configs.forFile(abs.endsWith('/') ? path.join(abs, 'x') : abs);
    if (config.ignore.length === 0) return false;
    let match = this.ignoreMatchers.get(config);
    if (!match) {
      const m = picomatch(config.ignore, { dot: true });
      match = (p: string) => {
        const rel = path.relative(config.baseDir, p).split(path.sep).join('/');
        return !rel.startsWith('..') && (m(rel) || m(rel.replace(/\/$/, '')));
      };
      this.ignoreMatchers.set(config, match);
    }
    return match(abs);
  }

  private sourceFileFor(file: string): { loaded: LoadedProject; sf: ts.SourceFile } {
    const loaded = this.projects.projectFor(file);
    const program = loaded.program();
    const sf = program.getSourceFile(file) ?? program.getSourceFile(normalizePath(file));
    if (!sf) throw new Error(`TypeScript did not load ${file}`);
    return { loaded, sf };
  }

  /** Checks a file's size and content before anything parses it; returns a reason to skip it. */
  precheck(file: string): FileProblem | undefined {
    let size: number;
    try {
      const stat = fs.statSync(file);
      // Reading a named pipe or a device would block, or never end.
      if (!stat.isFile()) return problem(file, 'skipped', 'skipped: not a regular file (a pipe, socket or device)');
      size = stat.size;
    } catch (err) {
      return problem(file, 'skipped', `skipped: cannot be read (${(err as Error)?.message ?? err})`);
    }
    const max = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (size > max) {
      return problem(file, 'skipped', `skipped: ${(size / 1048576).toFixed(1)} MiB is over the ${(max / 1048576).toFixed(1)} MiB limit per file`);
    }
    let text: string;
    try {
      text = readTextFile(file);
    } catch (err) {
      return problem(file, 'skipped', `skipped: cannot be read (${(err as Error)?.message ?? err})`);
    }
    if (looksBinary(text)) return problem(file, 'skipped', 'skipped: looks like a binary file (contains NUL bytes)');
    return undefined;
  }

  /** Lints one file from the project's current state of it (disk, or the editor's text). */
  lintFile(file: string, config = this.configFor(file)): FileResult {
    const key = normalizePath(file);
    try {
      this.projects.projectFor(key);
      if (this.projects.tooDeeplyNested.has(key)) return { file: key, findings: [], problems: [problem(key, 'skipped', TOO_DEEPLY_NESTED)] };
      const { loaded, sf } = this.sourceFileFor(key);
      const errors = parseErrors(sf);
      if (errors.length > 0) {
        const first = errors[0];
        const message = `Parsing error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
        return { file: key, findings: [], problems: [problem(key, 'parse-error', message, sf, first.start, first.start + (first.length ?? 0))], source: sf.text };
      }
      const { findings, problems, checkerFailure } = runRules(sf, loaded.program(), config, this.options.ruleTimeBudgetMs, () => loaded.project.checkerFor(key));
      if (checkerFailure !== undefined) {
        // The next file must not use a checker (or trees) left half-updated by an exception. A
        // file too deep to check is left out of its program, as one too deep to parse, so it
        // cannot spoil the checking of the others, and it is skipped as a whole (no findings that
        // depend on which rule ran first).
        loaded.project.discardProgram();
        if (ranOutOfStack(checkerFailure)) {
          this.projects.leaveOut(key);
          return { file: key, findings: [], problems: [problem(key, 'skipped', TOO_DEEPLY_NESTED)] };
        }
      }
      return { file: key, findings, problems, source: sf.text };
    } catch (err) {
      if (ranOutOfStack(err)) return { file: key, findings: [], problems: [problem(key, 'skipped', TOO_DEEPLY_NESTED)] };
      return { file: key, findings: [], problems: [problem(key, 'internal-error', `racelint failed on this file: ${(err as Error)?.message ?? String(err)}`)] };
    }
  }

  /** Replaces a file's text in its project (the editor's buffer, or a fix pass); the file need not exist on disk. */
  setFileText(file: string, text: string): void {
    this.projects.setFileText(file, text);
  }

  /**
   * Lints a file and applies its fixes (never suggestions) in passes until none remain.
   * A pass whose output would not parse as cleanly as its input is dropped.
   */
  fixFile(file: string, config = this.configFor(file)): FileResult {
    const key = normalizePath(file);
    let result = this.lintFile(key, config);
    if (result.source === undefined) return result;
    const original = result.source;
    let text = original;
    const budgetMs = this.options.ruleTimeBudgetMs ?? DEFAULT_RULE_TIME_BUDGET_MS;
    const started = process.cpuUsage();
    const seen = new Set([original]);
    try {
      for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
        const fixes = result.findings.flatMap((f) => f.fixes.slice(0, 1));
        if (fixes.length === 0) break;
        if (pass > 0 && cpuMsSince(started) > budgetMs) {
          // Each pass lints the file again; on a huge file, stop with what is fixed so far.
          result = { ...result, problems: [...result.problems, problem(key, 'skipped', `racelint stopped fixing this file after ${pass} passes: its ${budgetMs / 1000} s time budget ran out`)] };
          break;
        }
        const applied = applyFixes(text, fixes);
        // A text seen before means two rules' fixes undo each other: stop rather than cycle.
        if (applied.applied.length === 0 || applied.text === text || seen.has(applied.text)) break;
        seen.add(applied.text);
        if (syntaxErrors(key, applied.text).length > syntaxErrors(key, text).length) break;
        text = applied.text;
        this.setFileText(key, text);
        result = this.lintFile(key, config);
      }
    } catch (err) {
      // A rule's malformed edits (or a parse that runs out of stack): keep the passes that
      // succeeded, and say why fixing stopped instead of failing the whole run.
      if (this.projects.projectFor(key).project.getSourceFile(key)?.getFullText() !== text) this.setFileText(key, text);
      result = { ...result, problems: [...result.problems, problem(key, ranOutOfStack(err) ? 'skipped' : 'internal-error', `racelint stopped fixing this file: ${(err as Error)?.message ?? String(err)}`)] };
    }
    if (text !== original) {
      result.fixedSource = text;
      result.originalSource = original;
    }
    return result;
  }
}
