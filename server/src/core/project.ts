// Which files to lint, and which TypeScript program each one belongs to.
//
// Each file goes to the nearest tsconfig.json that includes it (following `extends`, its
// include/exclude/files, and its project references); files that no tsconfig covers go to an
// inferred project with permissive, modern defaults. tsconfig `plugins` are never loaded:
// racelint runs no workspace code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import ignore, { type Ignore } from 'ignore';
import { DocumentCache, FileSet, resolvedDependencies } from './programHost';

export const LINTABLE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache']);

export function normalizePath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

export function isLintable(file: string): boolean {
  const lower = file.toLowerCase();
  if (/\.d\.[cm]?ts$/.test(lower) || /\.d\.[^.]+\.ts$/.test(lower)) return false;
  return LINTABLE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A problem with the project setup, reported once and not fatal (e.g. a broken tsconfig). */
export interface ProjectWarning {
  file: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Discovery

export interface DiscoveryResult {
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Paths given explicitly that are ignored (by .gitignore or config), with the reason. */
  ignored: Array<{ file: string; reason: string }>;
  /** Directories that could not be read (their files are not linted), with the error code. */
  unreadable: Array<{ file: string; reason: string }>;
}

/** Reads .gitignore files from `root` down to each directory walked, caching per directory. */
class GitignoreStack {
  private readonly cache = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {}

  private forDir(dir: string): Ignore | null {
    if (this.cache.has(dir)) return this.cache.get(dir)!;
    let ig: Ignore | null = null;
    try {
      const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
      ig = ignore().add(text);
    } catch {
      ig = null;
    }
    this.cache.set(dir, ig);
    return ig;
  }

  /** Whether `abs` is ignored by a .gitignore between the root and its directory. */
  ignores(abs: string, isDir: boolean): boolean {
    let dir = path.dirname(abs);
    const chain: string[] = [];
    while (true) {
      chain.push(dir);
      if (dir === this.root || !dir.startsWith(this.root)) break;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of chain) {
      const ig = this.forDir(d);
      if (!ig) continue;
      let rel = path.relative(d, abs).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      if (isDir) rel += '/';
      if (ig.ignores(rel)) return true;
    }
    return false;
  }
}

/** The git work tree root above `dir`, or `dir` itself. */
function gitRoot(dir: string): string {
  let d = dir;
  while (true) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return dir;
    d = parent;
  }
}

export interface DiscoveryOptions {
  cwd: string;
  /** Extra ignore predicate (config `ignore` globs), given an absolute path. */
  isIgnoredByConfig?: (abs: string) => boolean;
}

/** Expands the given paths into the lintable files under them. */
export function discoverFiles(paths: readonly string[], options: DiscoveryOptions): DiscoveryResult {
  const files = new Set<string>();
  const missing: string[] = [];
  const ignored: DiscoveryResult['ignored'] = [];
  const unreadable: DiscoveryResult['unreadable'] = [];
  const root = gitRoot(path.resolve(options.cwd));
  const gitignore = new GitignoreStack(root);
  const visitedDirs = new Set<string>();

  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (visitedDirs.has(real)) return; // symlink loop
    visitedDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      unreadable.push({ file: normalizePath(dir), reason: (err as NodeJS.ErrnoException).code ?? String(err) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          // A broken or looping link named like a source file is listed (and reported as
          // unreadable), not silently dropped.
          isFile = true;
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(e.name) || e.name.startsWith('.')) continue;
        if (gitignore.ignores(abs, true) || options.isIgnoredByConfig?.(abs + '/')) continue;
        walk(abs);
      } else if (isFile && isLintable(e.name)) {
        if (gitignore.ignores(abs, false) || options.isIgnoredByConfig?.(abs)) continue;
        files.add(normalizePath(abs));
      }
    }
  };

  for (const p of paths) {
    const abs = path.resolve(options.cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) {
      walk(abs);
    } else if (options.isIgnoredByConfig?.(abs)) {
      ignored.push({ file: normalizePath(abs), reason: 'ignored by the racelint config "ignore" setting' });
    } else {
      // A file named explicitly is linted whatever its extension or .gitignore says, as long as
      // TypeScript can read it.
      files.add(normalizePath(abs));
    }
  }
  return { files: [...files].sort(), missing, ignored, unreadable };
}

