'use strict';
// Answering a `--cache` run on an unchanged tree without loading the bundle: the launcher
// (bin/racelint.js) replays the report and exit code of the last run of the very same command,
// when it can show that nothing that run read has changed since.
//
// Why: a run answered wholly from the cache spends almost all of its time loading the 4 MB
// bundle (V8's code cache, top-level evaluation): 0.40-0.45 s of CPU on apollo-server, of
// which finding the files and checking the cache are 0.05 s.
//
// How it stays exact: a run that answered every file from the cache (no file linted, no
// hand-over to the parse snapshot, no --fix, no -o, not on CI) traces every file system call it
// makes through node's `fs` module, from its arguments to its report: each path it read,
// listed, tested or resolved, with its stat (device, inode, mode, size, mtime and ctime in
// nanoseconds) or that it was missing, and each realpath it asked for with the answer. That
// covers everything its report was computed from: discovery's directory walks and ignore files,
// racelint.json and package.json lookups, tsconfig files and their file lists, the linted files,
// the import closures' external files and the files that may declare globals the cache checks,
// the result cache itself. It stores that list with the report (stdout and stderr, in order) and
// the exit code, beside the cache.
//
// A run that lints files (in its own process: not one handed to the parse snapshot's, nor --fix,
// -o or CI) leaves a record too, when it can show that its report is the one a run answered wholly
// from the cache would print: what it reads while planning and linting (imports of changed files
// resolved up to the root, every file of its programs, whether a snapshot is there) is left out of
// the trace (`forgetReadsSince`, `unrecordedReads`); once it has saved the cache
// and said nothing on stderr while linting, it plans the cache again with a new linter, as such a
// run would (those reads are traced), and records only if every file is answered from the cache
// and the report, the warnings and the exit code come out the same. So the first run on an
// unchanged tree after a lint is replayed too. (A run that creates the cache folder in a folder
// it listed, a project's first, records nothing: its listing is out of date.) The launcher, before loading the bundle, takes the record only
// for the same invocation (directory, arguments, node and its flags, the bundle file, the user,
// the environment variables racelint reads, whether stdout and stderr are terminals), and only
// if every path gives the same answer again. A new file shows as a changed directory (or a
// missing path now present), an edit as a changed ctime, a replaced file as another inode.
// Anything it cannot account for makes the run record nothing: an asynchronous or stream fs
// call, a file descriptor it did not see opened, a path that is neither string nor URL, a file
// that changed while the run read it, or one changed less than 100 ms before the run began (its
// ctime could not tell a second change in the same clock tick, as git's racy-clean check). So a
// replay prints what the ordinary path would have printed, from the same inputs.
//
// Plain JavaScript with node's own modules only: the bundle inlines it (to trace), and the
// launcher must not load the bundle to use it (to replay).
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

/** The record's file in the cache directory, and the report it replays. */
const RECORD_NAME = 'replay.json';
const OUTPUT_NAME = 'replay-output.bin';
const FORMAT = 1;
/** A file changed this shortly before a run began might change again within the same timestamp. */
const RACY_NS = 100n * 1000000n;

/** The originals of the functions the tracer wraps (the launcher checks with these too). */
const original = {
  statSync: fs.statSync,
  realpathNative: fs.realpathSync.native,
};

