// Runs the rules over files. The CLI and the language server both drive this class; neither
// adds analysis of its own, so the three faces always agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { ts } from 'ts-morph';
import { applyRuleSettings, ConfigResolver, onlyRules, type ResolvedConfig, type RuleSetting } from './config';
import { compareFindings, type FileProblem, type FileResult, type Finding } from './findings';
import { applyFixes, syntaxErrors } from './fixes';
import { rangeOf } from './positions';
import { normalizePath, ProjectSet, readTextFile, type LoadedProject } from './project';
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
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FIX_PASSES = 10;

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES_BY_ID.keys());

function problem(file: string, kind: FileProblem['kind'], message: string, sf?: ts.SourceFile, start = 0, end = 0): FileProblem {
  return {
    file,
    kind,
    severity: kind === 'skipped' || kind === 'unused-directive' ? 'warning' : 'error',
    message,
    range: sf ? rangeOf(sf, start, end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/** Runs the active rules of `config` on one parsed file; returns findings sorted by position. */
export function runRules(sf: ts.SourceFile, program: ts.Program, config: ResolvedConfig): { findings: Finding[]; problems: FileProblem[] } {
  const findings: Finding[] = [];
  const problems: FileProblem[] = [];
  const memo = new Map<string, unknown>();
  let checker: ts.TypeChecker | undefined;
  const text = sf.text;
  for (const active of config.rules.values()) {
    const rule: AnyRule = active.rule;
    if (rule.mayApply && !rule.mayApply(text)) continue;
    const context: RuleContext<unknown> = {
      sourceFile: sf,
      program,
      get checker() {
        return (checker ??= program.getTypeChecker());
      },
      options: active.options,
      severity: active.severity,
      shared<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) memo.set(key, compute());
        return memo.get(key) as T;
      },
      report(d: ReportDescriptor) {
        findings.push(toFinding(sf, rule.id, active.severity, d));
      },
    };
    try {
      rule.check(context);
    } catch (err) {
      problems.push(problem(sf.fileName, 'internal-error', `racelint rule "${rule.id}" failed on this file: ${(err as Error)?.message ?? String(err)}`, sf));
    }
  }
  const activeIds = new Set(config.rules.keys());
  const suppressed = applySuppressions(sf, findings, KNOWN_RULES, activeIds);
  suppressed.kept.sort(compareFindings);
  return { findings: suppressed.kept, problems: [...problems, ...suppressed.problems] };
}

function toFinding(sf: ts.SourceFile, ruleId: string, severity: Finding['severity'], d: ReportDescriptor): Finding {
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
    fixes: d.fixes ?? [],
    suggestions: d.suggestions ?? [],
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
      size = fs.statSync(file).size;
    } catch (err) {
      return problem(file, 'skipped', `cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    const max = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (size > max) {
      return problem(file, 'skipped', `skipped: ${(size / 1048576).toFixed(1)} MiB is over the ${(max / 1048576).toFixed(1)} MiB limit per file`);
    }
    let text: string;
    try {
      text = readTextFile(file);
    } catch (err) {
      return problem(file, 'skipped', `cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    if (looksBinary(text)) return problem(file, 'skipped', 'skipped: looks like a binary file (contains NUL bytes)');
    return undefined;
  }

  /** Lints one file from the project's current state of it (disk, or the editor's text). */
  lintFile(file: string, config = this.configFor(file)): FileResult {
    const key = normalizePath(file);
    try {
      const { loaded, sf } = this.sourceFileFor(key);
      const errors = parseErrors(sf);
      if (errors.length > 0) {
        const first = errors[0];
        const message = `Parsing error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
        return { file: key, findings: [], problems: [problem(key, 'parse-error', message, sf, first.start, first.start + (first.length ?? 0))], source: sf.text };
      }
      const { findings, problems } = runRules(sf, loaded.program(), config);
      return { file: key, findings, problems, source: sf.text };
    } catch (err) {
      return { file: key, findings: [], problems: [problem(key, 'internal-error', `racelint failed on this file: ${(err as Error)?.message ?? String(err)}`)] };
    }
  }

  /** Replaces a file's text in its project (the editor's buffer, or a fix pass); the file need not exist on disk. */
  setFileText(file: string, text: string): void {
    const key = normalizePath(file);
    const loaded = this.projects.projectFor(key, text);
    const existing = loaded.project.getSourceFile(key);
    if (existing) existing.replaceWithText(text);
    else loaded.project.createSourceFile(key, text, { overwrite: true });
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
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const fixes = result.findings.flatMap((f) => f.fixes.slice(0, 1));
      if (fixes.length === 0) break;
      const applied = applyFixes(text, fixes);
      if (applied.applied.length === 0 || applied.text === text) break;
      if (syntaxErrors(key, applied.text).length > syntaxErrors(key, text).length) break;
      text = applied.text;
      this.setFileText(key, text);
      result = this.lintFile(key, config);
    }
    if (text !== original) {
      result.fixedSource = text;
      result.originalSource = original;
    }
    return result;
  }
}
