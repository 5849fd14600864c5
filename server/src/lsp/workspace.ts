// The workspace as the editor has it: its folders, one core Linter per folder (and per
// `racelint.configFile`), the editor's unsaved text pushed into the TypeScript projects, and
// what a change on disk invalidates.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config';
import { Linter } from '../core/linter';
import { importersIn, importGraph, normalizePath, readTextFile, type LoadedProject } from '../core/project';

export interface Folder {
  uri: string;
  /** Normalized absolute path. */
  path: string;
  name: string;
}

export function folderFromUri(uri: string, name?: string): Folder | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const p = normalizePath(fileURLToPath(uri));
    return { uri, path: p, name: name ?? path.basename(p) };
  } catch {
    return undefined;
  }
}

/** How a file on disk matters to racelint when it changes. */
export type WatchedFileRole = 'racelint-config' | 'package-json' | 'tsconfig' | 'source' | undefined;

export function roleOfWatchedFile(file: string): WatchedFileRole {
  const base = path.basename(file);
  if (base === 'racelint.json') return 'racelint-config';
  if (base === 'package.json') return /\/node_modules\//.test(file) ? undefined : 'package-json';
  if (/^(tsconfig|jsconfig).*\.json$/.test(base)) return 'tsconfig';
  if (/\.(m|c)?(t|j)sx?$/.test(base) && !/\/(node_modules|\.git)\//.test(file)) return 'source';
  return undefined;
}

/** The glob patterns the server asks the client to watch. */
export const WATCHED_GLOBS = ['**/racelint.json', '**/package.json', '**/{tsconfig,jsconfig}*.json', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** A problem with an explicitly configured `racelint.configFile` (missing, unreadable, invalid). */
export type ConfigFileProblemSink = (problem: ConfigError | Error, configFile: string) => void;

interface LinterEntry {
  linter: Linter;
  cwd: string;
  configFile?: string;
  /** The configFile could not be used; this linter uses the nearest racelint.json instead. */
  configFileFailed?: boolean;
}

export class Workspace {
  private folderList: Folder[] = [];
  private readonly linters = new Map<string, LinterEntry>();
  /**
   * The files the editor needs linted: open documents, and files a workspace lint covers. A
   * program is built from these and the files that may declare globals (`ProjectSet.lintOnly`),
   * and TypeScript loads what they import, not the whole tsconfig: opening one file of a big
   * project parses its import closure only. Files added later become roots when first linted.
   */
  readonly lintTargets = new Set<string>();

  constructor(private readonly onConfigFileProblem: ConfigFileProblemSink) {}

  get folders(): readonly Folder[] {
    return this.folderList;
  }

  setFolders(folders: Folder[]): void {
    const kept = new Set(folders.map((f) => f.path));
    const removed = new Set(this.folderList.map((f) => f.path).filter((p) => !kept.has(p)));
    this.folderList = folders;
    // Linters of folders that left the workspace hold whole programs: let them go.
    for (const [key, entry] of this.linters) if (removed.has(entry.cwd)) this.linters.delete(key);
  }

  /** The innermost workspace folder holding a file. */
  folderOf(file: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folderList) {
      if ((file === f.path || file.startsWith(f.path.endsWith('/') ? f.path : f.path + '/')) && (!best || f.path.length > best.path.length)) best = f;
    }
    return best;
  }

  /** Where buffers that are not files (untitled) are placed: the first folder, or a temp dir. */
  untitledRoot(): string {
    return this.folderList[0]?.path ?? normalizePath(os.tmpdir());
  }

  /**
   * The Linter for a file: its workspace folder's, or for a file outside every folder, one rooted
   * at its package (so its racelint.json and node_modules/@types are found as the CLI would).
   */
  linterFor(file: string, configFile: string | undefined): Linter {
    const cwd = this.folderOf(file)?.path ?? looseRoot(file);
    const key = `${cwd}\0${configFile ?? ''}`;
    let entry = this.linters.get(key);
    if (!entry) {
      let linter: Linter;
      let configFileFailed = false;
      try {
        linter = new Linter({ cwd, configFile });
      } catch (err) {
        // A configFile that is missing or broken: say so, and lint with the nearest racelint.json.
        this.onConfigFileProblem(err as Error, configFile ?? '');
        linter = new Linter({ cwd });
        configFileFailed = true;
      }
      linter.projects.lintOnly = this.lintTargets;
      entry = { linter, cwd, configFile, configFileFailed };
      this.linters.set(key, entry);
    }
    return entry.linter;
  }

  allLinters(): Linter[] {
    return [...this.linters.values()].map((e) => e.linter);
  }

  /** Drops linters no open document uses any more (e.g. after `racelint.configFile` changed). */
  retainLinters(used: ReadonlySet<Linter>): void {
    for (const [key, entry] of this.linters) if (!used.has(entry.linter)) this.linters.delete(key);
  }

  /**
   * Makes every loaded project see `text` for `file`: its own project (loading it if needed) and
   * the projects that only import it. Returns whether any project's text changed.
   */
  setText(linter: Linter, file: string, text: string): boolean {
    let changed = false;
    const own = linter.projects.projectFor(file, text);
    if (textIn(own, file) !== text) {
      linter.setFileText(file, text);
      changed = true;
    }
    return this.giveText(file, text, own) || changed;
  }

  /** A file that is not open changed on disk: loaded projects that have it read it again. */
  reloadFromDisk(file: string): boolean {
    let text: string;
    try {
      text = readTextFile(file);
    } catch {
      return false;
    }
    return this.giveText(file, text);
  }

  /** Gives `text` for `file` to every loaded project that has the file (but `except`). Returns whether any had other text. */
  private giveText(file: string, text: string, except?: LoadedProject): boolean {
    let changed = false;
    for (const l of this.allLinters()) {
      for (const loaded of l.projects.loadedProjects()) {
        if (loaded === except) continue;
        const sf = loaded.project.getSourceFile(file);
        if (sf && sf.getFullText() !== text) {
          replaceText(loaded, file, text);
          changed = true;
        }
      }
    }
    return changed;
  }

  /** A file appeared on disk: projects whose tsconfig includes it take it. */
  fileCreated(file: string): boolean {
    let taken = false;
    for (const l of this.allLinters()) taken = l.projects.fileCreated(file) || taken;
    return taken;
  }

  /** A file disappeared (or an untitled buffer closed): every project drops it. */
  fileDeleted(file: string): boolean {
    let found = false;
    for (const l of this.allLinters()) found = l.projects.removeFile(file) || found;
    return found;
  }

  /** tsconfig or package.json changed: programs are rebuilt on next use. */
  resetProjects(): void {
    for (const l of this.allLinters()) l.projects.reset();
  }

  /**
   * racelint.json (or package.json#racelint) changed. A `racelint.configFile` is read when its
   * Linter is made, so a linter whose configFile changed (or could not be read) is made again.
   */
  clearConfigs(changed: readonly string[]): void {
    for (const [key, entry] of this.linters) {
      if (entry.configFile && (entry.configFileFailed || changed.includes(normalizePath(entry.configFile)))) this.linters.delete(key);
      else entry.linter.configs.clear();
    }
  }

  /**
   * Which of `candidates` (open files) import one of `changed`, directly or transitively, in the
   * projects that hold both. Only programs that have a candidate are consulted.
   */
  importersAmong(changed: readonly string[], candidates: ReadonlyMap<string, Linter>): Set<string> {
    const out = new Set<string>();
    if (changed.length === 0 || candidates.size === 0) return out;
    const byProject = new Map<LoadedProject, string[]>();
    for (const [file, linter] of candidates) {
      const loaded = linter.projects.loadedProjectOf(file);
      if (!loaded) continue;
      const list = byProject.get(loaded);
      if (list) list.push(file);
      else byProject.set(loaded, [file]);
    }
    for (const [loaded, files] of byProject) {
      const present = changed.filter((c) => loaded.project.getSourceFile(c) !== undefined);
      if (present.length === 0) continue;
      const importers = importersIn(this.importGraphOf(loaded), present);
      for (const f of files) if (importers.has(f)) out.add(f);
    }
    return out;
  }

  /**
   * Import graphs, kept while a project's programs keep the same files and imports: an edit that
   * adds no import does not change them, and building one walks every import of the program (4 ms
   * on theia-core, on every edit while another file of the project is open).
   */
  private readonly importGraphs = new WeakMap<LoadedProject, { version: number; graph: ReadonlyMap<string, readonly string[]> }>();

  private importGraphOf(loaded: LoadedProject): ReadonlyMap<string, readonly string[]> {
    const version = loaded.project.moduleGraphVersion;
    const known = this.importGraphs.get(loaded);
    if (known?.version === version) return known.graph;
    const graph = importGraph(loaded.program());
    this.importGraphs.set(loaded, { version, graph });
    return graph;
  }
}

/**
 * Swaps a file's parsed tree in a project that imports it. Parsed whole, not through ts-morph's
 * replaceWithText (which walks both trees to keep node wrappers racelint does not use); the
 * program built next still reuses every other file.
 */
function replaceText(loaded: LoadedProject, file: string, text: string): void {
  try {
    loaded.project.createSourceFile(file, text, { overwrite: true });
  } catch {
    // Too deeply nested to parse: leave the importing project without it rather than stale.
    const sf = loaded.project.getSourceFile(file);
    if (sf) loaded.project.removeSourceFile(sf);
  }
}

function textIn(loaded: LoadedProject, file: string): string | undefined {
  return loaded.project.getSourceFile(file)?.getFullText();
}

/** The root for a file outside every workspace folder: its package, or its directory. */
function looseRoot(file: string): string {
  const dir = path.dirname(file);
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, 'package.json')) || fs.existsSync(path.join(d, 'tsconfig.json'))) return normalizePath(d);
    const parent = path.dirname(d);
    if (parent === d) return normalizePath(dir);
    d = parent;
  }
}