/** What a path says now: its stat, `-` if it does not exist, `!CODE` if stat fails otherwise. */
function statOf(p) {
  let st;
  try {
    st = original.statSync(p, { bigint: true, throwIfNoEntry: false });
  } catch (err) {
    return `!${(err && err.code) || 'error'}`;
  }
  if (!st) return '-';
  return `${st.dev}:${st.ino}:${st.mode}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * The cache directory of a command line, as main.ts's parseArgs reads `--cache-location` (a
 * mistake only misses the stamp or the replay record). Shared with
 * bin/parse-snapshot-start.js and bin/daemon-client.js.
 */
function cacheDirOf(argv, cwd) {
  let location = path.join('node_modules', '.cache', 'racelint');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--cache-location') location = argv[++i];
    else if (a.startsWith('--cache-location=')) location = a.slice('--cache-location='.length);
  }
  if (!location) return undefined;
  const abs = path.resolve(cwd, location);
  return abs.endsWith('.json') ? path.dirname(abs) : abs;
}

/** Where a path resolves to now, or `!CODE`. */
function realpathOf(p) {
  try {
    return original.realpathNative(p);
  } catch (err) {
    return `!${(err && err.code) || 'error'}`;
  }
}

/** A directory the run wrote into: what counts is that it is one. */
const DIRECTORY = 'directory';

function isDirectory(sig) {
  const parts = sig.split(':');
  return parts.length === 6 && (Number(parts[2]) & 0o170000) === 0o040000;
}

/** Whether a path gives the answer recorded for it. */
function same(file, was) {
  const now = statOf(file);
  return was === DIRECTORY ? isDirectory(now) : now === was;
}

/** The ctime in a `statOf` answer (undefined for a missing path). */
function ctimeOf(sig) {
  const parts = sig.split(':');
  return parts.length === 6 ? BigInt(parts[5]) : undefined;
}

/**
 * Settings that change how fast a report comes, never what it says: whether a parse snapshot is
 * written or read, whether a daemon runs (a run that lints files records nothing when the
 * snapshot's writer failed and said so on stderr; main.ts). A record made under one setting is
 * replayed under another.
 */
const SPEED_ONLY = new Set(['RACELINT_PARSE_SNAPSHOT', 'RACELINT_DAEMON', 'RACELINT_DAEMON_IDLE_MS']);

/**
 * What the report of a command depends on besides the files: who runs what, where, and how its
 * output is shown. `bundle` is the bundle file the launcher loads.
 */
function invocationOf(bundle, argv, cwd) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (SPEED_ONLY.has(k)) continue;
    if (/^RACELINT_/.test(k) || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k === 'CI' || k === 'NODE_OPTIONS') env[k] = v;
  }
  return {
    format: FORMAT,
    cwd,
    argv: [...argv],
    execArgv: [...process.execArgv],
    node: process.version,
    arch: process.arch,
    uid: typeof process.getuid === 'function' ? process.getuid() : -1,
    bundle,
    bundleStat: statOf(bundle),
    env,
    stdoutTTY: !!process.stdout.isTTY,
    stderrTTY: !!process.stderr.isTTY,
  };
}

// ---------------------------------------------------------------------------------------------
// The tracer (in the bundle's process)

/** The trace being taken, if any. */
let current;
let installed = false;

/**
 * Wraps node's `fs` functions so that a trace can see every call. Done before the bundle's other
 * modules run (TypeScript keeps some fs functions it looked up at start); the wrappers only
 * look at their arguments while a trace is on.
 */
function install() {
  if (installed) return;
  installed = true;
  // Reading: the path's answer is recorded before the call.
  const reads = ['existsSync', 'statSync', 'lstatSync', 'readFileSync', 'readdirSync', 'accessSync', 'readlinkSync'];
  // Writing: the path (and its directory) will be looked at again once the run is over.
  const writes = ['writeFileSync', 'appendFileSync', 'mkdirSync', 'rmSync', 'unlinkSync', 'rmdirSync', 'copyFileSync', 'truncateSync', 'utimesSync', 'chmodSync', 'symlinkSync', 'linkSync', 'mkdtempSync', 'cpSync'];
  // File descriptors: fine when opened during the trace.
  const fds = ['fstatSync', 'readSync', 'closeSync', 'writeSync', 'ftruncateSync', 'fsyncSync', 'fdatasyncSync'];
  const known = new Set([...reads, ...writes, ...fds, 'openSync', 'renameSync', 'realpathSync']);
  const wrap = (name, before) => {
    const fn = fs[name];
    if (typeof fn !== 'function') return;
    const wrapper = function (...args) {
      if (current) before(current, args);
      return fn.apply(this, args);
    };
    Object.defineProperties(wrapper, Object.getOwnPropertyDescriptors(fn));
    fs[name] = wrapper;
  };
  for (const name of reads) wrap(name, (t, args) => t.read(args[0], name === 'readdirSync'));
  for (const name of writes) wrap(name, (t, args) => t.wrote(args[0], name === 'copyFileSync' || name === 'symlinkSync' || name === 'linkSync' || name === 'cpSync' ? args[1] : undefined));
  for (const name of fds) wrap(name, (t, args) => t.fd(args[0], name === 'readSync'));
  const openSync = fs.openSync;
  const openWrapper = function (...args) {
    const t = current;
    if (t) t.open(args[0], args[1]);
    const fd = openSync.apply(this, args);
    if (t) t.openFds.add(fd);
    return fd;
  };
  Object.defineProperties(openWrapper, Object.getOwnPropertyDescriptors(openSync));
  fs.openSync = openWrapper;
  wrap('renameSync', (t, args) => t.wrote(args[0], args[1]));
  const realpathNative = fs.realpathSync.native;
  wrap('realpathSync', (t, args) => t.realpath(args[0]));
  const nativeWrapper = function (...args) {
    if (current) current.realpath(args[0]);
    return realpathNative.apply(this, args);
  };
  fs.realpathSync.native = nativeWrapper;
  // Every other function of fs (asynchronous calls, streams, watchers): a trace cannot follow them.
  for (const name of Object.keys(fs)) {
    if (known.has(name) || typeof fs[name] !== 'function' || /^[A-Z_]/.test(name)) continue;
    wrap(name, (t) => t.taint(`fs.${name}`));
  }
  for (const name of Object.keys(fs.promises || {})) {
    const fn = fs.promises[name];
    if (typeof fn !== 'function') continue;
    fs.promises[name] = function (...args) {
      if (current) current.taint(`fs.promises.${name}`);
      return fn.apply(this, args);
    };
  }
}

class Trace {
  constructor(argv, cwd) {
    this.argv = argv;
    this.cwd = cwd;
    this.start = process.hrtime.bigint();
    this.startWall = BigInt(Date.now()) * 1000000n;
    /** path → its answer when first read */
    this.reads = new Map();
    /** path → where it resolved when first asked */
    this.realpaths = new Map();
    this.written = new Set();
    this.listed = new Set();
    this.openFds = new Set();
    this.tainted = undefined;
    this.output = [];
    this.eligible = undefined;
    this.quiet = 0;
    this.unread = 0;
  }

  taint(why) {
    if (!this.tainted) this.tainted = why;
  }

  /** An absolute path for a path argument, or undefined (and the trace is tainted). */
  abs(p) {
    if (typeof p === 'string') return path.resolve(this.cwd, p);
    if (p instanceof URL && p.protocol === 'file:') return fileURLToPath(p);
    if (Buffer.isBuffer(p)) return path.resolve(this.cwd, p.toString('utf8'));
    this.taint(`a path of type ${typeof p}`);
    return undefined;
  }

  read(p, listing) {
    if (typeof p === 'number') return this.fd(p, true);
    if (this.unread > 0) return;
    const file = this.abs(p);
    if (file === undefined) return;
    if (!this.reads.has(file)) this.reads.set(file, statOf(file));
    if (listing) this.listed.add(file);
  }

  realpath(p) {
    if (this.unread > 0) return;
    const file = this.abs(p);
    if (file === undefined) return;
    this.read(file);
    if (!this.realpaths.has(file)) this.realpaths.set(file, realpathOf(file));
  }

  wrote(...paths) {
    for (const p of paths) {
      if (p === undefined || typeof p === 'number') continue;
      const file = this.abs(p);
      if (file === undefined) continue;
      this.written.add(file);
      this.written.add(path.dirname(file));
    }
  }

  open(p, flags) {
    if (typeof flags === 'number' ? (flags & 3) !== 0 : flags !== undefined && flags !== 'r' && flags !== 'rs' && flags !== 'sr') this.wrote(p);
    else this.read(p);
  }

  /** A call on a file descriptor: one the run opened, or stdout and stderr (not to read). */
  fd(fd, reading) {
    if (!this.openFds.has(fd) && (reading || (fd !== 1 && fd !== 2))) this.taint(`file descriptor ${fd}`);
  }

  /** The run's writes to stdout and stderr, in order (not --debug's lines: `quietly`). */
  captured(stream, chunk, encoding) {
    if (this.quiet > 0) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk);
    this.output.push([stream, buf]);
  }
}

/**
 * Starts tracing this run, if the launcher installed the wrappers and the command may be replayed;
 * returns the trace (for `eligible`, `finish`) or undefined.
 */
function startTrace(argv, cwd) {
  if (!installed || current || process.env.CI || process.env.RACELINT_REPLAY === 'off') return undefined;
  const trace = new Trace(argv, cwd);
  for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]]) {
    const write = stream.write;
    stream.write = function (chunk, encoding, cb) {
      if (current === trace) trace.captured(name, chunk, encoding);
      return write.call(this, chunk, encoding, cb);
    };
    const restore = trace.restoreStreams;
    trace.restoreStreams = () => {
      stream.write = write;
      if (restore) restore();
    };
  }
  current = trace;
  return trace;
}

/** Runs `work` with the trace's counter `key` raised for its duration (it may nest). */
function whileRaised(trace, key, work) {
  if (!trace) return work();
  trace[key]++;
  try {
    return work();
  } finally {
    trace[key]--;
  }
}

/** Writes to stderr that the record leaves out (--debug's lines, with their timings). */
function quietly(trace, write) {
  return whileRaised(trace, 'quiet', write);
}

/**
 * Runs `work` without recording what it reads (what it writes, and its output, still count). For
 * a run that lints files: its report is recorded only when it equals the one the run works out
 * afterwards from the cache alone, as a run answered wholly from the cache would (main.ts), so
 * what the lint read (the programs' files) is not what the report depends on.
 */
function unrecordedReads(trace, work) {
  return whileRaised(trace, 'unread', work);
}

/** Where the trace's reads stand now, for `forgetReadsSince`. */
function readsCheckpoint(trace) {
  return trace ? { reads: trace.reads.size, realpaths: trace.realpaths.size, listed: trace.listed.size } : undefined;
}

/**
 * Forgets the reads recorded since `checkpoint` (what they wrote still counts). For a run that
 * lints files: its plan of the cache read what a run answered wholly from the cache does not (the
 * imports of changed files resolved, up every directory to the root); the run reads what such a run
 * reads again once it has linted (main.ts), and only that is recorded.
 */
function forgetReadsSince(trace, checkpoint) {
  if (!trace || !checkpoint) return;
  const drop = (collection, keep) => {
    for (const key of [...collection.keys()].slice(keep)) collection.delete(key);
  };
  drop(trace.reads, checkpoint.reads);
  drop(trace.realpaths, checkpoint.realpaths);
  drop(trace.listed, checkpoint.listed);
}

/**
 * Ends a trace. If the run said it may be replayed (`trace.eligible = { bundle, cacheDir, files }`)
 * and the trace accounts for everything, writes the record; else removes an older one (it would
 * not match anyway, and need not be read again). Never throws.
 */
function finishTrace(trace, code) {
  if (current !== trace) return false;
  current = undefined;
  trace.restoreStreams();
  const e = trace.eligible;
  if (!e) return false;
  const recordFile = path.join(e.cacheDir, RECORD_NAME);
  try {
    if (trace.tainted) throw new Error(trace.tainted);
    // Every path read is as it was when the run read it (else it changed under the run), and
    // was last changed before the run began (else it could change again unseen). Files the run
    // wrote (the result cache) are taken as they are now; a directory it wrote into and did not
    // list (the cache's) only as a directory, since writing this record changes it again.
    const reads = [];
    for (const [file, was] of trace.reads) {
      if (file === recordFile || file === path.join(e.cacheDir, OUTPUT_NAME)) continue;
      if (trace.written.has(file)) {
        if (trace.listed.has(file)) throw new Error(`the run wrote into ${file}, which it also listed`);
        const now = statOf(file);
        reads.push([file, isDirectory(now) ? DIRECTORY : now]);
        continue;
      }
      const now = statOf(file);
      if (now !== was) throw new Error(`${file} changed during the run`);
      const ctime = ctimeOf(now);
      if (ctime !== undefined && ctime >= trace.startWall - RACY_NS) throw new Error(`${file} changed just before the run`);
      reads.push([file, now]);
    }
    const realpaths = [];
    for (const [file, was] of trace.realpaths) {
      if (realpathOf(file) !== was) throw new Error(`${file} resolves elsewhere`);
      realpaths.push([file, was]);
    }
    const out = Buffer.concat(trace.output.map(([, buf]) => buf));
    const record = {
      invocation: invocationOf(e.bundle, trace.argv, trace.cwd),
      code,
      files: e.files,
      output: trace.output.map(([stream, buf]) => [stream, buf.length]),
      reads,
      realpaths,
    };
    const outFile = path.join(e.cacheDir, OUTPUT_NAME);
    const tmpOut = `${outFile}.${process.pid}.tmp`;
    const tmp = `${recordFile}.${process.pid}.tmp`;
    fs.rmSync(recordFile, { force: true });
    fs.writeFileSync(tmpOut, out);
    fs.renameSync(tmpOut, outFile);
    record.outputStat = statOf(outFile);
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, recordFile);
    return true;
  } catch (err) {
    try {
      fs.rmSync(recordFile, { force: true });
    } catch {
      // Nothing to do.
    }
    trace.why = err && err.message;
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The launcher's side

/**
 * Replays the last run of this `--cache` command if nothing it read changed: writes its report,
 * returns its exit code. Else (or on any doubt) undefined, and the launcher runs as usual.
 */
function replay(bundle, argv, cwd = process.cwd()) {
  const started = process.hrtime.bigint();
  try {
    if (!argv.some((a) => a === '--cache' || a === '--cache-location' || a.startsWith('--cache-location='))) return undefined;
    if (process.env.CI || process.env.RACELINT_REPLAY === 'off') return undefined;
    const dir = cacheDirOf(argv, cwd);
    if (!dir) return undefined;
    let record;
    try {
      record = JSON.parse(fs.readFileSync(path.join(dir, RECORD_NAME), 'utf8'));
    } catch {
      return undefined;
    }
    if (JSON.stringify(record.invocation) !== JSON.stringify(invocationOf(bundle, argv, cwd))) return undefined;
    for (const [file, was] of record.reads) if (!same(file, was)) return undefined;
    for (const [file, was] of record.realpaths) if (realpathOf(file) !== was) return undefined;
    const outFile = path.join(dir, OUTPUT_NAME);
    if (statOf(outFile) !== record.outputStat) return undefined;
    const out = fs.readFileSync(outFile);
    if (out.length !== record.output.reduce((n, [, len]) => n + len, 0)) return undefined;
    let at = 0;
    for (const [stream, len] of record.output) {
      const chunk = out.subarray(at, at + len);
      at += len;
      (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
    }
    if (argv.includes('--debug')) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const n = record.files;
      process.stderr.write(`racelint: the last run's report, replayed by the launcher: none of the ${record.reads.length} paths it read changed\n`);
      process.stderr.write(`racelint: linted 0 of ${n} files (${n} from cache) in ${Math.round(ms)} ms\n`);
    }
    return record.code;
  } catch {
    return undefined;
  }
}

module.exports = { RECORD_NAME, statOf, cacheDirOf, install, startTrace, quietly, unrecordedReads, readsCheckpoint, forgetReadsSince, finishTrace, replay };