// ---------------------------------------------------------------------------------------------
// Programs

export interface LoadedProject {
  /** The tsconfig.json this program comes from, or undefined for an inferred project. */
  tsconfig?: string;
  /** The program's root files and texts (ts-morph-like method names; see programHost.ts). */
  project: FileSet;
  /** Files the tsconfig (or inference) puts in this program. */
  rootFiles: Set<string>;
  /** The current ts.Program; rebuilt after edits. */
  program(): ts.Program;
}

function parseTsconfig(file: string, warnings: ProjectWarning[]): ts.ParsedCommandLine | undefined {
  const diagnostics: ts.Diagnostic[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d),
  };
  let parsed: ts.ParsedCommandLine | undefined;
  try {
    parsed = ts.getParsedCommandLineOfConfigFile(file, undefined, host);
  } catch (err) {
    warnings.push({ file, message: `cannot be read: ${(err as Error).message}` });
    return undefined;
  }
  const errors = [...diagnostics, ...(parsed?.errors ?? [])].filter(
    // "No inputs were found" is not a problem for us: the file may belong elsewhere.
    (d) => d.code !== 18003,
  );
  // Syntax errors (1xxx) and a non-object root (5092) leave nothing trustworthy to use.
  const fatal = !parsed || errors.some((d) => d.category === ts.DiagnosticCategory.Error && ((d.code >= 1000 && d.code < 2000) || d.code === 5092));
  if (errors.length > 0) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ');
    warnings.push({ file, message: fatal ? `is broken (${text}); its files are linted with inferred compiler options` : text });
  }
  if (fatal) return undefined;
  return parsed;
}

