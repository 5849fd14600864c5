// The parse snapshot of a `--cache` run: racelint's heap, with the project's files parsed and
// bound, saved as a V8 start-up snapshot beside the result cache, so that the next run that has
// to re-lint a few files starts with their program's trees ready instead of parsing and binding
// the import closure, the standard library and the packages' declarations again (see
// core/parsedFiles.ts for why the trees can be reused).
//
// It is written after a `--cache` run that built programs, when there is none yet or the one it
// started from no longer matches the files (a quarter had to be parsed afresh): a separate
// `node --build-snapshot` process loads this bundle, builds the programs of the run's files with
// the same code a run uses, binds them, and V8 writes the heap out (bin/write-parse-snapshot.js).
// That takes about as long as a cold run, so by default it happens in a detached process after
// runs long enough for the snapshot to pay, and not on CI machines. A later `--cache`
// run that finds files to lint hands the run over to a process started from the snapshot (a
// snapshot can only be chosen when node starts); one that answers everything from the cache
// does not pay for loading it. When the stamp a run leaves says files changed since, the
// launcher starts that process itself, before loading this bundle (bin/parse-snapshot-start.js). The snapshot only works with the node binary and the bundle that
// made it, so both are in its name. A run without `--cache` never reads or writes one;
// RACELINT_PARSE_SNAPSHOT=off turns it off, =sync writes it before the run ends.
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Linter, type LinterOptions } from '../core/linter';
import { offerProgramFiles, preparsedUse } from '../core/parsedFiles';
import type { ts } from 'ts-morph';
import { DIRECT_ENV, hasStamp, ownNodeFlags, runSnapshotProcess, snapshotMode, snapshotNodeFlags, writeStamp } from '../../../bin/parse-snapshot-start';

const PREFIX = 'parsed-';

/** Set by the writer in the environment of the process that builds a snapshot: the manifest to read. */
const MANIFEST_ENV = 'RACELINT_PARSE_SNAPSHOT_MANIFEST';
/**
 * Set by a run in the environment of the process it hands over to: a file with what it already
 * worked out (the files and the cache's plan), so that the process does not do it again.
 */
const HANDOVER_ENV = 'RACELINT_PARSE_SNAPSHOT_PLAN';
/**
 * The flags of the node that builds a snapshot and of the one started from it: this run's own
 * (`node --max-old-space-size=8192 racelint ...`), which V8 checks too (a snapshot built without
 * them was refused, removed and written again on every run), then ours (see bin/parse-snapshot-start.js).
 */
function nodeFlags(): string[] {
  return snapshotNodeFlags(ownNodeFlags(process.execArgv, startedFromSnapshot));
}
/** This process's own node flags (without those of a start from a snapshot): what a process it starts for the same run gets. */
export function runNodeFlags(): string[] {
  return ownNodeFlags(process.execArgv, startedFromSnapshot);
}
/** The writer: runs the builder, then puts the snapshot in place (bin/ beside dist/, where the bundle is). */
const WRITER = path.join(__dirname, '..', 'bin', 'write-parse-snapshot.js');

interface Manifest {
  linter: LinterOptions;
  files: string[];
}

/** Whether this process was started from a snapshot. */
let startedFromSnapshot = false;
/** Started from a snapshot by the launcher (not handed over by a run): the file it saw changed. */
let startedByLauncher: string | undefined;

/** The snapshot file for this node and this bundle in a cache directory (undefined if the bundle is missing). */
function blobPath(cacheDir: string, bundle: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(bundle);
  } catch {
    return undefined;
  }
  const id = crypto.createHash('sha1').update(`${process.version}\0${process.arch}\0${bundle}\0${st.size}\0${st.mtimeMs}\0${nodeFlags().join('\0')}`).digest('hex').slice(0, 16);
  return path.join(cacheDir, `${PREFIX}${id}.blob`);
}

/**
 * Runs the command line again in a process started from the cache directory's snapshot, if
 * there is one and this process was not itself started from it; returns its exit code, or
 * undefined when the run is to go on here. `handover` (JSON) is what that process gets from
 * `takeHandover` with the same arguments and directory.
 */
