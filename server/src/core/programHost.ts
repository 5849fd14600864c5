// A TypeScript program over plain compiler-API objects, for the linter's hot path.
//
// racelint used to hold its programs in ts-morph `Project`s. ts-morph parses each added file
// into its own cache and wraps it, then builds the program through another host; on a 60-file
// project with 400 declaration files that cost 40% more than tsc's whole program phase, and
// racelint uses none of the wrappers. `FileSet` keeps only what a program needs: root files
// with their text (from disk, or an editor's buffer), parsed once and handed to
// `ts.createProgram`, which reuses every unchanged file when a program is rebuilt after an edit.
// Declaration files (node_modules, the standard library) are parsed once per process and shared
// by every program. The standard library comes from ts-morph's in-memory copy, which is the same
// as TypeScript's without comments (faster to parse), so racelint needs no typescript install.
//
// The methods keep ts-morph's names (getSourceFile, createSourceFile, addSourceFileAtPathIfExists,
// removeSourceFile, getProgram().compilerObject) so the language server's code reads the same.
import * as fs from 'node:fs';
import { getLibFiles, libFolderInMemoryPath } from '@ts-morph/common';
import { ts } from 'ts-morph';

const LIB_DIR = libFolderInMemoryPath as string;
let libTexts: Map<string, string> | undefined;

function libText(file: string): string | undefined {
  if (!file.startsWith(LIB_DIR + '/')) return undefined;
  if (!libTexts) libTexts = new Map(getLibFiles().map((f) => [`${LIB_DIR}/${f.fileName}`, f.text]));
  return libTexts.get(file);
}

/**
 * The language version TypeScript parses with for these options. The function is internal to
 * TypeScript (present at run time); if it goes away, a tree parsed with another version is
 * simply parsed again when the program asks for it.
 */
function emitScriptTarget(options: ts.CompilerOptions): ts.ScriptTarget {
  const internal = (ts as unknown as { getEmitScriptTarget?: (o: ts.CompilerOptions) => ts.ScriptTarget }).getEmitScriptTarget;
  return internal ? internal(options) : (options.target ?? ts.ScriptTarget.ES2024);
}

/** What the parse of a file depends on besides its text. */
function parseKey(options: ts.CreateSourceFileOptions): string {
  return `${options.languageVersion}|${options.impliedNodeFormat ?? ''}|${options.jsDocParsingMode ?? ''}`;
}

/**
 * Parsed declaration and dependency files, shared by every program of a ProjectSet (and the
 * standard library by every ProjectSet of the process). A file's entry is its text and the
 * trees parsed from it with each set of parse options.
 */
export class DocumentCache {
  private static readonly libs = new Map<string, ts.SourceFile>();
  private readonly files = new Map<string, { text: string; trees: Map<string, ts.SourceFile> }>();

  get(fileName: string, options: ts.CreateSourceFileOptions): ts.SourceFile | undefined {
    const key = parseKey(options);
    const lib = libText(fileName);
    if (lib !== undefined) {
      const libKey = `${fileName}|${key}`;
      let sf = DocumentCache.libs.get(libKey);
      if (!sf) {
        sf = ts.createSourceFile(fileName, lib, options, false);
        DocumentCache.libs.set(libKey, sf);
      }
      return sf;
    }
    let entry = this.files.get(fileName);
    if (!entry) {
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
      sf = ts.createSourceFile(fileName, entry.text, options, false);
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
  private readonly host: ts.CompilerHost;
  private readonly languageVersion: ts.ScriptTarget;
  private readonly resolutionCache: ts.ModuleResolutionCache;

  constructor(
    readonly options: ts.CompilerOptions,
    private readonly documents: DocumentCache,
  ) {
    this.languageVersion = emitScriptTarget(options);
    const base = ts.createCompilerHost(options, false);
    this.resolutionCache = ts.createModuleResolutionCache(base.getCurrentDirectory(), (s) => base.getCanonicalFileName(s), options);
    const inLib = (f: string) => f.startsWith(LIB_DIR + '/');
    // Rebuilding a program after an edit asks again whether every dependency and package.json
    // exists; answers about node_modules are remembered (an install resets the ProjectSet).
    const existsCache = new Map<string, boolean>();
    const fileExists = (f: string): boolean => {
      if (!f.includes('/node_modules/')) return base.fileExists(f);
      let e = existsCache.get(f);
      if (e === undefined) existsCache.set(f, (e = base.fileExists(f)));
      return e;
    };
    this.host = {
      ...base,
      getDefaultLibLocation: () => LIB_DIR,
      getDefaultLibFileName: (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
      getModuleResolutionCache: () => this.resolutionCache,
      fileExists: (f) => (inLib(f) ? libText(f) !== undefined : this.roots.has(f) || fileExists(f)),
      readFile: (f) => (inLib(f) ? libText(f) : (this.roots.get(f)?.text ?? base.readFile(f))),
      directoryExists: (d) => d === LIB_DIR || LIB_DIR.startsWith(d + '/') || (base.directoryExists?.(d) ?? true),
      getSourceFile: (fileName, languageVersionOrOptions) => {
        const options: ts.CreateSourceFileOptions =
          typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
        const root = this.roots.get(fileName);
        if (root) {
          const t = root.tree;
          if (t.languageVersion !== options.languageVersion || t.impliedNodeFormat !== options.impliedNodeFormat) {
            root.tree = ts.createSourceFile(fileName, root.text, options, true);
          } else {
            // Parsed ahead of time (to catch a parse that overflows the stack where the caller
            // can handle it): let the program decide module-ness as it would have (moduleDetection).
            options.setExternalModuleIndicator?.(t);
          }
          return root.tree;
        }
        return this.documents.get(fileName, options);
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
      this.current = ts.createProgram({ rootNames: [...this.roots.keys()], options: this.options, host: this.host, oldProgram: this.current });
      this.dirty = false;
    }
    return this.current;
  }

  /**
   * Builds the next program afresh (with a new type checker) even if nothing changed: the
   * current checker threw (a stack overflow) and its state can no longer be trusted.
   */
  discardProgram(): void {
    this.dirty = true;
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
    const tree = ts.createSourceFile(fileName, text, this.parseOptions(fileName, previous), true);
    // A new root can change how imports resolve (it may be what a failed import was looking for).
    if (!previous && this.current) this.resolutionCache.clear();
    this.roots.set(fileName, { text, tree });
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
  }

  /** Takes a file out of the roots; returns whether it was one. */
  removeSourceFile(file: FileHandle | string): boolean {
    const name = typeof file === 'string' ? file : file.compilerNode.fileName;
    const had = this.roots.delete(name);
    if (had) {
      this.dirty = true;
      this.resolutionCache.clear();
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
