// A TypeScript program over plain compiler-API objects, for the linter's hot path.
//
// racelint used to hold its programs in ts-morph `Project`s. ts-morph parses each added file
// into its own cache and wraps it, then builds the program through another host; on a 60-file
// project with 400 declaration files that cost 40% more than tsc's whole program phase, and
// racelint uses none of the wrappers. `FileSet` keeps only what a program needs: root files
// with their text (from disk, or an editor's buffer), parsed once and handed to
// `ts.createProgram`, which reuses every unchanged file when a program is rebuilt after an edit.
// Declaration files (node_modules, the standard library) are parsed once per process and shared
// by every program. The standard library is ts-morph's comment-free copy (standardLibrary.ts).
//
// The methods keep ts-morph's names (getSourceFile, createSourceFile, addSourceFileAtPathIfExists,
// removeSourceFile, getProgram().compilerObject) so the language server's code reads the same.
import * as fs from 'node:fs';
import { ts } from 'ts-morph';
import { bindKey, bindSourceFile, isUnderNodeModules, offerResolutions, parseKey, takePreparsed, takeResolutions, takeUnchangedPreparsed } from './parsedFiles';
import { LIB_DIR, libText } from './standardLibrary';

/**
 * The language version TypeScript parses with for these options. The function is internal to
 * TypeScript (present at run time); if it goes away, a tree parsed with another version is
 * simply parsed again when the program asks for it.
 */
function emitScriptTarget(options: ts.CompilerOptions): ts.ScriptTarget {
  const internal = (ts as unknown as { getEmitScriptTarget?: (o: ts.CompilerOptions) => ts.ScriptTarget }).getEmitScriptTarget;
  return internal ? internal(options) : (options.target ?? ts.ScriptTarget.ES2024);
}

/**
 * Parsed declaration and dependency files, shared by every program of a ProjectSet (and the
 * standard library by every ProjectSet of the process). A file's entry is its text and the
 * trees parsed from it with each set of parse options.
 */
export class DocumentCache {
  private static readonly libs = new Map<string, ts.SourceFile>();
  private readonly files = new Map<string, { text: string; trees: Map<string, ts.SourceFile> }>();

  get(fileName: string, options: ts.CreateSourceFileOptions, bind: string): ts.SourceFile | undefined {
    const key = parseKey(options);
    const lib = libText(fileName);
    if (lib !== undefined) {
      const libKey = `${fileName}|${key}`;
      let sf = DocumentCache.libs.get(libKey);
      if (!sf) {
        sf = takePreparsed(fileName, lib, options, bind) ?? ts.createSourceFile(fileName, lib, options, false);
        DocumentCache.libs.set(libKey, sf);
      }
      return sf;
    }
    let entry = this.files.get(fileName);
    if (!entry) {
      const unchanged = takeUnchangedPreparsed(fileName, options);
      if (unchanged) {
        this.files.set(fileName, { text: unchanged.text, trees: new Map([[key, unchanged]]) });
        return unchanged;
      }
      let text: string | undefined;
      try {
        text = fs.readFileSync(fileName, 'utf8');
      } catch {
        return undefined;
      }
      entry = { text, trees: new Map() };
      this.files.set(fileName, entry);
    }
    let sf = entry.trees.get(key);
    if (!sf) {
      sf = takePreparsed(fileName, entry.text, options, bind) ?? ts.createSourceFile(fileName, entry.text, options, false);
      entry.trees.set(key, sf);
    }
    return sf;
  }

  /** Forget a file (it changed on disk). */
  delete(fileName: string): void {
    this.files.delete(fileName);
  }
}

/** A root file: its text, and its tree once parsed (re-parsed if the program wants other options). */
interface RootFile {
  text: string;
  tree: ts.SourceFile;
}

