// racelint's daemon: a process, one per cache directory, that keeps the parsed and bound trees of
// the project's programs between `--cache` runs, so that a run after a file changed does not
// parse and bind that file's import closure, the standard library and the packages' declarations
// again (most of such a run: see bench/README.md, "The daemon").
//
// A `--cache` run on a developer's machine (never on CI, never with RACELINT_DAEMON=off, not
// --fix) starts one in the background when none is running for its cache directory
// (`startDaemon`). The daemon builds the programs of that run's files and offers their trees
// (as the parse snapshot's builder does, parseSnapshot.ts), then listens on a unix socket in the
// cache directory, readable and writable by its user only. The launcher (bin/daemon-client.js)
// hands it a command line with the directory, environment and terminal-ness of its output; the
// daemon runs that command with the ordinary code (main.ts's `run`: the files found again, the
// configs and the cache read from disk, the cache saved) and answers with what the run wrote to
// stdout and stderr and its exit code. What carries over from one run to the next is only what
// core/parsedFiles.ts hands out under its own checks: a tree for the same text and options (a
// file under node_modules on the same size, mtime and inode), module resolutions while the
// directories and package.json files they read are unchanged. TypeScript's language service
// shares trees between programs the same way, and the language server reuses them across edits.
//
// It refuses (and exits; the launcher takes the ordinary path, which starts a new one) when the
// bundle, node or node's flags differ from its own, or when a tsconfig of its programs, a
// package.json, a node_modules directory or npm's record of it beside the project changed. It
// exits after RACELINT_DAEMON_IDLE_MS (default 30 minutes) without a request, or when asked
// (`racelint --daemon-stop`), and answers one request at a time.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { type Linter, type LinterOptions } from '../core/linter';
import { offerProgramFiles } from '../core/parsedFiles';
import { FORMAT, livePid, PID_NAME, SOCKET_NAME, socketPathFrom } from '../../../bin/daemon-client';
import { statOf } from '../../../bin/replay';

/** The script a daemon is started with (beside the launcher; it loads this bundle). */
const DAEMON_SCRIPT = path.join(__dirname, '..', 'bin', 'racelint-daemon.js');
const DEFAULT_IDLE_MS = 30 * 60_000;

export interface DaemonJob {
  cacheDir: string;
  bundle: string;
  cwd: string;
  manifest: { linter: LinterOptions; files: string[] };
}

/** In the daemon: set while it serves (main.ts then hands nothing over, writes no snapshot or stamp, shows no progress). */
export const daemonState: { serving: boolean; keep?: (linter: Linter) => void } = { serving: false };

/**
 * Starts the cache directory's daemon in the background, unless one runs or is starting, or the
 * run is in one. Returns what happened, for --debug. Never throws.
 */
export function startDaemon(job: DaemonJob, nodeFlags: readonly string[]): string {
  try {
    if (daemonState.serving) return 'this is the daemon';
    if (!job.bundle.endsWith('.js') || !fs.existsSync(DAEMON_SCRIPT)) return 'not running from a bundle';
    if (!socketPathFrom(job.cacheDir, job.cwd)) return 'the cache directory is too deep for a unix socket';
    const pid = livePid(job.cacheDir);
    if (pid !== undefined) return `one runs (pid ${pid})`;
    const jobFile = path.join(job.cacheDir, `daemon-job.${process.pid}.json`);
    fs.writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
    const child = spawn(process.execPath, [...nodeFlags, DAEMON_SCRIPT, jobFile], { detached: true, stdio: 'ignore', cwd: job.cacheDir });
    child.unref();
    return `started (pid ${child.pid})`;
  } catch (err) {
    return `not started: ${(err as Error).message}`;
  }
}

/**
 * What the daemon's trees and resolutions were made under besides the files' own texts: the
 * tsconfig files of its programs, and for the directories from the run's up to the root, their
 * package.json, node_modules and npm's record of what it installed there. Any change: it retires.
 */
