// The racelint command line: a thin shell over the core's Linter.
// Exit codes: 0 clean, 1 errors (or more warnings than --max-warnings), 2 usage, config or
// internal error.
import './replayInstall';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CacheHandover, type CachePlan, configFingerprint, DEFAULT_CACHE_DIR, engineIdentity, ResultCache } from '../core/cache';
import { ConfigError } from '../core/config';
import type { FileResult } from '../core/findings';
import { syntaxErrors } from '../core/fixes';
import { Linter } from '../core/linter';
import { discoverFiles, type ProjectWarning, readTextFile } from '../core/project';
import { RULES_BY_ID, ruleIds } from '../core/rules';
import { filesOfShard, parseShard, type Shard } from '../core/shard';
import { VERSION } from '../core/version';
import { countSeverities, FORMATTERS } from './formatters';
import { MergeError, mergeFiles, type MergeFormat } from './merge';
import { finishTrace, forgetReadsSince, quietly, readsCheckpoint, type ReplayTrace, startTrace, unrecordedReads } from '../../../bin/replay';
import { isBuildingSnapshot, launcherSawChanged, leaveStamp, prepareSnapshot, prepareTrees, runFromSnapshot, runNodeFlags, shouldWriteSnapshot, takeHandover, writeSnapshot } from './parseSnapshot';
import { daemonState, serveDaemon, startDaemon } from './daemon';
import { daemonWanted, stopDaemon } from '../../../bin/daemon-client';

const HELP = `racelint ${VERSION}: finds race conditions in async TypeScript and JavaScript

Usage: racelint [options] [paths...]          (default path: .)
       racelint merge [-f json|sarif] [-o file] <reports...>   (combine --shard reports)

Options:
  -p, --project <tsconfig>   Use this tsconfig.json for every file
  -c, --config <file>        Use this racelint.json for every file
  -f, --format <name>        stylish (default), json, sarif or github
  -o, --output-file <file>   Write the report to a file
      --quiet                Report errors only
      --max-warnings <n>     Exit 1 when there are more than n warnings
      --fix                  Apply safe fixes to the files
      --fix-dry-run          Compute fixes without writing them (see json "output")
      --rule <id>            Run only this rule (repeatable)
      --print-config <file>  Print the configuration used for a file, and exit
      --max-file-size <kb>   Skip files larger than this (default 4096)
      --cache                Reuse results of files whose code and imports did not change
      --cache-location <path>  Where the cache lives (default node_modules/.cache/racelint)
      --shard <i/n>          Lint only the i-th of n shares of the files (CI matrix)
      --daemon-stop          Stop the background process that keeps --cache runs warm
      --debug                Show stack traces and timing on stderr
      --no-color             Never colour the output
  -v, --version              Print the version
  -h, --help                 Print this help

Rules: ${ruleIds().join(', ')}
Docs:  https://github.com/racelint/racelint#readme`;

export class UsageError extends Error {}

