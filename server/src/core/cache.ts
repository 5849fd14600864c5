// The result cache behind `--cache`: a file's findings are reused when nothing they can depend on
// has changed, so a re-run after a small edit lints only what the edit can affect, and a run on
// an unchanged tree builds no TypeScript program at all.
//
// A file's results depend on its own text, the effective racelint config and engine, the
// compiler options of its project, and (through types, and through rules that look into the
// functions a file calls) on the text of every file it imports, transitively. We key on the
// content of that whole import closure rather than on a .d.ts-like signature of each import:
// the rules are interprocedural (whether a called function awaits is read from its body), so a
// body-only change in an imported file can change an importer's findings. The closure is found
// without a program: imports are read with TypeScript's pre-processor (a scan, no parse) and
// resolved with its module resolution; both are remembered per file content, and resolution is
// redone when the set of files changes (a new file can shadow an old resolution). Files that
// declare globals (scripts, `declare global`, ambient modules) and the project's own .d.ts
// files are in every file's closure. Files under node_modules count by size and mtime only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { ResolvedConfig } from './config';
import type { FileProblem, FileResult, Finding } from './findings';
import { mayDeclareGlobals, normalizePath } from './project';

/** Bumped whenever the cache file's layout or the meaning of a key changes. */
const FORMAT = 3;

export const DEFAULT_CACHE_DIR = path.join('node_modules', '.cache', 'racelint');
const CACHE_FILE_NAME = 'results.json';

/** The compiler context a file is linted in, as far as the cache needs to know it. */
export interface CacheProjectContext {
  /** Stable id of the project (its tsconfig path, or the inferred root). */
  id: string;
  options: ts.CompilerOptions;
  /** Every file of the project (tsconfig file list), so globals can be found. */
  fileNames: readonly string[];
}

interface Entry {
  /** sha1 of the file's text. */
  content: string;
  /** Resolved imports of that text: files we lint (followed), and others (stat-fingerprinted). */
  imports: string[];
  external: string[];
  /** The file may declare globals (see mayDeclareGlobals). */
  global: boolean;
  /** Fingerprint of the project's file list when `imports` were resolved. */
  fileSet: string;
  /** The full key the results below were computed under (absent: imports known, no results). */
  key?: string;
  findings?: Finding[];
  problems?: FileProblem[];
  /** Content hashes of other files that findings point into (related locations). */
  relatedContent?: Record<string, string>;
}