function worldOf(cwd: string, linter: Linter | undefined): Map<string, string> {
  const world = new Map<string, string>();
  const look = (p: string) => world.set(p, statOf(p));
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    look(path.join(d, 'package.json'));
    look(path.join(d, 'node_modules'));
    look(path.join(d, 'node_modules', '.package-lock.json'));
    if (path.dirname(d) === d) break;
  }
  for (const loaded of linter?.projects.loadedProjects() ?? []) if (loaded.tsconfig) look(loaded.tsconfig);
  return world;
}

function changedIn(world: Map<string, string>): string | undefined {
  for (const [p, was] of world) if (statOf(p) !== was) return p;
  return undefined;
}

interface DaemonRequest {
  format: number;
  stop?: boolean;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  bundle: string;
  bundleStat: string;
  node: string;
  execArgv: string[];
  stdoutTTY: boolean;
  stderrTTY: boolean;
}

/**
 * The daemon's main function (bin/racelint-daemon.js): prepares the trees of the job's files,
 * listens, and answers requests with `run` until idle, asked to stop, or out of date.
 */
export function serveDaemon(jobFile: string, run: (argv: readonly string[], cwd: string) => Promise<number>, prepare: (manifest: DaemonJob['manifest']) => Linter | undefined): void {
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as DaemonJob;
  const pidFile = path.join(job.cacheDir, PID_NAME);
  try {
    fs.writeFileSync(pidFile, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch {
    if (livePid(job.cacheDir) !== undefined) {
      fs.rmSync(jobFile, { force: true });
      return;
    }
    fs.writeFileSync(pidFile, String(process.pid), { mode: 0o600 });
  }
  // Removed once the pid is there: whoever sees no job file and no live pid sees no daemon.
  fs.rmSync(jobFile, { force: true });
  // A dead daemon's socket goes at once, not after the trees are prepared: from now on a socket
  // beside this pid file is this daemon's, and it listens.
  const socketFile = path.join(job.cacheDir, SOCKET_NAME);
  fs.rmSync(socketFile, { force: true });
  const bundleStat = statOf(job.bundle);
  daemonState.serving = true;
  let linter: Linter | undefined;
  try {
    linter = prepare(job.manifest);
  } catch {
    // Runs parse what they need.
  }
  const world = worldOf(job.cwd, linter);
  linter = undefined;
  daemonState.keep = (used) => {
    for (const loaded of used.projects.loadedProjects()) {
      const program = loaded.project.lastProgram;
      if (!program) continue;
      try {
        offerProgramFiles(program, true);
        loaded.project.offerResolutions();
      } catch {
        // The next run parses those files.
      }
    }
    // What the run's directory (the process's, while it runs) and its tsconfigs add.
    for (const [p, now] of worldOf(process.cwd(), used)) if (!world.has(p)) world.set(p, now);
  };

  process.chdir(job.cacheDir);
  const ownSocket = () => {
    try {
      return fs.readFileSync(pidFile, 'utf8').trim() === String(process.pid);
    } catch {
      return false;
    }
  };
  let server: net.Server | undefined;
  let idle: NodeJS.Timeout | undefined;
  const idleMs = Number(process.env.RACELINT_DAEMON_IDLE_MS) > 0 ? Number(process.env.RACELINT_DAEMON_IDLE_MS) : DEFAULT_IDLE_MS;
  const shutdown = () => {
    if (idle) clearTimeout(idle);
    server?.close();
    if (ownSocket()) {
      fs.rmSync(path.join(job.cacheDir, SOCKET_NAME), { force: true });
      fs.rmSync(pidFile, { force: true });
    }
    process.exit(0);
  };
  const rest = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(shutdown, idleMs);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  // One request at a time: the others wait (and the launcher gives up on them after a while).
  let busy: Promise<void> = Promise.resolve();
  const handle = (socket: net.Socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      const line = buffered.slice(0, nl);
      socket.removeAllListeners('data');
      busy = busy.then(() => answer(socket, line)).catch(() => undefined);
    });
  };
  const send = (socket: net.Socket, message: object) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  const answer = async (socket: net.Socket, line: string) => {
    rest();
    let req: DaemonRequest;
    try {
      req = JSON.parse(line) as DaemonRequest;
    } catch {
      socket.destroy();
      return;
    }
    if (req.stop) {
      send(socket, { stopping: true });
      socket.end();
      setImmediate(shutdown);
      return;
    }
    // Another client's wish (node flags) is refused; anything that makes the daemon out of date
    // for every request retires it.
    const changed = changedIn(world);
    const retire =
      req.node !== process.version
        ? 'another node'
        : req.bundle !== job.bundle || req.bundleStat !== bundleStat || statOf(job.bundle) !== bundleStat
          ? 'another racelint bundle'
          : changed
            ? `${changed} changed since the daemon started`
            : undefined;
    const refusal = retire ?? (req.format !== FORMAT ? 'another format' : JSON.stringify(req.execArgv) !== JSON.stringify(process.execArgv) ? 'other node flags' : undefined);
    if (refusal) {
      send(socket, { refused: refusal });
      socket.end();
      if (retire) setImmediate(shutdown);
      return;
    }
    send(socket, { accepted: true });
    let result: Awaited<ReturnType<typeof runCaptured>>;
    try {
      result = await runCaptured(req, run);
    } catch {
      // Its directory is gone, say: the launcher sees the connection close and runs it itself.
      socket.destroy();
      return;
    }
    send(socket, { result: { ...result, pid: process.pid } });
    socket.end();
    rest();
  };

  const oldMask = process.umask(0o077);
  server = net.createServer(handle);
  server.on('error', shutdown);
  server.listen(SOCKET_NAME, () => {
    process.umask(oldMask);
    try {
      fs.chmodSync(socketFile, 0o600);
    } catch {
      shutdown();
    }
    rest();
  });
  // Its cache directory removed, or another daemon in its place: nobody can reach it any more.
  setInterval(() => {
    if (!ownSocket() || !fs.existsSync(socketFile)) shutdown();
  }, 30_000).unref();
}

