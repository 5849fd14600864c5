'use strict';
// The launcher's side of racelint's daemon (server/src/cli/daemon.ts): asks a daemon that keeps
// the project's parsed and bound trees to run a `--cache` command, and prints what it answers.
//
// Why: a `--cache` run after one file changed builds that file's program again, its import
// closure with the standard library and the packages' declaration files. On apollo-server that
// is most of the program (2.2-3.6 s of CPU against 4.3 s for a cold run); the parse snapshot
// avoids the parse but, on a machine where touching fresh memory is dear, loading its 55-150 MB
// costs as much. A process that kept the trees pays neither.
//
// The daemon runs the very command line the ordinary path would (same code, same arguments,
// directory and environment, the same inputs read from disk); only the trees it parsed before
// are reused, when the file's text is the same. It answers with the run's stdout, stderr and
// exit code. Anything else (no daemon, another bundle or node, a refusal, a timeout before it
// took the request, a crash or a closed connection) answers undefined, and the launcher takes the
// ordinary path. Never on CI, never with RACELINT_DAEMON=off.
//
// Plain JavaScript with node's own modules only: the launcher uses it before loading the bundle.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { cacheDirOf, statOf } = require('./replay.js');

const FORMAT = 1;
const SOCKET_NAME = 'daemon.sock';
const PID_NAME = 'daemon.pid';
/** How long a daemon may take to take a request (it answers one at a time). */
const ACCEPT_TIMEOUT_MS = 3000;
/** A unix socket's path must fit in 108 bytes. */
const MAX_SOCKET_PATH = 100;

/** Whether this command may be answered by (or start) a daemon. */
function daemonWanted(argv, env = process.env) {
  if (!argv.some((a) => a === '--cache' || a === '--cache-location' || a.startsWith('--cache-location='))) return false;
  if (argv.includes('--fix') || argv.includes('--fix-dry-run') || argv.includes('--daemon-stop')) return false;
  return !env.CI && env.RACELINT_DAEMON !== 'off' && env.RACELINT_DAEMON !== '0';
}

/** The path to connect to the socket of a cache directory (relative when shorter), or undefined when too long. */
function socketPathFrom(cacheDir, cwd) {
  const abs = path.join(cacheDir, SOCKET_NAME);
  const rel = path.relative(cwd, abs);
  const p = rel.length < abs.length ? rel : abs;
  return p.length <= MAX_SOCKET_PATH ? p : undefined;
}

/** What the daemon needs to run the command as this process would. */
function requestOf(bundle, argv, cwd) {
  return {
    format: FORMAT,
    argv: [...argv],
    cwd,
    env: { ...process.env },
    bundle,
    bundleStat: statOf(bundle),
    node: process.version,
    execArgv: [...process.execArgv],
    stdoutTTY: !!process.stdout.isTTY,
    stderrTTY: !!process.stderr.isTTY,
  };
}

/**
 * Sends one JSON line and collects JSON lines until the daemon closes the connection; resolves
 * with them (or undefined on any error). `onLine` may end early by returning true.
 */
function exchange(socketPath, cwd, message, onLine, acceptTimeoutMs) {
  return new Promise((resolve) => {
    const lines = [];
    let buffered = '';
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const socket = net.connect({ path: path.isAbsolute(socketPath) || process.cwd() === cwd ? socketPath : path.join(cwd, socketPath) });
    let timer = setTimeout(() => finish(undefined), acceptTimeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', () => finish(undefined));
    socket.on('connect', () => socket.write(`${JSON.stringify(message)}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          finish(undefined);
          return;
        }
        lines.push(parsed);
        if (parsed.accepted) {
          // Taken: the run may take as long as it takes; a crash closes the connection.
          clearTimeout(timer);
          timer = undefined;
        }
        if (onLine(parsed)) {
          finish(lines);
          return;
        }
      }
    });
    socket.on('close', () => finish(lines));
  });
}

/**
 * Asks the cache directory's daemon to run this command; writes its stdout and stderr and resolves
 * with its exit code, or resolves undefined (nothing written) when the ordinary path must run it.
 */
async function askDaemon(bundle, argv, cwd = process.cwd()) {
  try {
    if (!daemonWanted(argv)) return undefined;
    const dir = cacheDirOf(argv, cwd);
    if (!dir) return undefined;
    const socketPath = socketPathFrom(dir, cwd);
    if (!socketPath || !fs.existsSync(path.resolve(cwd, socketPath))) return undefined;
    const lines = await exchange(socketPath, cwd, requestOf(bundle, argv, cwd), (line) => line.result !== undefined || line.refused !== undefined, ACCEPT_TIMEOUT_MS);
    const last = lines && lines[lines.length - 1];
    if (!last || !last.result) {
      if (argv.includes('--debug') && last && last.refused) process.stderr.write(`racelint: the daemon did not take this run (${last.refused})\n`);
      return undefined;
    }
    const { code, output } = last.result;
    if (typeof code !== 'number' || !Array.isArray(output)) return undefined;
    for (const [stream, base64] of output) (stream === 'stdout' ? process.stdout : process.stderr).write(Buffer.from(base64, 'base64'));
    if (argv.includes('--debug')) process.stderr.write(`racelint: answered by the daemon (pid ${last.result.pid})\n`);
    return code;
  } catch {
    return undefined;
  }
}

/** The pid in a cache directory's pid file, if that process is alive. */
function livePid(cacheDir) {
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(cacheDir, PID_NAME), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Stops the daemon of a cache directory (`racelint --daemon-stop`): asks it to exit, and waits
 * until it has. Resolves with a sentence for the user.
 */
async function stopDaemon(cacheDir, cwd = process.cwd()) {
  const pid = livePid(cacheDir);
  const socketPath = socketPathFrom(cacheDir, cwd);
  let asked = false;
  if (socketPath && fs.existsSync(path.resolve(cwd, socketPath))) {
    const lines = await exchange(socketPath, cwd, { format: FORMAT, stop: true }, (line) => line.stopping !== undefined, ACCEPT_TIMEOUT_MS);
    asked = !!(lines && lines.some((l) => l.stopping));
  }
  if (pid === undefined) return asked ? 'the daemon was asked to stop' : 'no daemon is running for this cache';
  if (!asked) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return `stopped the daemon (pid ${pid})`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return `asked the daemon (pid ${pid}) to stop; it has not exited yet`;
}

module.exports = { FORMAT, SOCKET_NAME, PID_NAME, daemonWanted, socketPathFrom, askDaemon, stopDaemon, livePid };