/** Compiler options for files no tsconfig covers. */
export function inferredCompilerOptions(root: string): ts.CompilerOptions {
  const typeRoots: string[] = [];
  for (let d = root; ; ) {
    const types = path.join(d, 'node_modules', '@types');
    if (fs.existsSync(path.join(types, 'node'))) {
      typeRoots.push(types);
      break;
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    allowJs: true,
    checkJs: false,
    jsx: ts.JsxEmit.Preserve,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    ...(typeRoots.length > 0 ? { typeRoots, types: ['node'] } : { types: [] }),
  };
}

export interface ProjectSetOptions {
  cwd: string;
  /** `--project`: use this tsconfig for every file. */
  tsconfig?: string;
  /**
   * The files this run will lint, when that is known up front (the CLI). A program then gets
   * only these files and the ones that may declare globals as roots, and TypeScript loads what
   * they import: a run over part of a project (one shard, the files a cache could not answer)
   * does not parse and bind the rest. Types are the same, since a file's types come from its
   * imports and the globals.
   */
  lintOnly?: ReadonlySet<string>;
}

/**
 * Loads and caches the programs the linted files need. One instance serves a CLI run or a
 * language server session.
 */
export class ProjectSet {
  readonly warnings: ProjectWarning[] = [];
  /** See ProjectSetOptions.lintOnly; set it before the first program is built. */
  lintOnly?: ReadonlySet<string>;
  /**
   * Parse the linted files without parent pointers, as tsc does (the CLI; set it before the first
   * program is built): the checker's binder sets every parent when it binds the program, and
   * runRules sets them for a file linted before that (see FileSet's `parentsFromBinder`).
   */
  parentsFromBinder = false;
  /**
   * Files whose current text TypeScript cannot parse without running out of stack (nested too
   * deeply); they are left out of their program, and the linter reports them as skipped.
   */
  readonly tooDeeplyNested = new Set<string>();
  private readonly byTsconfig = new Map<string, LoadedProject | null>();
  private readonly parsedConfigs = new Map<string, ts.ParsedCommandLine | null>();
  private readonly inferred = new Map<string, LoadedProject>();
  private readonly fileToProject = new Map<string, LoadedProject>();
  /** Parsed declaration files, shared by this set's programs. */
  private documents = new DocumentCache();

  constructor(private readonly options: ProjectSetOptions) {
    this.lintOnly = options.lintOnly;
    if (options.tsconfig && !fs.existsSync(options.tsconfig)) {
      throw new Error(`tsconfig "${options.tsconfig}" does not exist`);
    }
  }

  /**
   * The project a file is linted in, loading it on first use. `text` is the content of a file
   * that is not on disk (an editor's unsaved or untitled buffer); files on disk are read from it.
   */
  projectFor(file: string, text?: string): LoadedProject {
    const key = normalizePath(file);
    const cached = this.fileToProject.get(key);
    if (cached) return cached;
    const loaded = this.findConfiguredProject(key) ?? this.inferredProjectFor(key);
    if (!loaded.rootFiles.has(key)) {
      this.addFile(loaded.project, key, () => loaded.project.addSourceFileAtPathIfExists(key) ?? loaded.project.createSourceFile(key, text ?? readTextFile(key), { overwrite: true }));
      loaded.rootFiles.add(key);
    }
    this.fileToProject.set(key, loaded);
    return loaded;
  }

  /**
   * Replaces a file's text in the project it was placed in. The parsed tree is swapped whole:
   * ts-morph's replaceWithText would walk the old and new trees recursively to keep its node
   * wrappers (which racelint does not use), and run out of stack on deeply nested code.
   */
  setFileText(file: string, text: string): void {
    const key = normalizePath(file);
    const loaded = this.projectFor(key, text);
    this.addFile(loaded.project, key, () => loaded.project.createSourceFile(key, text, { overwrite: true }));
  }

  /**
   * Takes a file TypeScript could not bind or check without running out of stack out of its
   * program, as if it did not parse; its next text (an edit) is tried again.
   */
  leaveOut(file: string): void {
    const key = normalizePath(file);
    const loaded = this.fileToProject.get(key);
    if (loaded) {
      const sf = loaded.project.getSourceFile(key);
      if (sf) loaded.project.removeSourceFile(sf);
      loaded.project.discardProgram();
    }
    this.tooDeeplyNested.add(key);
  }

  /**
   * Parses a file into a project with `add`. A file TypeScript cannot parse without running out
   * of stack is taken out of the project (its old text must not be linted in its place) and
   * remembered in `tooDeeplyNested`, instead of failing the whole project. Returns whether the
   * file is in the project now.
   */
  private addFile(project: FileSet, file: string, add: () => unknown): boolean {
    try {
      const added = !!add();
      this.tooDeeplyNested.delete(file);
      return added;
    } catch (err) {
      if (!ranOutOfStack(err)) throw err;
      const stale = project.getSourceFile(file);
      if (stale) project.removeSourceFile(stale);
      this.tooDeeplyNested.add(file);
      return false;
    }
  }

  /** The project a file was already placed in, without loading anything. */
  loadedProjectOf(file: string): LoadedProject | undefined {
    return this.fileToProject.get(normalizePath(file));
  }

  /**
   * Takes a file out of every loaded project (an untitled buffer was closed, a file was deleted
   * from disk). Returns whether any project had it.
   */
  removeFile(file: string): boolean {
    const key = normalizePath(file);
    this.fileToProject.delete(key);
    this.tooDeeplyNested.delete(key);
    let found = false;
    for (const loaded of this.loadedProjects()) {
      // Imports that resolved to this file must be resolved again.
      loaded.project.forgetResolutions();
      loaded.rootFiles.delete(key);
      const sf = loaded.project.getSourceFile(key);
      if (sf) {
        loaded.project.removeSourceFile(sf);
        found = true;
      }
    }
    return found;
  }

  /**
   * A file appeared on disk: the tsconfig file lists are read again, and each loaded project
   * whose tsconfig now includes the file gets it (its other files stay parsed). Returns whether
   * a loaded project took the file.
   */
  fileCreated(file: string): boolean {
    const key = normalizePath(file);
    this.parsedConfigs.clear();
    // An import that failed (or resolved elsewhere) may find this file now.
    for (const loaded of this.loadedProjects()) loaded.project.forgetResolutions();
    let taken = false;
    for (const [tsconfig, loaded] of this.byTsconfig) {
      if (!loaded || loaded.rootFiles.has(key)) continue;
      const parsed = this.parsed(tsconfig);
      if (!parsed?.fileNames.some((f) => normalizePath(f) === key)) continue;
      if (!this.addFile(loaded.project, key, () => loaded.project.addSourceFileAtPathIfExists(key))) continue;
      loaded.rootFiles.add(key);
      taken = true;
      // A buffer of this file linted before it was saved went to an inferred project.
      const previous = this.fileToProject.get(key);
      if (!previous || !previous.tsconfig) {
        if (previous && previous !== loaded) {
          previous.rootFiles.delete(key);
          const sf = previous.project.getSourceFile(key);
          if (sf) previous.project.removeSourceFile(sf);
        }
        this.fileToProject.set(key, loaded);
      }
    }
    return taken;
  }

  /** Every project loaded so far. */
  loadedProjects(): LoadedProject[] {
    return [...new Set([...this.byTsconfig.values(), ...this.inferred.values()].filter((p): p is LoadedProject => !!p))];
  }

  /** Drop everything (a tsconfig changed). */
  reset(): void {
    this.byTsconfig.clear();
    this.parsedConfigs.clear();
    this.inferred.clear();
    this.fileToProject.clear();
    this.documents = new DocumentCache();
    this.tooDeeplyNested.clear();
    this.warnings.length = 0;
  }

  private parsed(tsconfig: string): ts.ParsedCommandLine | undefined {
    if (!this.parsedConfigs.has(tsconfig)) this.parsedConfigs.set(tsconfig, parseTsconfig(tsconfig, this.warnings) ?? null);
    return this.parsedConfigs.get(tsconfig) ?? undefined;
  }

  private findConfiguredProject(file: string): LoadedProject | undefined {
    const owner = this.configuredOwner(file);
    return owner ? this.load(owner, !!this.options.tsconfig) : undefined;
  }

  /** The tsconfig whose program a file belongs to, found without loading anything. */
  private configuredOwner(file: string): string | undefined {
    if (this.options.tsconfig) return normalizePath(this.options.tsconfig);
    for (let dir = path.dirname(file); ; ) {
      const candidate = normalizePath(path.join(dir, 'tsconfig.json'));
      if (fs.existsSync(candidate)) {
        const owner = this.ownerOf(candidate, file, new Set());
        if (owner) return owner;
      }
      const parent = path.dirname(dir);
      if (parent === dir || path.basename(dir) === 'node_modules') return undefined;
      dir = parent;
    }
  }

  /**
   * Which program a file belongs to, its compiler options and its file list, without building
   * the program (the result cache decides from this whether a program is needed at all).
   */
  compilerContextOf(file: string): { id: string; options: ts.CompilerOptions; fileNames: readonly string[] } {
    const key = normalizePath(file);
    const owner = this.configuredOwner(key);
    const parsed = owner ? this.parsed(owner) : undefined;
    if (owner && parsed) return { id: owner, options: this.programOptions(parsed, !!this.options.tsconfig), fileNames: parsed.fileNames };
    const root = packageRoot(path.dirname(key)) ?? normalizePath(this.options.cwd);
    return { id: `inferred:${root}`, options: inferredCompilerOptions(root), fileNames: [] };
  }

  private programOptions(parsed: ts.ParsedCommandLine, forced: boolean): ts.CompilerOptions {
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, plugins: undefined };
    delete options.plugins;
    if (forced) options.allowJs = options.allowJs ?? true;
    return options;
  }

  /** The tsconfig files that become program roots (all of them, unless `lintOnly` narrows it). */
  private rootNames(fileNames: readonly string[]): string[] {
    const only = this.lintOnly;
    const names = fileNames.map(normalizePath);
    if (!only) return names;
    return names.filter((n) => {
      if (only.has(n)) return true;
      let text: string;
      try {
        text = fs.readFileSync(n, 'utf8');
      } catch {
        return false;
      }
      return mayDeclareGlobals(n, text);
    });
  }

  /** The tsconfig (this one or one it references) whose file list includes `file`. */
  private ownerOf(tsconfig: string, file: string, seen: Set<string>): string | undefined {
    if (seen.has(tsconfig)) return undefined;
    seen.add(tsconfig);
    const parsed = this.parsed(tsconfig);
    if (!parsed) return undefined;
    if (normalizedFileNames(parsed).has(file)) return tsconfig;
    for (const ref of parsed.projectReferences ?? []) {
      const refPath = normalizePath(fs.existsSync(ref.path) && fs.statSync(ref.path).isDirectory() ? path.join(ref.path, 'tsconfig.json') : ref.path);
      const owner = this.ownerOf(refPath, file, seen);
      if (owner) return owner;
    }
    return undefined;
  }

  private load(tsconfig: string, forced: boolean): LoadedProject | undefined {
    if (this.byTsconfig.has(tsconfig)) return this.byTsconfig.get(tsconfig) ?? undefined;
    const parsed = this.parsed(tsconfig);
    if (!parsed) {
      this.byTsconfig.set(tsconfig, null);
      return undefined;
    }
    const options = this.programOptions(parsed, forced);
    const project = new FileSet(options, this.documents, this.parentsFromBinder);
    const rootFiles = new Set<string>();
    for (const n of this.rootNames(parsed.fileNames)) {
      if (this.addFile(project, n, () => project.addSourceFileAtPathIfExists(n))) rootFiles.add(n);
    }
    const loaded = makeLoaded(project, rootFiles, tsconfig);
    this.byTsconfig.set(tsconfig, loaded);
    return loaded;
  }

  private inferredProjectFor(file: string): LoadedProject {
    const root = packageRoot(path.dirname(file)) ?? normalizePath(this.options.cwd);
    let loaded = this.inferred.get(root);
    if (!loaded) {
      const project = new FileSet(inferredCompilerOptions(root), this.documents, this.parentsFromBinder);
      loaded = makeLoaded(project, new Set(), undefined);
      this.inferred.set(root, loaded);
    }
    return loaded;
  }
}