export function runFromSnapshot(cacheDir: string, bundle: string, argv: readonly string[], cwd: string, handover?: object): number | undefined {
  if (startedFromSnapshot || snapshotMode(process.env) === 'off' || !bundle.endsWith('.js')) return undefined;
  const blob = blobPath(cacheDir, bundle);
  if (!blob || !fs.existsSync(blob)) return undefined;
  const env = { ...process.env };
  let handoverFile: string | undefined;
  if (handover) {
    handoverFile = `${blob}.${process.pid}.plan.json`;
    try {
      fs.writeFileSync(handoverFile, JSON.stringify({ argv, cwd, handover }));
      env[HANDOVER_ENV] = handoverFile;
    } catch {
      // The process plans again.
      handoverFile = undefined;
    }
  }
  try {
    return runSnapshotProcess(blob, ownNodeFlags(process.execArgv, startedFromSnapshot), argv, cwd, env);
  } finally {
    if (handoverFile) fs.rmSync(handoverFile, { force: true });
  }
}

/** In a process the launcher started from a snapshot (bin/parse-snapshot-start.js): the file it saw changed. */
export function launcherSawChanged(): string | undefined {
  return startedByLauncher;
}

/**
 * Leaves the stamp the launcher checks (bin/parse-snapshot-start.js) in the cache directory after
 * a `--cache` run: when it linted files (its stamp is the newest), when the launcher started it on
 * a wrong guess (a file touched, not changed: the old stamp would keep guessing wrong), or when
 * there is none for this invocation. A run that answered everything from the cache leaves it as
 * it is: its files are what the stamp says.
 */
export function leaveStamp(cacheDir: string, bundle: string, argv: readonly string[], cwd: string, files: readonly string[], linted: number): void {
  if (snapshotMode(process.env) === 'off' || !v8.startupSnapshot || !bundle.endsWith('.js')) return;
  const blob = blobPath(cacheDir, bundle);
  if (!blob) return;
  const invocation = { cwd, argv, nodeFlags: ownNodeFlags(process.execArgv, startedFromSnapshot), bundle, blob };
  if (linted === 0 && !startedByLauncher && hasStamp(cacheDir, invocation)) return;
  writeStamp(cacheDir, { ...invocation, files });
}

/**
 * In a process started from a snapshot by `runFromSnapshot`: what the run that started it handed
 * over for these arguments and directory (once), else undefined.
 */
export function takeHandover(argv: readonly string[], cwd: string): unknown {
  const file = process.env[HANDOVER_ENV];
  if (!startedFromSnapshot || !file) return undefined;
  delete process.env[HANDOVER_ENV];
  try {
    const got = JSON.parse(fs.readFileSync(file, 'utf8')) as { argv: string[]; cwd: string; handover: unknown };
    return JSON.stringify(got.argv) === JSON.stringify(argv) && got.cwd === cwd ? got.handover : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this process is building a snapshot (it loads the bundle, prepares the trees, and ends). */
export function isBuildingSnapshot(): boolean {
  return !!process.env[MANIFEST_ENV] && !!v8.startupSnapshot?.isBuildingSnapshot?.();
}

/**
 * In the snapshot builder: builds the programs of the manifest's files and offers their trees,
 * then makes `main` the function the snapshot starts with.
 */
export function prepareSnapshot(main: (argv: string[]) => Promise<number>): void {
  const manifest = JSON.parse(fs.readFileSync(process.env[MANIFEST_ENV] ?? '', 'utf8')) as Manifest;
  prepareTrees(manifest);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // Started as `node --snapshot-blob <blob> -- <racelint's arguments>`.
    startedFromSnapshot = true;
    startedByLauncher = process.env[DIRECT_ENV];
    delete process.env[DIRECT_ENV];
    main(process.argv.slice(1)).then(
      (code) => {
        process.exitCode = code;
      },
      (err: Error) => {
        process.stderr.write(`racelint: internal error: ${err?.message ?? err}\n`);
        process.exitCode = 2;
      },
    );
  });
}

/**
 * Builds the programs the files are linted in (every file of their tsconfigs) and offers their
 * trees; returns the linter that built them (the daemon looks at its tsconfigs).
 */
export function prepareTrees(manifest: Manifest): Linter {
  const linter = new Linter(manifest.linter);
  const programs = new Set<ReturnType<typeof linter.projects.projectFor>>();
  for (const file of manifest.files) {
    try {
      if (linter.precheck(file)) continue;
      programs.add(linter.projects.projectFor(file));
    } catch {
      // A file the run reported on is left to the run.
    }
  }
  // A declaration file shared by several programs is bound once; the biggest program goes first.
  const bySize = [...programs].map((loaded) => ({ loaded, size: loaded.rootFiles.size })).sort((a, b) => b.size - a.size);
  // All programs are built before any tree is offered, so that none takes another's trees.
  const built: ts.Program[] = [];
  for (const { loaded } of bySize) {
    try {
      built.push(loaded.program());
    } catch {
      // A program TypeScript cannot build: its files are parsed when a run needs them.
    }
  }
  for (const program of built) {
    try {
      offerProgramFiles(program);
    } catch {
      // Or bind: the same.
    }
  }
  for (const { loaded } of bySize) loaded.project.offerResolutions();
  return linter;
}