/** What `getSourceFile` hands out: the ts-morph-shaped view of one file of the program. */
export interface FileHandle {
  readonly compilerNode: ts.SourceFile;
  getFullText(): string;
  /** Gives the file new text (it becomes a root of its program). */
  replaceWithText(text: string): void;
}

/** The root files of one program, their texts, and the program built from them. */
export class FileSet {
  private handle(sf: ts.SourceFile): FileHandle {
    return { compilerNode: sf, getFullText: () => sf.text, replaceWithText: (text) => void this.createSourceFile(sf.fileName, text) };
  }

  private readonly roots = new Map<string, RootFile>();
  private current: ts.Program | undefined;
  private dirty = true;
  /** Roots whose text changed since the current program was built, and whether roots came or went. */
  private readonly editedRoots = new Set<string>();
  private rootsAddedOrRemoved = false;
  /** Programs whose own type checker was made (by `checkerFor`). */
  private readonly checkedPrograms = new WeakSet<ts.Program>();
  /** The checker carried over to the current program for one edited file (see `carryChecker`). */
  private carried?: CarriedChecker;
  private graphVersion = 0;
  private readonly host: ts.CompilerHost;
  private readonly languageVersion: ts.ScriptTarget;
  private readonly resolutionCache: ts.ModuleResolutionCache;
  /** Whether files and directories exist, as the host answered module resolution (see the constructor). */
  private readonly installedExists: Map<string, boolean>;
  private readonly projectExists: Map<string, boolean>;
  /** The options and directory, as the key of this FileSet's resolutions in a parse snapshot (parsedFiles.ts). */
  private readonly resolutionKey: string | undefined;
  /** The compiler options as a key: a tree bound under other options is not taken for this program. */
  private readonly bindKey: string;