/** Runs a request's command line as the launcher's process would, collecting its output. */
async function runCaptured(req: DaemonRequest, run: (argv: readonly string[], cwd: string) => Promise<number>): Promise<{ code: number; output: Array<[string, string]> }> {
  const output: Array<[string, string]> = [];
  const savedEnv = { ...process.env };
  const streams = [
    ['stdout', process.stdout, req.stdoutTTY],
    ['stderr', process.stderr, req.stderrTTY],
  ] as const;
  const saved = streams.map(([, stream]) => ({ write: stream.write, tty: Object.getOwnPropertyDescriptor(stream, 'isTTY') }));
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, req.env);
  const cwd = process.cwd();
  let code: number;
  try {
    process.chdir(req.cwd);
    for (const [name, stream, tty] of streams) {
      stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | (() => void), cb?: () => void) => {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk);
        output.push([name, buf.toString('base64')]);
        const done = typeof encoding === 'function' ? encoding : cb;
        if (done) process.nextTick(done);
        return true;
      }) as typeof stream.write;
      Object.defineProperty(stream, 'isTTY', { value: tty || undefined, configurable: true, writable: true });
    }
    try {
      code = await run(req.argv, req.cwd);
    } catch (err) {
      // As bin/racelint.js says it.
      process.stderr.write(`racelint: internal error: ${(err as Error)?.message}\n`);
      code = 2;
    }
  } finally {
    streams.forEach(([, stream], i) => {
      stream.write = saved[i].write;
      if (saved[i].tty) Object.defineProperty(stream, 'isTTY', saved[i].tty!);
      else delete (stream as { isTTY?: boolean }).isTTY;
    });
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    process.chdir(cwd);
  }
  return { code, output };
}
