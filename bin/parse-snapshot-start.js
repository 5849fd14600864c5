'use strict';
// Starting racelint from its parse snapshot (server/src/cli/parseSnapshot.ts): node's flags and
// command line for such a process and what its end means, shared by the bundle (which hands a
// run over to it) and by the launcher (bin/racelint.js), which may start it without loading the
// bundle at all.
//
// Why the launcher does: a `--cache` run that has files to re-lint first evaluates the bundle,
// finds the files and plans the cache, only to hand the run over to a process started from the
// snapshot (on apollo-server 0.17 s of CPU in a 0.8 s run, most of it evaluating the bundle). So
// every `--cache` run that may start from the snapshot leaves a stamp beside it: the invocation
// (directory, arguments, node and its flags, the bundle) and the stat of each file it linted or
// took from the cache (replay.js's `statOf`: device, inode, mode, size, mtime and ctime). When the launcher sees the same invocation and one of
// those files changed or vanished, files will surely have to be re-linted, and it starts the
// snapshot's process directly, which finds the files and plans the cache itself. Anything else
// (no stamp, other arguments, nothing changed, a stat error, no snapshot, CI,
// RACELINT_PARSE_SNAPSHOT=off) takes the ordinary path. The guess never decides a report: a
// wrong "changed" costs loading the snapshot, a wrong "unchanged" (a new file) the hand-over.
// Plain JavaScript with node's own modules only: the bundle inlines it, and the launcher must
// not load the bundle to use it.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { cacheDirOf, statOf } = require('./replay.js');

/**
 * Node's flags for building a snapshot and for starting from one (V8 loads a snapshot only with
 * the flags it was built with). Measured on processes started from a snapshot (CPU, medians of
 * interleaved runs, production bundle):
 * - it holds a 100 MB heap from its first instruction, and V8's small initial young generation
 *   had it collect garbage again and again while building its program: a larger one took 12% off
 *   a touched leaf on apollo-server (0.81 -> 0.70 s, +8 MB), and a higher first limit for a full
 *   collection another 8% (0.64 -> 0.59 s, same peak);
 * - V8's optimizing compiler cost more than it gave, even in long runs: --no-opt took apollo-server's
 *   leaf 0.72 -> 0.63 s, 34 files re-linted there 2.25 -> 1.50 s, and 296 files of theia-core
 *   9.5 -> 8.1 s. (Not so in an ordinary process: a cold theia-core run takes 15.7 s with it,
 *   16.6 s without.)
 */
const NODE_FLAGS = ['--min-semi-space-size=8', '--initial-old-space-size=256', '--no-opt'];

/** How node ends when a snapshot file is damaged. */
const CRASHES = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL']);

/** The stamp of the last `--cache` run in its cache directory (not `parsed-*`: the snapshot writer cleans those up). */
const STAMP_NAME = 'snapshot-stamp.json';
/** 2: stats as replay.js's `statOf` strings (1 had [size, mtime, inode]). */
const STAMP_VERSION = 2;

/** Set by the launcher for the process it starts from the snapshot: the file it saw changed (for --debug). */
const DIRECT_ENV = 'RACELINT_PARSE_SNAPSHOT_DIRECT';

/**
 * The flags of the node that builds a snapshot and of the one started from it: the run's own
 * (`node --max-old-space-size=8192 racelint ...`), which V8 checks too, then ours. Not the
 * inspector's: a builder in the background would wait for a debugger.
 */
function snapshotNodeFlags(ownFlags) {
  return [...ownFlags.filter((a) => !/^--inspect/.test(a)), ...NODE_FLAGS];
}

/** A process's own node flags: started from a snapshot, node's flags end with ours and `--snapshot-blob <file>`. */
function ownNodeFlags(execArgv, startedFromSnapshot) {
  return startedFromSnapshot ? execArgv.slice(0, Math.max(0, execArgv.length - NODE_FLAGS.length - 2)) : [...execArgv];
}

/**
 * Runs racelint's command line in a process started from `blob` with `ownFlags`; returns its exit
 * code, or undefined when the run is to go on without the snapshot (removed if node could not load it).
 */
function runSnapshotProcess(blob, ownFlags, argv, cwd, env) {
  const child = spawnSync(process.execPath, [...snapshotNodeFlags(ownFlags), '--snapshot-blob', blob, '--', ...argv], { cwd, stdio: 'inherit', env });
  if (child.error) return undefined;
  if (child.signal && !CRASHES.has(child.signal)) {
    // Interrupted: end as it did.
    process.kill(process.pid, child.signal);
    return 2;
  }
  if (child.status !== null && child.status <= 2) return child.status;
  // Node could not load the snapshot (a damaged file crashes it): run without it.
  fs.rmSync(blob, { force: true });
  return undefined;
}