function makeLoaded(project: FileSet, rootFiles: Set<string>, tsconfig: string | undefined): LoadedProject {
  return {
    tsconfig,
    project,
    rootFiles,
    program: () => project.program(),
  };
}

/**
 * The files of `program` that import one of `files`, directly or through other files (imports,
 * re-exports, `import()` and `require` calls): the files whose analysis can change when one of
 * `files` changes (an imported function that turns async makes its call sites floating).
 */
export function transitiveImporters(program: ts.Program, files: Iterable<string>): Set<string> {
  return importersIn(importGraph(program), files);
}

/** Each file of `program` with the files that import it directly. */
export function importGraph(program: ts.Program): ReadonlyMap<string, readonly string[]> {
  const importers = new Map<string, string[]>();
  // The program remembers how it resolved each specifier; the accessor is not in the public
  // typings, so resolve again (slower, same answer) if it is ever missing.
  const lookup = (program as unknown as ResolvedModuleLookup).getResolvedModuleFromModuleSpecifier?.bind(program);
  const options = program.getCompilerOptions();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile) continue;
    const from = normalizePath(sf.fileName);
    for (const specifier of moduleSpecifiers(sf)) {
      const resolved = lookup
        ? lookup(specifier, sf)?.resolvedModule?.resolvedFileName
        : ts.resolveModuleName(specifier.text, sf.fileName, options, ts.sys).resolvedModule?.resolvedFileName;
      if (!resolved) continue;
      const to = normalizePath(resolved);
      const list = importers.get(to);
      if (list) list.push(from);
      else importers.set(to, [from]);
    }
  }
  return importers;
}