interface CacheFile {
  format: number;
  engine: string;
  files: Record<string, Entry>;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A stable fingerprint of the rules, severities and options a config turns on. */
export function configFingerprint(config: ResolvedConfig): string {
  const rules = [...config.rules.entries()].map(([id, a]) => [id, a.severity, a.options]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  return sha1(stableStringify(rules));
}

function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * The identity of the running engine: its version, plus the size and mtime of the code that runs,
 * so a rebuilt development copy with the same version number does not reuse old results.
 */
export function engineIdentity(version: string, entryFile?: string): string {
  let build = '';
  if (entryFile) {
    try {
      const st = fs.statSync(entryFile);
      build = `+${st.size}-${Math.round(st.mtimeMs)}`;
    } catch {
      // Running from sources (tests): the version alone.
    }
  }
  return `${version}${build}`;
}

export interface CachePlan {
  /** Files whose stored results are valid, with those results (source filled in). */
  hits: FileResult[];
  /** Files to lint. */
  misses: string[];
}

/**
 * A cache as `plan` left it (the entries brought up to date, the keys of this run's files), for a
 * process that goes on with the run (see cli/parseSnapshot.ts): it records and saves without
 * planning again.
 */
export interface CacheHandover {
  file: string;
  engine: string;
  data: CacheFile;
  keys: Array<[string, string]>;
}

export interface CacheInputs {
  /** The text of a file (the CLI reads it once; undefined if unreadable). */
  textOf(file: string): string | undefined;
  /** The effective config's fingerprint for a file. */
  configKeyOf(file: string): string;
  /** The project context of a file. */
  projectOf(file: string): CacheProjectContext;
}

/**
 * One cache file. Open it, `plan` which files need linting, `record` their new results, `save`.
 * Results of files not linted in this run (another path, another shard) are kept.
 */
export class ResultCache {
  private data: CacheFile;
  private readonly keys = new Map<string, string>();
  private readonly statFingerprints = new Map<string, string>();
  /** Why the whole cache was dropped on open, for --debug. */
  readonly discarded?: string;

  private constructor(
    readonly file: string,
    private readonly engine: string,
    handedOver?: CacheHandover,
  ) {
    if (handedOver) {
      this.data = handedOver.data;
      this.keys = new Map(handedOver.keys);
      return;
    }
    let loaded: CacheFile | undefined;
    let why: string | undefined;
    try {
      loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    } catch (err) {
      why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no cache yet' : 'unreadable cache';
    }
    if (loaded && loaded.format !== FORMAT) why = 'cache format changed';
    else if (loaded && loaded.engine !== engine) why = `engine changed (${loaded.engine} → ${engine})`;
    if (why || !loaded || typeof loaded.files !== 'object') {
      this.discarded = why ?? 'unreadable cache';
      loaded = { format: FORMAT, engine, files: {} };
    }
    this.data = loaded;
  }

  /** Opens the cache at `location`: a directory, or a file path ending in .json. */
  static open(location: string, engine: string): ResultCache {
    const file = location.endsWith('.json') ? location : path.join(location, CACHE_FILE_NAME);
    return new ResultCache(path.resolve(file), engine);
  }

  /** The cache as `plan` left it, for `resume` in another process. */
  handOver(): CacheHandover {
    return { file: this.file, engine: this.engine, data: this.data, keys: [...this.keys] };
  }

  /** The cache another process planned (`handOver`), ready to `record` and `save`. */
  static resume(state: CacheHandover): ResultCache {
    return new ResultCache(state.file, state.engine, state);
  }

  plan(files: readonly string[], inputs: CacheInputs): CachePlan {
    const linted = new Set(files.map(normalizePath));
    const texts = new Map<string, string | undefined>();
    const contents = new Map<string, string>();
    const textOf = (f: string) => {
      if (!texts.has(f)) texts.set(f, inputs.textOf(f));
      return texts.get(f);
    };
    const contentOf = (f: string): string => {
      let c = contents.get(f);
      if (c === undefined) {
        const text = textOf(f);
        c = text === undefined ? 'unreadable' : sha1(text);
        contents.set(f, c);
      }
      return c;
    };

    // Projects: their file-set fingerprint, resolution caches, and globals.
    interface ProjectState {
      ctx: CacheProjectContext;
      fileSet: string;
      optionsKey: string;
      resolution: ts.ModuleResolutionCache;
      globals?: string;
    }
    const projects = new Map<string, ProjectState>();
    const projectOf = (f: string): ProjectState => {
      const ctx = inputs.projectOf(f);
      let p = projects.get(ctx.id);
      if (!p) {
        const sortedNames = ctx.fileNames.map(normalizePath).sort();
        p = {
          ctx,
          fileSet: sha1(sortedNames.join('\n')),
          optionsKey: sha1(stableStringify(ctx.options)),
          resolution: ts.createModuleResolutionCache(path.dirname(ctx.id), (s) => s, ctx.options),
        };
        projects.set(ctx.id, p);
      }
      return p;
    };

    // Each linted file's entry, brought up to date (imports re-resolved when stale).
    const entries = new Map<string, Entry>();
    const entryOf = (f: string): Entry | undefined => {
      if (entries.has(f)) return entries.get(f);
      const text = textOf(f);
      if (text === undefined) return undefined;
      const content = contentOf(f);
      const project = projectOf(f);
      const stored = this.data.files[f];
      let entry: Entry;
      if (stored && stored.content === content && stored.fileSet === project.fileSet) {
        entry = stored;
      } else {
        const { imports, external } = resolveImports(f, text, project.ctx.options, project.resolution, linted);
        entry = { content, imports, external, global: mayDeclareGlobals(f, text), fileSet: project.fileSet };
        if (stored && stored.content === content && stored.key) {
          // Same text, re-resolved: the old results stay candidates under their old key.
          entry.key = stored.key;
          entry.findings = stored.findings;
          entry.problems = stored.problems;
        }
      }
      entries.set(f, entry);
      return entry;
    };

    // The linted files of each project: an inferred project (no tsconfig) has no file list, and
    // its scripts are global to each other all the same.
    const lintedIn = new Map<string, string[]>();
    for (const f of linted) {
      const id = projectOf(f).ctx.id;
      if (!lintedIn.has(id)) lintedIn.set(id, []);
      lintedIn.get(id)!.push(f);
    }
    const globalsOf = (p: ProjectState): string => {
      if (p.globals !== undefined) return p.globals;
      const parts: string[] = [];
      const names = new Set([...p.ctx.fileNames.map(normalizePath), ...(lintedIn.get(p.ctx.id) ?? [])]);
      for (const name of [...names].sort()) {
        if (linted.has(name)) {
          const e = entryOf(name);
          if (e?.global) parts.push(`${name}:${e.content}`);
        } else if (/\.d\.[cm]?ts$/i.test(name) || !/\/node_modules\//.test(name)) {
          // A project file this run does not lint: it may declare globals; its stat stands in.
          parts.push(`${name}:${this.statFingerprint(name)}`);
        }
      }
      p.globals = sha1(parts.join('\n'));
      return p.globals;
    };

    const hits: FileResult[] = [];
    const misses: string[] = [];
    const closureMemo = new Map<string, string>();
    for (const f of [...linted].sort()) {
      const entry = entryOf(f);
      if (!entry) {
        misses.push(f);
        continue;
      }
      const project = projectOf(f);
      const closure = closureHash(f, (g) => entryOf(g), (g) => this.statFingerprint(g), closureMemo);
      const key = sha1([this.engine, inputs.configKeyOf(f), project.optionsKey, globalsOf(project), entry.content, closure].join('\n'));
      this.keys.set(f, key);
      if (entry.key === key && entry.findings && entry.problems && this.relatedUnchanged(entry, contentOf)) {
        hits.push({ file: f, findings: entry.findings, problems: entry.problems, source: textOf(f) });
      } else {
        misses.push(f);
      }
      this.data.files[f] = entry;
    }
    return { hits, misses };
  }

  /** Findings may point into other files (a related location): those must be unchanged too. */
  private relatedUnchanged(entry: Entry, contentOf: (f: string) => string): boolean {
    const related = entry.relatedContent;
    if (!related) return true;
    return Object.entries(related).every(([f, c]) => (fs.existsSync(f) ? contentOf(f) === c : false));
  }

  /** Stores the results of a file linted in this run (after `plan`). */
  record(result: FileResult, contentOfRelated?: (f: string) => string | undefined): void {
    const f = normalizePath(result.file);
    const entry = this.data.files[f];
    const key = this.keys.get(f);
    if (!entry || !key) return;
    // Internal errors are never cached: the next run should try again.
    if (result.problems.some((p) => p.kind === 'internal-error' || p.kind === 'skipped')) {
      delete entry.key;
      delete entry.findings;
      delete entry.problems;
      return;
    }
    entry.key = key;
    entry.findings = result.findings;
    entry.problems = result.problems;
    const relatedContent: Record<string, string> = {};
    for (const finding of result.findings) {
      for (const r of finding.related) {
        const rf = normalizePath(r.file);
        if (rf === f || relatedContent[rf]) continue;
        const text = contentOfRelated?.(rf);
        relatedContent[rf] = text === undefined ? 'unreadable' : sha1(text);
      }
    }
    if (Object.keys(relatedContent).length > 0) entry.relatedContent = relatedContent;
    else delete entry.relatedContent;
  }

  /** Writes the cache atomically (a concurrent run never reads half a file). */
  save(): void {
    // One level at a time: Node's recursive mkdir loops forever where the kernel answers ENOENT
    // for a directory it will not create (--cache-location /proc/x).
    const missing: string[] = [];
    for (let d = path.dirname(this.file); !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.push(d);
    for (const d of missing.reverse()) fs.mkdirSync(d);
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data));
    fs.renameSync(tmp, this.file);
  }

  private statFingerprint(file: string): string {
    let fp = this.statFingerprints.get(file);
    if (fp === undefined) {
      try {
        const st = fs.statSync(file);
        fp = `${st.size}-${Math.round(st.mtimeMs)}`;
      } catch {
        fp = 'missing';
      }
      this.statFingerprints.set(file, fp);
    }
    return fp;
  }
}

/**
 * A hash of everything in a file's import closure: the texts of the files it imports, directly
 * or not, and the size and mtime of the other files they resolve to. It is a Merkle hash over the
 * import graph's strongly connected components (Tarjan), so all files are hashed in linear time:
 * a component's hash covers its members' texts and its successors' hashes, so a change anywhere
 * below a file changes the file's hash. Results are memoised in `memo` across calls.
 */
function closureHash(
  start: string,
  entryOf: (f: string) => Entry | undefined,
  statOf: (f: string) => string,
  memo: Map<string, string>,
): string {
  const known = memo.get(start);
  if (known !== undefined) return known;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  const local = (f: string): string => {
    const e = entryOf(f);
    if (!e) return `${f}:missing`;
    return `${f}:${e.content}:${e.external.map((x) => `${x}=${statOf(x)}`).join(',')}`;
  };
  const deps = (f: string): string[] => entryOf(f)?.imports ?? [];
  // Iterative Tarjan: each frame is a node and the position in its dependency list.
  const frames: Array<{ node: string; deps: string[]; next: number }> = [];
  const enter = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    frames.push({ node, deps: deps(node), next: 0 });
  };
  enter(start);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.next < frame.deps.length) {
      const dep = frame.deps[frame.next++];
      if (memo.has(dep)) continue;
      if (!index.has(dep)) enter(dep);
      else if (onStack.has(dep)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(dep)!));
      continue;
    }
    frames.pop();
    const node = frame.node;
    if (frames.length > 0) {
      const parent = frames[frames.length - 1].node;
      low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
    }
    if (low.get(node) !== index.get(node)) continue;
    // `node` roots a component: pop it, hash it with its successors' (already final) hashes.
    const members: string[] = [];
    for (;;) {
      const m = stack.pop()!;
      onStack.delete(m);
      members.push(m);
      if (m === node) break;
    }
    const memberSet = new Set(members);
    const successors = new Set<string>();
    for (const m of members) for (const d of deps(m)) if (!memberSet.has(d)) successors.add(memo.get(d)!);
    const hash = sha1([...members.map(local).sort(), '->', ...[...successors].sort()].join('\n'));
    for (const m of members) memo.set(m, hash);
  }
  return memo.get(start)!;
}

/** The files a file imports, resolved as its project would (imports, re-exports, import(), require, references). */
function resolveImports(
  file: string,
  text: string,
  options: ts.CompilerOptions,
  cache: ts.ModuleResolutionCache,
  linted: ReadonlySet<string>,
): { imports: string[]; external: string[] } {
  const info = ts.preProcessFile(text, true, true);
  const imports = new Set<string>();
  const external = new Set<string>();
  const add = (resolved: string | undefined) => {
    if (!resolved) return;
    const n = normalizePath(resolved);
    if (n === file) return;
    if (linted.has(n)) imports.add(n);
    else external.add(n);
  };
  for (const ref of info.importedFiles) {
    add(ts.resolveModuleName(ref.fileName, file, options, ts.sys, cache).resolvedModule?.resolvedFileName);
  }
  for (const ref of info.referencedFiles) add(path.resolve(path.dirname(file), ref.fileName));
  for (const ref of info.typeReferenceDirectives) {
    add(ts.resolveTypeReferenceDirective(ref.fileName, file, options, ts.sys).resolvedTypeReferenceDirective?.resolvedFileName);
  }
  return { imports: [...imports].sort(), external: [...external].sort() };
}
