// Source files parsed and bound ahead of time, handed to programs instead of parsing again.
//
// A `--cache` run that re-lints one changed file still builds that file's program: its import
// closure and every file that may declare globals, with the standard library and the packages'
// declaration files. Parsing and binding those is most of such a run (90% on a 550-file
// project), and TypeScript has no way to keep parsed trees across processes. A V8 start-up
// snapshot does: the CLI can write one (server/src/cli/parseSnapshot.ts) whose heap holds the
// project's trees, parsed and bound by `preparseProject`, and start later runs from it. The
// trees here are the registry those runs draw from.
//
// A tree is handed out only for the same file text, parsed with the same options (language
// version, module format, JSDoc mode) and bound under the same compiler options (the binder reads
// them: strictness, module detection, const enums); anything else is parsed afresh, so a stale
// snapshot only costs time. TypeScript's checker binds a file only if it is not bound yet, and
// it copies a bound file's symbols before merging into them, which is what lets one bound tree
// serve several programs (its language service shares trees between projects the same way).
//
// Files under node_modules are taken when their size, mtime and inode are the ones they had when
// the tree was made, without reading them again (what the result cache trusts for them too). A
// program's module resolutions are kept as well (`offerResolutions`): resolving the imports of
// every file again was a fifth of a run started from a snapshot. They are taken only while the
// file system answers as it did: the mtime of every directory in which a file or directory was
// looked for (an entry added or removed changes it), and the size and mtime of every package.json
// read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

interface PreparsedFile {
  tree: ts.SourceFile;
  parseKey: string;
  bindKey: string;
  /** For a file under node_modules: its size, mtime and inode when the tree was made. */
  stamp?: string;
}