/** The files that import one of `files`, directly or transitively, in an `importGraph`. */
export function importersIn(graph: ReadonlyMap<string, readonly string[]>, files: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const queue = [...files].map(normalizePath);
  while (queue.length > 0) {
    for (const importer of graph.get(queue.pop()!) ?? []) {
      if (!out.has(importer)) {
        out.add(importer);
        queue.push(importer);
      }
    }
  }
  for (const f of files) out.delete(normalizePath(f));
  return out;
}

interface ResolvedModuleLookup {
  getResolvedModuleFromModuleSpecifier?(specifier: ts.StringLiteralLike, sf: ts.SourceFile): { resolvedModule?: { resolvedFileName: string } } | undefined;
}

/** The module specifiers of a file, as the program collected them while resolving imports. */
function moduleSpecifiers(sf: ts.SourceFile): readonly ts.StringLiteralLike[] {
  // `imports` is where TypeScript keeps every specifier it resolved, dynamic ones included; it is
  // not in the public typings, so fall back to the top-level declarations if it ever goes away.
  const collected = (sf as unknown as { imports?: readonly ts.StringLiteralLike[] }).imports;
  if (collected) return collected;
  const out: ts.StringLiteralLike[] = [];
  for (const stmt of sf.statements) {
    if ((ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) && stmt.moduleSpecifier && ts.isStringLiteralLike(stmt.moduleSpecifier)) {
      out.push(stmt.moduleSpecifier);
    }
  }
  return out;
}