  constructor(
    readonly options: ts.CompilerOptions,
    private readonly documents: DocumentCache,
    /**
     * Parse roots without parent pointers. Setting them is a walk of every tree at parse time,
     * which tsc never makes: its binder sets every node's parent (JSDoc included) when the
     * checker is first made, and the rules read parents only after that, or after runRules set
     * them for a file linted before it (`ensureParents`). Only for a client that reads its trees
     * through runRules alone (the CLI): an editor's features read them too.
     */
    private readonly parentsFromBinder = false,
  ) {
    this.languageVersion = emitScriptTarget(options);
    this.bindKey = bindKey(options);
    const base = ts.createCompilerHost(options, false);
    this.resolutionKey = resolutionKey(base.getCurrentDirectory(), options);
    // Those of a parse snapshot's program with the same options, if the files they depend on did not change.
    const prepared = this.resolutionKey === undefined ? undefined : takeResolutions(this.resolutionKey);
    this.resolutionCache = prepared?.cache ?? ts.createModuleResolutionCache(base.getCurrentDirectory(), (s) => base.getCanonicalFileName(s), options);
    this.installedExists = prepared?.installedExists ?? new Map();
    this.projectExists = prepared?.projectExists ?? new Map();
    const inLib = (f: string) => f.startsWith(LIB_DIR + '/');
    // Module resolution asks whether files and directories exist again and again (every
    // ancestor's node_modules and node_modules/@types, for every importing directory; every
    // extension of every candidate): 0.4 s of stat calls on a 2,856-file project. Answers about
    // node_modules are remembered for good (an install resets the ProjectSet); the others until a
    // file appears or disappears (when the module resolutions are forgotten too).
    const remember = (path: string, key: string, ask: () => boolean): boolean => {
      const cache = isUnderNodeModules(path) ? this.installedExists : this.projectExists;
      let e = cache.get(key);
      if (e === undefined) cache.set(key, (e = ask()));
      return e;
    };
    const fileExists = (f: string): boolean => remember(f, `f:${f}`, () => base.fileExists(f));
    const directoryExists = (d: string): boolean => remember(d, `d:${d}`, () => base.directoryExists?.(d) ?? true);
    this.host = {
      ...base,
      getDefaultLibLocation: () => LIB_DIR,
      getDefaultLibFileName: (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
      getModuleResolutionCache: () => this.resolutionCache,
      fileExists: (f) => (inLib(f) ? libText(f) !== undefined : this.roots.has(f) || fileExists(f)),
      readFile: (f) => (inLib(f) ? libText(f) : (this.roots.get(f)?.text ?? base.readFile(f))),
      directoryExists: (d) => d === LIB_DIR || LIB_DIR.startsWith(d + '/') || directoryExists(d),
      getSourceFile: (fileName, languageVersionOrOptions) => {
        const options: ts.CreateSourceFileOptions =
          typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
        const root = this.roots.get(fileName);
        if (root) {
          const t = root.tree;
          if (t.languageVersion !== options.languageVersion || t.impliedNodeFormat !== options.impliedNodeFormat) {
            root.tree = ts.createSourceFile(fileName, root.text, options, !this.parentsFromBinder);
          } else {
            // Parsed ahead of time (to catch a parse that overflows the stack where the caller
            // can handle it): let the program decide module-ness as it would have (moduleDetection).
            options.setExternalModuleIndicator?.(t);
          }
          return root.tree;
        }
        return this.documents.get(fileName, options, this.bindKey);
      },
      // TypeScript keeps a host's resolution cache only when the host resolves modules itself;
      // otherwise every program starts an empty one, and each rebuild after an edit looked up
      // the package.json scope of every file again (to decide its module format) and resolved
      // the edited file's imports from scratch: half of the rebuild on a 550-file project.
      resolveModuleNameLiterals: (literals, containingFile, redirectedReference, options, containingSourceFile) => {
        const modeOptions = redirectedReference?.commandLine.options ?? options;
        const seen = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
        return literals.map((literal) => {
          const mode = ts.getModeForUsageLocation(containingSourceFile, literal, modeOptions);
          const key = `${mode ?? ''}|${literal.text}`;
          let resolved = seen.get(key);
          if (!resolved) {
            resolved = ts.resolveModuleName(literal.text, containingFile, options, this.host, this.resolutionCache, redirectedReference, mode);
            seen.set(key, resolved);
          }
          return resolved;
        });
      },
      // Declarations of lib and node_modules files are all TypeScript needs from JSDoc in .ts
      // files; skipping the rest is what tsc itself does, and it parses faster.
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
      writeFile: () => undefined,
    };
  }

  /** The program over the current roots and texts; rebuilt (reusing unchanged files) after a change. */
  program(): ts.Program {
    if (!this.current || this.dirty) {
      const previous = this.current;
      const previousChecker = previous && (this.carried?.program === previous ? this.carried : this.checkedPrograms.has(previous) ? { checker: previous.getTypeChecker(), versions: 0, chars: 0 } : undefined);
      this.current = ts.createProgram({ rootNames: [...this.roots.keys()], options: this.options, host: this.host, oldProgram: previous });
      if (!previous || (this.current as unknown as { structureIsReused?: number }).structureIsReused !== STRUCTURE_COMPLETELY_REUSED) this.graphVersion++;
      this.carried = undefined;
      try {
        if (previous && previousChecker) this.carried = carryChecker(previous, this.current, previousChecker, this.editedRoots, this.rootsAddedOrRemoved);
      } catch {
        // Only an optimisation: on any surprise from TypeScript's internals, use a new checker.
      }
      this.editedRoots.clear();
      this.rootsAddedOrRemoved = false;
      this.dirty = false;
    }
    return this.current;
  }

  /**
   * Changes when a program is built whose files, imports or their resolutions differ from the
   * previous program's (TypeScript reused less than its whole structure): what is derived from
   * the import graph alone stays valid while this stays the same.
   */
  get moduleGraphVersion(): number {
    this.program();
    return this.graphVersion;
  }

  /** The last program built, if any (without building one). */
  get lastProgram(): ts.Program | undefined {
    return this.current;
  }

  /** The file the current program's checker was carried over for, if any (see `carryChecker`). */
  get carriedCheckerFile(): string | undefined {
    return this.current && this.carried?.program === this.current ? this.carried.file : undefined;
  }

  /**
   * The type checker to lint `fileName` with in the current program: the one carried over from
   * the previous program when only this file was edited since (see `carryChecker`), else the
   * program's own.
   */
  checkerFor(fileName: string): ts.TypeChecker {
    const program = this.program();
    const carried = this.carried;
    if (carried?.program === program && carried.file === fileName) {
      const sf = program.getSourceFile(fileName);
      if (sf && bindSourceFile) {
        // What the program's own checker would do first: give the new tree its symbols.
        bindSourceFile(sf, program.getCompilerOptions());
        return carried.checker;
      }
    }
    this.checkedPrograms.add(program);
    return program.getTypeChecker();
  }

  /**
   * Builds the next program afresh (with a new type checker) even if nothing changed: the
   * current checker threw (a stack overflow) and its state can no longer be trusted.
   */
  discardProgram(): void {
    this.dirty = true;
    if (this.current) this.checkedPrograms.delete(this.current);
    this.carried = undefined;
  }

  /** Offers this FileSet's module resolutions to a FileSet with the same options in a process started from a parse snapshot. */
  offerResolutions(): void {
    if (this.current && this.resolutionKey !== undefined) offerResolutions(this.resolutionKey, { cache: this.resolutionCache, installedExists: this.installedExists, projectExists: this.projectExists }, this.current);
  }

  /** ts-morph's shape: `getProgram().compilerObject`. */
  getProgram(): { compilerObject: ts.Program } {
    return { compilerObject: this.program() };
  }

  /** A root file, or a file of the last program built (a dependency), without building one. */
  getSourceFile(fileName: string): FileHandle | undefined {
    const root = this.roots.get(fileName);
    if (root) return this.handle(root.tree);
    const sf = this.current?.getSourceFile(fileName);
    return sf ? this.handle(sf) : undefined;
  }

  /** Makes `fileName` a root with this text (replacing any previous text). Parses now. */
  createSourceFile(fileName: string, text: string, _options?: { overwrite?: boolean }): FileHandle {
    const previous = this.roots.get(fileName)?.tree;
    // Other programs must not keep using an older text of this file as a dependency.
    this.documents.delete(fileName);
    const parse = this.parseOptions(fileName, previous);
    const tree = takePreparsed(fileName, text, parse, this.bindKey) ?? ts.createSourceFile(fileName, text, parse, !this.parentsFromBinder);
    // A new root can change how imports resolve (it may be what a failed import was looking for).
    if (!previous && this.current) this.forgetResolutions();
    this.roots.set(fileName, { text, tree });
    if (previous) this.editedRoots.add(fileName);
    else this.rootsAddedOrRemoved = true;
    this.dirty = true;
    return this.handle(tree);
  }

  /** Makes a file on disk a root, if it exists; returns undefined if it does not. */
  addSourceFileAtPathIfExists(fileName: string): FileHandle | undefined {
    const existing = this.roots.get(fileName);
    if (existing) return this.handle(existing.tree);
    let text: string;
    try {
      text = fs.readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return this.createSourceFile(fileName, text);
  }

  /**
   * A file appeared or disappeared on disk: module resolutions remembered across programs
   * (including failed ones) may now be wrong.
   */
  forgetResolutions(): void {
    this.resolutionCache.clear();
    this.projectExists.clear();
  }

  /** Takes a file out of the roots; returns whether it was one. */
  removeSourceFile(file: FileHandle | string): boolean {
    const name = typeof file === 'string' ? file : file.compilerNode.fileName;
    const had = this.roots.delete(name);
    if (had) {
      this.dirty = true;
      this.rootsAddedOrRemoved = true;
      this.forgetResolutions();
    }
    return had;
  }

  /** The parse options the program will ask for (so the eager parse is the one it uses). */
  private parseOptions(fileName: string, previous?: ts.SourceFile): ts.CreateSourceFileOptions {
    if (previous) return { languageVersion: previous.languageVersion, impliedNodeFormat: previous.impliedNodeFormat, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors };
    return {
      languageVersion: this.languageVersion,
      impliedNodeFormat: ts.getImpliedNodeFormatForFile(fileName, this.resolutionCache.getPackageJsonInfoCache(), this.host, this.options),
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
    };
  }
}

/** The directory and compiler options a FileSet resolves modules under, as a string (undefined if they do not serialise). */
function resolutionKey(directory: string, options: ts.CompilerOptions): string | undefined {
  try {
    return `${directory}\0${JSON.stringify(options)}`;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Carrying a type checker over to the next program

/** After this many edits (or this many characters of edited text) a carried checker is let go. */
const MAX_CARRIED_VERSIONS = 40;
const MAX_CARRIED_CHARS = 2_000_000;

interface CarriedChecker {
  /** The program it is carried to, and the one edited file it may lint there. */
  program: ts.Program;
  file: string;
  checker: ts.TypeChecker;
  /** Texts of `file` given to it so far, and their total length (each stays reachable from its caches). */
  versions: number;
  chars: number;
}

/**
 * A new program gets a new type checker, which works out every type the file uses again, from
 * the declarations of the files it imports: on a 550-file project that was most of the time of a
 * lint after an edit, for types that the edit did not touch. When the edit changed one file and
 * nothing the rest of the program can see of it, the previous checker answers for the new text
 * of that file as a new checker would, and has the imported types ready. That holds when:
 * - every other file of the program is the same tree as before (the checker has only seen those);
 * - the edited file is a module whose text adds nothing to the global scope or to other modules
 *   (no `declare global`, `declare module`, `export as namespace`), before and after the edit,
 *   since those were merged into the checker's tables when it was made;
 * - its imports and references are the same and resolve to the same files;
 * - none of the files it imports depends on it (no cycle through it), so no type the checker
 *   has worked out (or will work out for those files) mentions the file's previous text.
 * The checker is only used for that file; other files (its importers, re-linted because the
 * edit may change their results) get the new program's own checker, which sees the new text.
 */
function carryChecker(
  previous: ts.Program,
  next: ts.Program,
  from: { file?: string; checker: ts.TypeChecker; versions: number; chars: number },
  editedRoots: ReadonlySet<string>,
  rootsAddedOrRemoved: boolean,
): CarriedChecker | undefined {
  if (!bindSourceFile || rootsAddedOrRemoved || editedRoots.size !== 1) return undefined;
  const [file] = editedRoots;
  if (from.file !== undefined && from.file !== file) return undefined;
  if ((next as unknown as { structureIsReused?: number }).structureIsReused !== STRUCTURE_COMPLETELY_REUSED) return undefined;
  const before = previous.getSourceFile(file);
  const after = next.getSourceFile(file);
  if (!before || !after || !isClosedModule(before) || !isClosedModule(after)) return undefined;
  if (from.versions + 1 > MAX_CARRIED_VERSIONS || from.chars + after.text.length > MAX_CARRIED_CHARS) return undefined;
  const files = next.getSourceFiles();
  if (files.length !== previous.getSourceFiles().length) return undefined;
  for (const sf of files) if (sf !== after && previous.getSourceFile(sf.fileName) !== sf) return undefined;
  if (!sameReferences(previous, before, next, after)) return undefined;
  // The import graph is the same as in the program the checker was made for: check it once.
  if (from.file === undefined && dependsOnItself(previous, before)) return undefined;
  return { program: next, file, checker: from.checker, versions: from.versions + 1, chars: from.chars + after.text.length };
}

/** `ts.StructureIsReused.Completely` (internal enum): no file's imports or references changed. */
const STRUCTURE_COMPLETELY_REUSED = 2;

interface ModuleParts {
  imports?: readonly ts.StringLiteralLike[];
  moduleAugmentations?: readonly (ts.StringLiteral | ts.Identifier)[];
  patternAmbientModules?: readonly unknown[];
  jsGlobalAugmentations?: unknown;
}

/** A TypeScript module that declares nothing outside itself. */
function isClosedModule(sf: ts.SourceFile): boolean {
  if (sf.isDeclarationFile || !/\.[cm]?tsx?$/.test(sf.fileName) || !ts.isExternalModule(sf)) return false;
  const parts = sf as unknown as ModuleParts;
  if (parts.imports === undefined || parts.moduleAugmentations === undefined) return false;
  if (parts.moduleAugmentations.length > 0 || (parts.patternAmbientModules?.length ?? 0) > 0 || parts.jsGlobalAugmentations) return false;
  return !sf.statements.some((st) => ts.isNamespaceExportDeclaration(st) || (ts.isModuleDeclaration(st) && (ts.isStringLiteral(st.name) || (st.flags & ts.NodeFlags.GlobalAugmentation) !== 0)));
}

interface ResolvedModuleLookup {
  getResolvedModuleFromModuleSpecifier?(specifier: ts.StringLiteralLike, sf: ts.SourceFile): { resolvedModule?: { resolvedFileName: string } } | undefined;
}

function resolvedImports(program: ts.Program, sf: ts.SourceFile): string[] | undefined {
  const lookup = (program as unknown as ResolvedModuleLookup).getResolvedModuleFromModuleSpecifier;
  if (!lookup) return undefined;
  return ((sf as unknown as ModuleParts).imports ?? []).map((i) => `${i.text}\0${lookup.call(program, i, sf)?.resolvedModule?.resolvedFileName ?? ''}`);
}

/** Whether a file's imports and references, and where they resolve, are the same in both programs. */
function sameReferences(previous: ts.Program, before: ts.SourceFile, next: ts.Program, after: ts.SourceFile): boolean {
  const names = (refs: readonly ts.FileReference[]) => refs.map((r) => r.fileName).join('\0');
  if (names(before.referencedFiles) !== names(after.referencedFiles)) return false;
  if (names(before.typeReferenceDirectives) !== names(after.typeReferenceDirectives)) return false;
  if (names(before.libReferenceDirectives) !== names(after.libReferenceDirectives)) return false;
  const a = resolvedImports(previous, before);
  const b = resolvedImports(next, after);
  return !!a && !!b && a.join('\n') === b.join('\n');
}

/**
 * The files `from` imports or references, as `program` resolved them (undefined where one did
 * not resolve); undefined when TypeScript no longer hands out its resolutions.
 */
export function resolvedDependencies(program: ts.Program, from: ts.SourceFile): Array<string | undefined> | undefined {
  const lookup = (program as unknown as ResolvedModuleLookup).getResolvedModuleFromModuleSpecifier;
  if (!lookup) return undefined;
  return [
    ...((from as unknown as ModuleParts).imports ?? []).map((specifier) => lookup.call(program, specifier, from)?.resolvedModule?.resolvedFileName),
    ...from.referencedFiles.map((ref) => ts.resolveTripleslashReference(ref.fileName, from.fileName)),
  ];
}

/** Whether `sf` is among the files its own imports lead to (directly or through others). */
function dependsOnItself(program: ts.Program, sf: ts.SourceFile): boolean {
  const seen = new Set<ts.SourceFile>();
  const queue = [sf];
  while (queue.length > 0) {
    const from = queue.pop()!;
    const targets = resolvedDependencies(program, from);
    if (!targets) return true;
    for (const resolved of targets) {
      const to = resolved === undefined ? undefined : program.getSourceFile(resolved);
      if (!to) continue;
      if (to === sf) return true;
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return false;
}