/** A run that used less CPU than this gains little from a snapshot (a small project: mostly start-up). */
const WORTH_IT_CPU_MS = 3000;
/**
 * Loading a snapshot costs in proportion to all it holds (about 7 ms of CPU per MB: 0.4 s for a
 * 420-file program, 4 s for a 5,000-file one), while a run needs only what its changed files
 * import. On a 1,200-file program a leaf's closure was 58% of it and the snapshot paid; on a
 * 5,000-file program it was a fifth, and loading the snapshot cost more than parsing that fifth.
 */
const MAX_PROGRAM_FILES = 2500;
/** A snapshot being written (its lock) is taken for abandoned after this long. */
const STALE_LOCK_MS = 10 * 60_000;

export interface SnapshotDecision {
  /** Whether to write a new snapshot, and how. */
  write: false | 'sync' | 'background';
  /** Why (for --debug). */
  why: string;
}

/**
 * Whether a `--cache` run should leave a new snapshot: it built programs, not too big for a
 * snapshot to pay, and it had none, or the one it started from made it parse a quarter of its
 * files afresh. Unless asked to (`RACELINT_PARSE_SNAPSHOT=sync`), it is written in the
 * background, only when the run was long enough for it to pay, and not on CI machines, whose
 * caches rarely outlive the job.
 */
export function shouldWriteSnapshot(lintedFiles: number, programFiles: number, bundle: string): SnapshotDecision {
  const mode = snapshotMode(process.env);
  if (lintedFiles === 0) return { write: false, why: 'nothing was linted' };
  if (mode === 'off') return { write: false, why: 'RACELINT_PARSE_SNAPSHOT=off' };
  if (programFiles > MAX_PROGRAM_FILES) return { write: false, why: `its programs have ${programFiles} files, too many for one to pay` };
  if (!v8.startupSnapshot || !bundle.endsWith('.js')) return { write: false, why: 'not running from a bundle on a node with start-up snapshots' };
  const { taken, parsed } = preparsedUse;
  if (taken > 0 && parsed * 4 <= taken + parsed) return { write: false, why: `${taken} files from the snapshot, ${parsed} parsed afresh` };
  const why = taken === 0 ? 'none to start from' : `${parsed} files parsed afresh, ${taken} from the snapshot`;
  if (mode === 'sync') return { write: 'sync', why };
  if (process.env.CI) return { write: false, why: `${why}; not written on CI (RACELINT_PARSE_SNAPSHOT=sync writes it)` };
  const cpu = process.cpuUsage();
  if ((cpu.user + cpu.system) / 1000 < WORTH_IT_CPU_MS) return { write: false, why: `${why}; the run was too short for it to pay` };
  return { write: 'background', why };
}

/**
 * Writes the snapshot of `manifest`'s programs into the cache directory (replacing older ones),
 * now or in a detached process. Returns an error message, or undefined. Writing takes about as
 * long as a cold run: the builder runs without V8's optimizing compilers.
 */
export function writeSnapshot(how: 'sync' | 'background', cacheDir: string, bundle: string, manifest: Manifest): string | undefined {
  const blob = blobPath(cacheDir, bundle);
  if (!blob) return 'the bundle is missing';
  if (!fs.existsSync(WRITER)) return `${WRITER} is missing`;
  const lock = path.join(cacheDir, `${PREFIX}lock`);
  const manifestFile = `${blob}.${process.pid}.json`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - fs.statSync(lock).mtimeMs < STALE_LOCK_MS) return 'another run is writing one';
      fs.writeFileSync(lock, String(process.pid));
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const args = [WRITER, JSON.stringify({ blob, manifest: manifestFile, lock, bundle, prefix: PREFIX, manifestEnv: MANIFEST_ENV, nodeFlags: nodeFlags() })];
    if (how === 'background') {
      spawn(process.execPath, args, { detached: true, stdio: 'ignore' }).unref();
      return undefined;
    }
    const done = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return done.status === 0 ? undefined : (done.stderr || `the writer ended with ${done.status ?? done.signal}`).trim();
  } catch (err) {
    fs.rmSync(manifestFile, { force: true });
    fs.rmSync(lock, { force: true });
    return (err as Error).message;
  }
}