/** Size, mtime and inode of a file or directory, or 'missing'. */
function statStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}-${st.mtimeMs}-${st.ino}`;
  } catch {
    return 'missing';
  }
}

/** Whether a path is a node_modules directory or under one: installed, not the project's own. */
export const isUnderNodeModules = (p: string) => p.includes('/node_modules/') || p.endsWith('/node_modules');

const registry = new Map<string, PreparsedFile>();

/** How many trees this process took from the registry, and how many it parsed while the registry offered some. */
export const preparsedUse = { taken: 0, parsed: 0 };

/**
 * What the parse of a file depends on besides its text: the options it is asked with, or those a
 * tree was parsed with (a tree keeps its JSDoc mode in an internal field).
 */
export function parseKey(options: ts.CreateSourceFileOptions | ts.SourceFile): string {
  const jsDoc = (options as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode;
  return `${options.languageVersion}|${options.impliedNodeFormat ?? ''}|${jsDoc ?? ''}`;
}

/**
 * What binding a source file depends on besides its tree: the binder reads `alwaysStrict` (and
 * `strict`), and the target and `noFallthroughCasesInSwitch` for diagnostics; whether a file is a
 * module (module, moduleDetection, jsx) is decided at parse time from these options too. A
 * declaration file binds the same under any options.
 */
export function bindKey(options: ts.CompilerOptions): string {
  const { strict, alwaysStrict, target, module, moduleDetection, jsx, noFallthroughCasesInSwitch } = options;
  return JSON.stringify([strict, alwaysStrict, target, module, moduleDetection, jsx, noFallthroughCasesInSwitch]);
}

/**
 * The bound tree of `fileName` for this text and these options, if one was prepared; it is
 * given out once (a program owns it from then on).
 */
export function takePreparsed(fileName: string, text: string, parse: ts.CreateSourceFileOptions, bind: string): ts.SourceFile | undefined {
  if (registry.size === 0) return undefined;
  const entry = registry.get(fileName);
  if (entry && entry.tree.text === text && entry.parseKey === parseKey(parse) && (entry.tree.isDeclarationFile || entry.bindKey === bind)) {
    registry.delete(fileName);
    preparsedUse.taken++;
    return entry.tree;
  }
  preparsedUse.parsed++;
  return undefined;
}

/**
 * The bound tree of `fileName`, a file under node_modules, if one was prepared and the file's
 * size, mtime and inode are still the ones it was made from (so its text need not be read).
 */
export function takeUnchangedPreparsed(fileName: string, parse: ts.CreateSourceFileOptions): ts.SourceFile | undefined {
  if (registry.size === 0) return undefined;
  const entry = registry.get(fileName);
  if (!entry?.stamp || !entry.tree.isDeclarationFile || entry.parseKey !== parseKey(parse) || entry.stamp !== statStamp(fileName)) return undefined;
  registry.delete(fileName);
  preparsedUse.taken++;
  return entry.tree;
}

/** A FileSet's module resolution state (programHost.ts): what it resolved, and whether files and directories exist. */
export interface ResolutionState {
  cache: ts.ModuleResolutionCache;
  /** Answers about paths under node_modules and about the others, keyed `f:<file>` and `d:<directory>`. */
  installedExists: Map<string, boolean>;
  projectExists: Map<string, boolean>;
}

const resolutions = new Map<string, { state: ResolutionState; stamps: Map<string, string> }>();

/**
 * Offers the resolution state of a program's FileSet (`key`: its compiler options and
 * directory) to a later FileSet with the same key, with what its answers depend on: the
 * directories it looked in (those of every path it asked about, and of every file of the
 * program, which it may have found as a root) and the package.json files it read.
 */
export function offerResolutions(key: string, state: ResolutionState, program: ts.Program): void {
  const stamps = new Map<string, string>();
  const stamp = (p: string) => {
    if (!stamps.has(p)) stamps.set(p, statStamp(p));
  };
  for (const answers of [state.installedExists, state.projectExists]) {
    for (const [asked, exists] of answers) {
      const p = asked.slice(2);
      stamp(path.dirname(p));
      if (exists && asked.startsWith('f:') && p.endsWith('/package.json')) stamp(p);
    }
  }
  for (const sf of program.getSourceFiles()) stamp(path.dirname(sf.fileName));
  resolutions.set(key, { state, stamps });
}

/** The resolution state offered for `key` if the file system still answers as it did (given out once). */
export function takeResolutions(key: string): ResolutionState | undefined {
  const offered = resolutions.get(key);
  if (!offered) return undefined;
  resolutions.delete(key);
  for (const [p, was] of offered.stamps) if (statStamp(p) !== was) return undefined;
  return offered.state;
}

/**
 * TypeScript's binder (internal; present at run time in every TypeScript version racelint
 * bundles). Without it no tree is offered, and programHost.ts carries no checker over.
 */
export const bindSourceFile = (ts as unknown as { bindSourceFile?: (sf: ts.SourceFile, options: ts.CompilerOptions) => void }).bindSourceFile;

/** The stamp of a tree's file if its text on disk is still the tree's (taken before reading it, so a later change shows). */
function unchangedStamp(sf: ts.SourceFile): string | undefined {
  const stamp = statStamp(sf.fileName);
  try {
    return fs.readFileSync(sf.fileName, 'utf8') === sf.text ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Binds every file of `program` and offers it to later programs. Returns how many files it
 * added (0 when TypeScript no longer exposes its binder). `replace`: a tree of this program
 * takes the place of one offered for the same file before (the daemon, after each run, offers
 * the trees its programs used, so that an edited file's new tree is the one kept).
 */
export function offerProgramFiles(program: ts.Program, replace = false): number {
  if (!bindSourceFile) return 0;
  const options = program.getCompilerOptions();
  const bind = bindKey(options);
  let added = 0;
  for (const sf of program.getSourceFiles()) {
    // A package installed twice at the same version is one tree behind a per-program redirect.
    if ((sf as { redirectInfo?: unknown }).redirectInfo) continue;
    const offered = registry.get(sf.fileName);
    if (offered && (!replace || offered.tree === sf)) continue;
    bindSourceFile(sf, options);
    registry.set(sf.fileName, { tree: sf, parseKey: parseKey(sf), bindKey: bind, stamp: isUnderNodeModules(sf.fileName) ? unchangedStamp(sf) : undefined });
    added++;
  }
  return added;
}