const fileNameSets = new WeakMap<ts.ParsedCommandLine, Set<string>>();

/** A tsconfig's files as normalized paths (asked once per linted file: a set, not a scan). */
function normalizedFileNames(parsed: ts.ParsedCommandLine): Set<string> {
  let set = fileNameSets.get(parsed);
  if (!set) {
    set = new Set(parsed.fileNames.map(normalizePath));
    fileNameSets.set(parsed, set);
  }
  return set;
}

/**
 * Whether a file may declare something global (and so belongs in every program that lints part
 * of its project): declaration files, scripts (no top-level import or export), and modules with
 * `declare global` or ambient `declare module "x"`. Errs towards yes: a wrong no would change
 * types, a wrong yes only loads a file.
 */
export function mayDeclareGlobals(file: string, text: string): boolean {
  if (/\.d\.([cm]?ts|[^.]+\.ts)$/i.test(file)) return true;
  if (/\bdeclare\s+(?:global\b|module\s+['"`])/.test(text)) return true;
  if (/\.[cm][jt]s$/i.test(file)) return false;
  // An import declaration (only legal at a module's top level, or inside `declare module`, seen
  // above) makes the file a module, whatever its namespaces hold. Without one, an unindented
  // namespace can hold unindented `export`s in a script.
  if (/^import\s+(?:type\s+)?(?:['"]|[\w$*{][^;]*?\bfrom\s*['"]|[\w$]+\s*=\s*require\s*\()/m.test(text)) return false;
  if (/^(?:declare\s+)?(?:namespace|module)\s+[\w.]+\s*\{/m.test(text)) return true;
  return !/^(?:import|export)\b/m.test(text);
}

function packageRoot(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, 'package.json'))) return normalizePath(d);
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/**
 * Whether an error is V8 running out of stack. TypeScript's parser and checker recurse once per
 * nesting level, so a few thousand nested brackets (generated or half-typed code) exhaust it.
 */
export function ranOutOfStack(err: unknown): boolean {
  return err instanceof Error && /Maximum call stack size exceeded/.test(err.message);
}

/** Reads a file as text, stripping a BOM. Throws a user-facing error when it cannot. */
export function readTextFile(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