/** `RACELINT_PARSE_SNAPSHOT`: unset (write in the background when it pays), `sync` (write before the run ends, always), `off`. */
function snapshotMode(env) {
  const v = env.RACELINT_PARSE_SNAPSHOT;
  return v === 'off' || v === '0' ? 'off' : v === 'sync' ? 'sync' : 'auto';
}

/**
 * The launcher's check: the file that changed since the last run of this very invocation and the
 * snapshot to start from, if its stamp is there and says so and that snapshot exists; else
 * undefined (also on any doubt).
 */
function changedSinceStamp(bundle, argv, cwd) {
  if (!argv.includes('--cache') || snapshotMode(process.env) === 'off' || process.env.CI) return undefined;
  const dir = cacheDirOf(argv, cwd);
  if (!dir) return undefined;
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP_NAME), 'utf8'));
  } catch {
    return undefined;
  }
  try {
    if (stamp.version !== STAMP_VERSION || stamp.cwd !== cwd || stamp.bundle !== bundle || stamp.node !== process.version || stamp.arch !== process.arch) return undefined;
    if (JSON.stringify(stamp.argv) !== JSON.stringify(argv) || JSON.stringify(stamp.nodeFlags) !== JSON.stringify(process.execArgv)) return undefined;
    if (statOf(bundle) !== stamp.bundleStat) return undefined;
    if (!(fs.statSync(stamp.blob).size > 0)) return undefined;
    for (const [file, was] of stamp.files) {
      const now = statOf(file);
      if (now.startsWith('!')) return undefined;
      if (now !== was) return { file, blob: stamp.blob };
    }
  } catch {
    // A stat error or a stamp of another shape: the ordinary path.
  }
  return undefined;
}

/**
 * The launcher's shortcut: when the stamp says files of this `--cache` run changed, runs it in a
 * process started from the parse snapshot and returns its exit code; else (or if node could not
 * load the snapshot) undefined, and the launcher loads the bundle as usual.
 */
function startFromSnapshot(bundle, argv, cwd = process.cwd()) {
  let changed;
  try {
    changed = changedSinceStamp(bundle, argv, cwd);
  } catch {
    return undefined;
  }
  if (!changed) return undefined;
  const code = runSnapshotProcess(changed.blob, process.execArgv, argv, cwd, { ...process.env, [DIRECT_ENV]: path.relative(cwd, changed.file) || changed.file });
  if (code === undefined && argv.includes('--debug')) process.stderr.write('racelint: the parse snapshot could not start this run; going on without it\n');
  return code;
}

/** The stamp's fields but its files, in the order they are written (`hasStamp` compares the text). */
function stampHeader(stamp) {
  const bundleStat = statOf(stamp.bundle);
  return { version: STAMP_VERSION, cwd: stamp.cwd, argv: stamp.argv, node: process.version, arch: process.arch, nodeFlags: stamp.nodeFlags, bundle: stamp.bundle, bundleStat, blob: stamp.blob };
}

/**
 * Whether the cache directory holds a stamp of this invocation (`stamp` as for `writeStamp`,
 * without files); reads only its head, not the files' list.
 */
function hasStamp(cacheDir, stamp) {
  let fd;
  try {
    const head = `${JSON.stringify(stampHeader(stamp)).slice(0, -1)},"files":`;
    const buf = Buffer.alloc(Buffer.byteLength(head));
    fd = fs.openSync(path.join(cacheDir, STAMP_NAME), 'r');
    const got = fs.readSync(fd, buf, 0, buf.length, 0);
    return got === buf.length && buf.toString('utf8') === head;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes the stamp of a `--cache` run (see above) into its cache directory. `nodeFlags` are the
 * launcher's (`ownNodeFlags`); `files` the run's. Never throws: without a stamp the launcher
 * takes the ordinary path.
 */
function writeStamp(cacheDir, stamp) {
  const file = path.join(cacheDir, STAMP_NAME);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const files = [];
    for (const f of stamp.files) {
      const now = statOf(f);
      if (now !== '-' && !now.startsWith('!')) files.push([f, now]);
    }
    fs.writeFileSync(tmp, JSON.stringify({ ...stampHeader(stamp), files }));
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

module.exports = { DIRECT_ENV, snapshotMode, snapshotNodeFlags, ownNodeFlags, runSnapshotProcess, startFromSnapshot, hasStamp, writeStamp };