export interface CliOptions {
  paths: string[];
  project?: string;
  config?: string;
  format: string;
  outputFile?: string;
  quiet: boolean;
  maxWarnings?: number;
  fix: boolean;
  fixDryRun: boolean;
  rules: string[];
  printConfig?: string;
  maxFileKb?: number;
  debug: boolean;
  cache: boolean;
  cacheLocation?: string;
  daemonStop?: boolean;
  shard?: Shard;
  color?: boolean;
  help: boolean;
  version: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { paths: [], format: 'stylish', quiet: false, fix: false, fixDryRun: false, rules: [], debug: false, cache: false, help: false, version: false };
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    // A value may not look like an option, except a negative number (--max-warnings -1).
    if (v === undefined || v === '' || (v.startsWith('-') && v !== '-' && !/^-\d+$/.test(v))) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  while (args.length > 0) {
    let a = args.shift()!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      args.unshift(a.slice(eq + 1));
      a = a.slice(0, eq);
    }
    switch (a) {
      case '-p':
      case '--project':
        o.project = value(a);
        break;
      case '-c':
      case '--config':
        o.config = value(a);
        break;
      case '-f':
      case '--format':
        o.format = value(a);
        if (!FORMATTERS[o.format]) throw new UsageError(`unknown format "${o.format}"; use one of: ${Object.keys(FORMATTERS).join(', ')}`);
        break;
      case '-o':
      case '--output-file':
        o.outputFile = value(a);
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--max-warnings': {
        const v = value(a);
        if (!/^-?\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, got "${v}"`);
        o.maxWarnings = Number(v);
        break;
      }
      case '--max-file-size': {
        const v = value(a);
        if (!/^\d+$/.test(v) || Number(v) === 0) throw new UsageError(`--max-file-size needs a positive number of kilobytes, got "${v}"`);
        o.maxFileKb = Number(v);
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--fix-dry-run':
        o.fixDryRun = true;
        break;
      case '--rule': {
        const v = value(a);
        for (const id of v.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!RULES_BY_ID.has(id)) throw new UsageError(`unknown rule "${id}"; the rules are: ${ruleIds().join(', ')}`);
          o.rules.push(id);
        }
        break;
      }
      case '--print-config':
        o.printConfig = value(a);
        break;
      case '--cache':
        o.cache = true;
        break;
      case '--cache-location':
        o.cacheLocation = value(a);
        o.cache = true;
        break;
      case '--daemon-stop':
        o.daemonStop = true;
        break;
      case '--shard': {
        const v = value(a);
        o.shard = parseShard(v);
        if (!o.shard) throw new UsageError(`--shard needs i/n with 1 <= i <= n, got "${v}"`);
        break;
      }
      case '--debug':
        o.debug = true;
        break;
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-v':
      case '--version':
        o.version = true;
        break;
      case '--':
        o.paths.push(...args.splice(0));
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}" (see racelint --help)`);
        o.paths.push(a);
    }
  }
  if (o.fix && o.fixDryRun) throw new UsageError('use either --fix or --fix-dry-run, not both');
  return o;
}

function repoRoot(cwd: string): string {
  for (let d = cwd; ; ) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return cwd;
    d = parent;
  }
}

/** Progress on stderr, only for a terminal and only once the run takes more than a moment. */
class Progress {
  private readonly started = Date.now();
  private shown = false;
  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
    /** A replayed report leaves progress out. */
    private readonly trace?: ReplayTrace,
  ) {}
  tick(done: number, file: string): void {
    if (!this.enabled || Date.now() - this.started < 1000) return;
    this.shown = true;
    const name = file.length > 50 ? '…' + file.slice(-49) : file;
    quietly(this.trace, () => process.stderr.write(`\r\u001b[Kracelint: ${done}/${this.total} ${name}`));
  }
  end(): void {
    if (this.shown) quietly(this.trace, () => process.stderr.write('\r\u001b[K'));
  }
}

function printConfigFor(linter: Linter, file: string): string {
  const config = linter.configFor(path.resolve(file));
  const rules: Record<string, unknown> = {};
  for (const [id, active] of config.rules) {
    rules[id] = [active.severity === 'error' ? 'error' : 'warn', active.options];
  }
  return JSON.stringify({ configFile: config.configFile ?? null, rules, ignore: config.ignore }, null, 2);
}

/** What went wrong with a file system call, in words (the code stays, for searching). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    ENOENT: 'a directory on the path does not exist and cannot be created',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EEXIST: 'a file is in the way of a directory on the path',
  };
  return code ? `${words[code] ?? (err as Error).message} (${code})` : String((err as Error)?.message ?? err);
}

/**
 * Writes a report, creating missing directories one level at a time: Node's recursive mkdir
 * loops forever where the kernel answers ENOENT for a directory it will not create (/proc/x).
 * Returns an error message, or undefined when written.
 */
export function writeReport(target: string, output: string): string | undefined {
  try {
    const missing: string[] = [];
    for (let d = path.dirname(target); !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.push(d);
    for (const d of missing.reverse()) fs.mkdirSync(d);
    fs.writeFileSync(target, output);
    return undefined;
  } catch (err) {
    return describeFsError(err);
  }
}

/**
 * Writes a fixed file, only if it still holds the text we linted (an editor may have changed
 * it) and the fixed text parses. Returns whether the file was written; `log` says why not.
 */
export function writeFixed(result: FileResult, log: (s: string) => void): boolean {
  if (result.fixedSource === undefined || result.originalSource === undefined) return false;
  let current: string;
  try {
    const bytes = fs.readFileSync(result.file);
    current = bytes.toString('utf8');
    // Invalid UTF-8 was read as U+FFFD: writing the text back would change bytes no fix touched.
    if (!Buffer.from(current, 'utf8').equals(bytes)) {
      log(`racelint: not fixing ${result.file}: it is not valid UTF-8, and writing it would change bytes no fix touched`);
      return false;
    }
  } catch {
    log(`racelint: not fixing ${result.file}: it can no longer be read`);
    return false;
  }
  const bom = current.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  if ((bom ? current.slice(1) : current) !== result.originalSource) {
    log(`racelint: not fixing ${result.file}: it changed on disk while racelint was running`);
    return false;
  }
  const errors = syntaxErrors(result.file, result.fixedSource);
  if (errors.length > 0) {
    log(`racelint: not fixing ${result.file}: the fixed text would not parse (${errors[0]}); please report this`);
    return false;
  }
  try {
    fs.writeFileSync(result.file, bom + result.fixedSource);
    return true;
  } catch (err) {
    log(`racelint: not fixing ${result.file}: cannot write it: ${describeFsError(err)}`);
    return false;
  }
}

/** What a `--cache` run hands over to the process it starts from the parse snapshot. */
interface PlanHandover {
  files: string[];
  /** The results from the cache, without their texts (read again). */
  hits: FileResult[];
  misses: string[];
  cache: CacheHandover;
}

export async function run(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  if (argv[0] === 'merge') return runMerge(argv.slice(1), cwd);
  // A `--cache` run answered wholly from the cache leaves a record the launcher can replay
  // (bin/replay.js): from here on, what the run reads and writes is traced.
  const trace = startTrace(argv, cwd);
  let code: number;
  try {
    code = await runCommand(argv, cwd, trace);
  } catch (err) {
    if (trace) {
      trace.eligible = undefined;
      finishTrace(trace, 2);
    }
    throw err;
  }
  if (trace) {
    const recorded = finishTrace(trace, code);
    if (trace.eligible && argv.includes('--debug')) {
      process.stderr.write(`racelint: ${recorded ? 'this report will be replayed by the launcher while nothing this run read changes' : `no replay record: ${trace.why}`}\n`);
    }
  }
  return code;
}

async function runCommand(argv: readonly string[], cwd: string, trace: ReplayTrace | undefined): Promise<number> {
  let options: CliOptions | undefined;
  // --debug's lines carry timings: a replayed report leaves them out.
  const debug = (line: string) => {
    if (options?.debug) quietly(trace, () => process.stderr.write(line));
  };
  try {
    options = parseArgs(argv);
    if (options.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (options.version) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (options.daemonStop) {
      process.stdout.write(`racelint: ${await stopDaemon(path.dirname(openCache(options, cwd).file), cwd)}\n`);
      return 0;
    }
    const linterOptions = {
      cwd,
      configFile: options.config,
      tsconfig: options.project ? path.resolve(cwd, options.project) : undefined,
      onlyRules: options.rules,
      maxFileBytes: options.maxFileKb ? options.maxFileKb * 1024 : undefined,
    };
    const linter = new Linter(linterOptions);
    if (options.printConfig) {
      process.stdout.write(printConfigFor(linter, path.resolve(cwd, options.printConfig)) + '\n');
      return 0;
    }
    const t0 = Date.now();
    const fixing = options.fix || options.fixDryRun;
    // Started from the parse snapshot by a run that found files to lint: it hands over its files
    // and the cache's plan (and said what discovering the files had to say).
    const handed = options.cache && !fixing ? (takeHandover(argv, cwd) as PlanHandover | undefined) : undefined;
    let files: string[];
    let planReads: ReturnType<typeof readsCheckpoint>;
    let cache: ResultCache | undefined;
    let plan: CachePlan;
    if (handed) {
      files = handed.files;
      cache = ResultCache.resume(handed.cache);
      plan = { hits: handed.hits.map((hit) => ({ ...hit, source: readTextOrUndefined(hit.file) })), misses: handed.misses };
      debug(`racelint: files and cache plan handed over by the run that started this one\n`);
    } else {
      const sawChanged = launcherSawChanged();
      if (sawChanged) debug(`racelint: started from the parse snapshot by the launcher (${sawChanged} changed since the last run)\n`);
      const paths = options.paths.length > 0 ? options.paths : ['.'];
      const found = discoverFiles(paths, { cwd, isIgnoredByConfig: (abs) => linter.isIgnored(abs) });
      if (found.missing.length > 0) {
        process.stderr.write(`racelint: no such file or directory: ${found.missing.join(', ')}\n`);
        return 2;
      }
      for (const ig of found.ignored) process.stderr.write(`racelint: ${path.relative(cwd, ig.file)} is ${ig.reason}\n`);
      for (const u of found.unreadable) process.stderr.write(`racelint: warning: cannot read the directory ${path.relative(cwd, u.file) || u.file} (${u.reason}); its files are not linted\n`);
      if (found.files.length === 0 && found.ignored.length === 0) {
        process.stderr.write(`racelint: no files to lint in ${paths.join(', ')} (looked for ${['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].join(' ')})\n`);
      }
      files = options.shard ? filesOfShard(found.files, repoRoot(cwd), options.shard) : found.files;
      // From here to the plan: what a run that lints files may forget (`mayProve` below).
      planReads = readsCheckpoint(trace);
      cache = options.cache && !fixing ? openCache(options, cwd) : undefined;
      if (cache?.discarded) debug(`racelint: cache: starting afresh (${cache.discarded})\n`);
      plan = cache ? planWith(cache, linter, files) : { hits: [], misses: files };
      if (cache && plan.misses.length > 0 && !daemonState.serving) {
        const handover: PlanHandover = { files, hits: plan.hits.map(({ source: _source, ...hit }) => hit), misses: plan.misses, cache: cache.handOver() };
        // Whether a snapshot is there to hand over to is no part of a report (see `mayProve`).
        const code = unrecordedReads(trace, () => runFromSnapshot(path.dirname(cache!.file), __filename, argv, cwd, handover));
        if (code !== undefined) return code;
      }
      // Answered wholly from the cache, to stdout: the launcher may replay this report (bin/replay.js).
      if (trace && cache && plan.misses.length === 0 && !options.outputFile) trace.eligible = { bundle: __filename, cacheDir: path.dirname(cache.file), files: files.length };
    }
    // A run that lints files here may leave the launcher a record as well, when its report is
    // what a run answered wholly from the cache would print (checked below).
    const mayProve = !!(trace && cache && !handed && !options.outputFile && plan.misses.length > 0);
    const outputBefore = trace?.output.length ?? 0;
    // Such a run's plan read more than a run answered from the cache does (imports of changed
    // files resolved up to the root, where /tmp or a home directory changes all the time); the
    // proof reads again what that run reads.
    if (mayProve) forgetReadsSince(trace, planReads);
    // Programs get only the files this run lints (and what they import) as roots.
    linter.projects.lintOnly = new Set(plan.misses);
    // Only runRules reads the trees here: their parents come from the binder (ProjectSet.parentsFromBinder).
    linter.projects.parentsFromBinder = true;
    const results: FileResult[] = [...plan.hits];
    const lint = () => {
      // The daemon shows no progress: it answers once the run is over.
      const progress = new Progress(plan.misses.length, !!process.stderr.isTTY && !options!.debug && !daemonState.serving, trace);
      for (const [i, file] of plan.misses.entries()) {
        progress.tick(i, path.relative(cwd, file));
        const skip = linter.precheck(file);
        if (skip) {
          results.push({ file, findings: [], problems: [skip] });
          continue;
        }
        let result = options!.fix || options!.fixDryRun ? linter.fixFile(file) : linter.lintFile(file);
        if (options!.fix && result.fixedSource !== undefined && !writeFixed(result, (s) => process.stderr.write(s + '\n'))) {
          // Not written: report what is on disk, not the fixed text nobody will see.
          const onDisk = readTextOrUndefined(file);
          if (onDisk !== undefined) {
            linter.setFileText(file, onDisk);
            result = linter.lintFile(file);
          }
        }
        cache?.record(result, readTextOrUndefined);
        results.push(result);
      }
      progress.end();
      if (cache) {
        try {
          cache.save();
          if (!daemonState.serving) leaveStamp(path.dirname(cache.file), __filename, argv, cwd, files, plan.misses.length);
        } catch (err) {
          process.stderr.write(`racelint: warning: cannot write the cache to ${cache.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        }
        results.sort(byFile);
        const programFiles = linter.projects.loadedProjects().reduce((n, p) => n + (p.project.lastProgram?.getSourceFiles().length ?? 0), 0);
        const snapshot = daemonState.serving ? { write: false as const, why: 'the daemon keeps the trees' } : shouldWriteSnapshot(plan.misses.length, programFiles, __filename);
        const started = Date.now();
        const failed = snapshot.write ? writeSnapshot(snapshot.write, path.dirname(cache.file), __filename, { linter: linterOptions, files }) : undefined;
        if (failed && snapshot.write === 'sync') process.stderr.write(`racelint: warning: cannot write the parse snapshot: ${failed}\n`);
        const outcome = !snapshot.write ? 'not written' : failed ? `not written: ${failed}` : snapshot.write === 'sync' ? `written in ${Date.now() - started} ms` : 'being written in the background';
        debug(`racelint: parse snapshot ${outcome} (${snapshot.why})\n`);
      }
    };
    // What linting reads (every file of the programs) is not what a report proven below depends on.
    if (mayProve) unrecordedReads(trace, lint);
    else lint();
    if (daemonState.serving) {
      daemonState.keep?.(linter);
    } else if (cache && daemonWanted(argv)) {
      // A daemon keeps the trees for the next runs (daemon.ts); whether one runs is no part of a report.
      const cacheDir = path.dirname(cache.file);
      const started = unrecordedReads(trace, () => startDaemon({ cacheDir, bundle: __filename, cwd, manifest: { linter: linterOptions, files } }, runNodeFlags()));
      debug(`racelint: daemon: ${started}\n`);
    }
    const report = conclude(results, linter.projects.warnings, options, cwd);
    if (mayProve && trace!.output.length === outputBefore) {
      // Said nothing while linting: the report may be recorded if a run answered wholly from the
      // cache, as the next run of this command will be, would print the same. That run's inputs
      // are read here (and recorded): a new linter (configs, tsconfigs), the cache as saved.
      const fresh = new Linter(linterOptions);
      const again = planWith(openCache(options, cwd), fresh, files);
      const same = again.misses.length === 0 && sameReport(report, conclude([...again.hits].sort(byFile), fresh.projects.warnings, options, cwd));
      if (same) trace!.eligible = { bundle: __filename, cacheDir: path.dirname(cache!.file), files: files.length };
      else debug(`racelint: no replay record: ${again.misses.length > 0 ? `${again.misses.length} files would not be answered from the cache` : 'the cache would give another report'}\n`);
    }
    process.stderr.write(report.warnings);
    debug(`racelint: linted ${plan.misses.length} of ${files.length} files${cache ? ` (${plan.hits.length} from cache)` : ''} in ${Date.now() - t0} ms\n`);
    if (options.outputFile) {
      const failed = writeReport(path.resolve(cwd, options.outputFile), report.output);
      if (failed) {
        process.stderr.write(`racelint: cannot write the report to ${options.outputFile}: ${failed}\n`);
        return 2;
      }
    } else if (report.output) {
      process.stdout.write(report.output.endsWith('\n') ? report.output : report.output + '\n');
    }
    process.stderr.write(report.after);
    return report.code;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`racelint: ${err.message}\n`);
    } else {
      process.stderr.write(`racelint: internal error: ${(err as Error)?.message ?? String(err)}\n`);
      if (options?.debug) debug(`${(err as Error)?.stack}\n`);
      else process.stderr.write('(run with --debug for the stack trace)\n');
    }
    return 2;
  }
}

/** The result cache of this run's `--cache-location` (or the default one). */
function openCache(options: CliOptions, cwd: string): ResultCache {
  return ResultCache.open(path.resolve(cwd, options.cacheLocation ?? DEFAULT_CACHE_DIR), engineIdentity(VERSION, __filename));
}

/** Which of `files` the cache answers, with the configs and compiler contexts `linter` finds for them. */
function planWith(cache: ResultCache, linter: Linter, files: string[]): CachePlan {
  return cache.plan(files, {
    textOf: (f) => readTextOrUndefined(f),
    configKeyOf: (f) => configFingerprint(linter.configFor(f)),
    projectOf: (f) => linter.projects.compilerContextOf(f),
  });
}

const byFile = (a: FileResult, b: FileResult) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** What a run prints once its results are in: warnings (stderr), the report, what follows it (stderr), the exit code. */
interface Report {
  warnings: string;
  output: string;
  after: string;
  code: number;
}

function conclude(results: FileResult[], warnings: readonly ProjectWarning[], options: CliOptions, cwd: string): Report {
  const warningLines = warnings.map((w) => `racelint: warning: ${path.relative(cwd, w.file) || w.file} ${w.message}\n`).join('');
  const reported = options.quiet
    ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error'), problems: r.problems.filter((p) => p.severity === 'error') }))
    : results;
  const output = FORMATTERS[options.format](reported, {
    cwd,
    root: repoRoot(cwd),
    color: options.color ?? (!options.outputFile && !!process.stdout.isTTY && !process.env.NO_COLOR),
    version: VERSION,
  });
  const internal = results.some((r) => r.problems.some((p) => p.kind === 'internal-error'));
  if (internal) return { warnings: warningLines, output, after: 'racelint: internal error on some files (see the report); please report it with the file that triggers it\n', code: 2 };
  const { errors, warnings: warned } = countSeverities(reported);
  if (errors > 0) return { warnings: warningLines, output, after: '', code: 1 };
  if (options.maxWarnings !== undefined && options.maxWarnings >= 0 && warned > options.maxWarnings) {
    return { warnings: warningLines, output, after: `racelint: too many warnings (${warned}); the maximum is ${options.maxWarnings}\n`, code: 1 };
  }
  return { warnings: warningLines, output, after: '', code: 0 };
}

const sameReport = (a: Report, b: Report) => a.warnings === b.warnings && a.output === b.output && a.after === b.after && a.code === b.code;

function readTextOrUndefined(file: string): string | undefined {
  try {
    return readTextFile(file);
  } catch {
    return undefined;
  }
}

/** `racelint merge`: combines shard reports (see merge.ts). */
function runMerge(argv: readonly string[], cwd: string): number {
  let format: MergeFormat | undefined;
  let outputFile: string | undefined;
  const inputs: string[] = [];
  const args = [...argv];
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '-f' || a === '--format') {
      const v = args.shift();
      if (v !== 'json' && v !== 'sarif') {
        process.stderr.write(`racelint: merge: -f must be json or sarif${v ? `, got "${v}"` : ''}\n`);
        return 2;
      }
      format = v;
    } else if (a === '-o' || a === '--output-file') {
      outputFile = args.shift();
      if (!outputFile) {
        process.stderr.write('racelint: merge: -o needs a file\n');
        return 2;
      }
    } else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`racelint: merge: unknown option "${a}" (racelint merge [-f json|sarif] [-o file] <reports...>)\n`);
      return 2;
    } else {
      inputs.push(path.resolve(cwd, a));
    }
  }
  let output: string;
  try {
    output = mergeFiles(inputs, format);
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    process.stderr.write(`racelint: merge: ${err.message}\n`);
    return 2;
  }
  const failed = outputFile ? writeReport(path.resolve(cwd, outputFile), output) : undefined;
  if (failed) {
    process.stderr.write(`racelint: merge: cannot write the report to ${outputFile}: ${failed}\n`);
    return 2;
  }
  if (!outputFile) process.stdout.write(output.endsWith('\n') ? output : output + '\n');
  return 0;
}

/** The daemon's process (bin/racelint-daemon.js). */
export function daemonMain(jobFile: string): void {
  serveDaemon(jobFile, run, (manifest) => prepareTrees(manifest));
}

if (isBuildingSnapshot()) {
  prepareSnapshot(run);
} else if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`racelint: internal error: ${err?.message ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
