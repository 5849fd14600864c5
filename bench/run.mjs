// `npm run bench`: racelint against tsc --noEmit, ESLint + typescript-eslint and oxlint
// --type-aware, side by side in one run, on three real projects and a generated corpus.
// Prints a markdown report and writes it to bench/results/latest.md (raw numbers in latest.json).
//
//   node bench/run.mjs                      everything, 3 runs each (medians)
//   node bench/run.mjs --quick              1 run, apollo-server + theia-core, corpus 100 and 1000
//   node bench/run.mjs --project theia-core --runs 5
//   node bench/run.mjs --project corpus --corpus 100,1000,10000
//   options: --no-peers (racelint only), --no-server, --no-corpus, --no-build, --cold-only (no
//            promise-only, --cache or server runs: the peers and one cold racelint run),
//            --edits N (server edits measured, default 30), --out <file.md>,
//            --server-only (the language server and tsc only; RACELINT_SERVER_BIN picks the server)
//
// Times are wall-clock medians; memory is the peak resident set of the whole process tree
// (sampled from /proc every 50 ms, and GNU time's max RSS of the biggest process, whichever is
// larger). The machine is shared: compare the ratios, which come from the same run.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH, prepareCorpus, prepareProject, PROJECTS, REPO, WORK } from './projects.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const values = (name) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]] : []));
const quick = flag('--quick');
const runs = Number(values('--runs')[0] ?? (quick ? 1 : 3));
const wanted = values('--project').flatMap((v) => v.split(','));
const corpusSizes = (values('--corpus')[0] ?? (quick ? '100,1000' : '100,300,1000,3000,10000')).split(',').map(Number);
const peers = !flag('--no-peers');
const extras = !flag('--cold-only');
const withServer = !flag('--no-server') && extras;
// The language server alone (and tsc, for the memory ratio): no linter runs, no cache runs, no corpus.
const serverOnly = flag('--server-only');
const withCorpus = !flag('--no-corpus') && !serverOnly && (wanted.length === 0 || wanted.includes('corpus'));
const serverEdits = Number(values('--edits')[0] ?? (quick ? 15 : 30));
const outFile = values('--out')[0] ?? path.join(BENCH, 'results', 'latest.md');
const realProjects = wanted.length > 0 ? wanted.filter((w) => w !== 'corpus') : quick ? ['apollo-server', 'theia-core'] : Object.keys(PROJECTS);

const NODE = process.execPath;
const BIN = {
  tsc: path.join(REPO, 'node_modules/typescript/lib/tsc.js'),
  eslint: path.join(REPO, 'node_modules/eslint/bin/eslint.js'),
  oxlint: path.join(REPO, 'node_modules/oxlint/bin/oxlint'),
  tsgolint: path.join(REPO, 'node_modules/.bin/tsgolint'),
  // The production bundles (minified, as published), built by main() into bench/.work/dist and
  // started like bin/racelint.js does; --no-build uses the repository's dist/ as it is.
  racelint: path.join(WORK, 'dist', 'racelint.js'),
  server: path.join(WORK, 'dist', 'server.js'),
};
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-bench-'));

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// Measuring one command

/** Resident set (bytes) of a process and all its descendants, from /proc. */
function treeRss(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop();
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Runs a command to completion; returns { wall (s), cpu (user+sys s, children included), peak (bytes), code, stdout, stderr }. */
function measure(cmd, args, { cwd, env = {}, stdoutFile } = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(scratch, `time-${process.hrtime.bigint()}.txt`);
    const full = TIME ? [TIME, ['-f', '%e %M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
    const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'pipe';
    const started = performance.now();
    const child = spawn(full[0], full[1], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', out, 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    let cpu = NaN;
    const sample = () => {
      try {
        peak = Math.max(peak, treeRss(child.pid));
      } catch {
        // ended
      }
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wall = (performance.now() - started) / 1000;
      if (typeof out === 'number') fs.closeSync(out);
      if (TIME) {
        try {
          const [, maxKb, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ');
          peak = Math.max(peak, Number(maxKb) * 1024);
          cpu = Number(user) + Number(sys);
        } catch {
          // time did not write (killed)
        }
      }
      resolve({ wall, cpu, peak, code, stdout: stdoutFile ? fs.readFileSync(stdoutFile, 'utf8') : stdout, stderr });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

// ---------------------------------------------------------------------------------------------
// Tools: how to run each, and how to count what it found

function countEslintJson(text) {
  const counts = {};
  for (const file of JSON.parse(text)) for (const m of file.messages) if (m.ruleId) counts[m.ruleId] = (counts[m.ruleId] ?? 0) + 1;
  return counts;
}

const TOOLS = {
  tsc: {
    label: 'tsc --noEmit',
    run: (p) => measure(NODE, [BIN.tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: p.dir }),
    findings: (r) => ({ 'type errors': (r.stdout.match(/error TS\d+/g) ?? []).length }),
  },
  eslint: {
    label: 'ESLint + typescript-eslint',
    run: (p) => measure(NODE, [BIN.eslint, '-f', 'json', ...p.paths], { cwd: p.dir, stdoutFile: path.join(scratch, 'eslint.json') }),
    findings: (r) => countEslintJson(r.stdout),
  },
  oxlint: {
    label: 'oxlint --type-aware',
    run: (p) =>
      measure(BIN.oxlint, ['--type-aware', '-c', '.oxlintrc.json', '-f', 'json', ...p.paths], {
        cwd: p.dir,
        env: { OXLINT_TSGOLINT_PATH: BIN.tsgolint },
        stdoutFile: path.join(scratch, 'oxlint.json'),
      }),
    findings: (r) => {
      const counts = {};
      for (const d of JSON.parse(r.stdout).diagnostics ?? []) counts[d.code] = (counts[d.code] ?? 0) + 1;
      return counts;
    },
  },
  racelint: {
    label: 'racelint (cold)',
    run: (p) => measure(NODE, [BIN.racelint, '-f', 'json', ...p.paths], { cwd: p.dir, stdoutFile: path.join(scratch, 'racelint.json') }),
    findings: (r) => countEslintJson(r.stdout),
  },
  racelintPromise: {
    label: 'racelint, promise rules only',
    run: (p) =>
      measure(NODE, [BIN.racelint, '-f', 'json', '--rule', 'floating-promise', '--rule', 'misused-promise', ...p.paths], {
        cwd: p.dir,
        stdoutFile: path.join(scratch, 'racelint-promise.json'),
      }),
    findings: (r) => countEslintJson(r.stdout),
  },
};

/** CPU time (s) a process has used, all its threads, from /proc/<pid>/stat (utime + stime, in clock ticks). */
function processCpu(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The pid of the daemon of a cache directory once it listens (server/src/cli/daemon.ts), or undefined after `timeoutMs`. */
async function daemonReady(location, timeoutMs) {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    try {
      const pid = Number(fs.readFileSync(path.join(location, 'daemon.pid'), 'utf8'));
      if (pid && fs.existsSync(path.join(location, 'daemon.sock'))) return pid;
    } catch {
      // not yet
    }
  }
  return undefined;
}

/**
 * A run answered by the daemon: the launcher's process is measured as any run, and the daemon's
 * CPU for the request (read from /proc before and after) is added to its CPU time.
 */
async function measureWithDaemon(pid, args, opts) {
  const before = pid ? processCpu(pid) : NaN;
  const r = await measure(NODE, args, opts);
  const daemonCpu = pid ? processCpu(pid) - before : NaN;
  const answered = /answered by the daemon/.test(r.stderr);
  let daemonRss = NaN;
  try {
    daemonRss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    // gone
  }
  return { ...r, clientCpu: r.cpu, daemonCpu: answered ? daemonCpu : 0, cpu: r.cpu + (answered ? daemonCpu : 0), answered, daemonRss };
}

/**
 * The --cache runs: warm on an unchanged tree, and after touching one file nothing imports.
 * The run that fills the cache writes the parse snapshot and starts the daemon, which builds the
 * programs' trees in the background; the touched-leaf runs are answered by it (its CPU counted),
 * then measured again without it (the parse snapshot), and without either.
 */
async function cacheRuns(p, n) {
  const location = path.join(scratch, `cache-${p.name}`);
  fs.rmSync(location, { recursive: true, force: true });
  const args = ['-f', 'json', '--cache', '--cache-location', location, '--debug', ...p.paths];
  const opts = { cwd: p.dir, stdoutFile: path.join(scratch, 'racelint-cache.json') };
  const noDaemon = { ...opts, env: { RACELINT_DAEMON: 'off' } };
  // The run that fills the cache writes the parse snapshot before it ends (by default a detached
  // process writes it, which would run during the timed runs below).
  const filled = await measure(NODE, [BIN.racelint, ...args], { ...opts, env: { RACELINT_PARSE_SNAPSHOT: 'sync' } });
  // The daemon it started: its start (building and binding the programs) is background work,
  // reported apart; the timed runs begin once it listens.
  const filledAt = Date.now();
  const daemon = process.env.CI || process.env.RACELINT_DAEMON === 'off' ? undefined : await daemonReady(location, 600_000);
  const daemonStart = daemon ? { wall: (Date.now() - filledAt) / 1000, cpu: processCpu(daemon) } : undefined;
  // The filling run linted every file and left the launcher its replay record (bin/replay.js):
  // the first run on the unchanged tree after it is replayed, as are the runs after.
  const warmFirst = await measure(NODE, [BIN.racelint, ...args], opts);
  const warm = [];
  for (let i = 0; i < n; i++) warm.push(await measure(NODE, [BIN.racelint, ...args], opts));
  const leaf = pickLeaf(path.join(location, 'results.json'));
  const original = fs.readFileSync(leaf, 'utf8');
  const touched = [];
  const afterTouched = [];
  const touchedSnapshot = [];
  const touchedPlain = [];
  let k = 0;
  const touch = () => fs.writeFileSync(leaf, `${original}\n// touched by bench/run.mjs (${k++})\n`);
  try {
    for (let i = 0; i < n; i++) {
      touch();
      touched.push(await measureWithDaemon(daemon, [BIN.racelint, ...args], opts));
      // The unchanged tree right after: a run the daemon answered leaves no replay record.
      afterTouched.push(await measureWithDaemon(daemon, [BIN.racelint, ...args], opts));
    }
    // The same without the daemon (the parse snapshot), and without either, for comparison.
    for (let i = 0; i < n; i++) {
      touch();
      touchedSnapshot.push(await measure(NODE, [BIN.racelint, ...args], noDaemon));
    }
    for (let i = 0; i < n; i++) {
      touch();
      touchedPlain.push(await measure(NODE, [BIN.racelint, ...args], { ...noDaemon, env: { ...noDaemon.env, RACELINT_PARSE_SNAPSHOT: 'off' } }));
    }
  } finally {
    fs.writeFileSync(leaf, original);
    await measure(NODE, [BIN.racelint, '--daemon-stop', '--cache-location', location], { cwd: p.dir });
  }
  const linted = (r) => /linted (\d+) of (\d+) files/.exec(r.stderr)?.slice(1, 3).join('/') ?? '?';
  return {
    filled,
    daemonStart,
    warmFirst,
    warm,
    touched,
    afterTouched,
    touchedSnapshot,
    touchedPlain,
    answered: `${touched.filter((r) => r.answered).length}/${touched.length}`,
    leaf: path.relative(fs.realpathSync(p.dir), leaf),
    warmLinted: linted(warm[0]),
    touchedLinted: linted(touched[0]),
  };
}

/** A linted file that no other linted file imports (from the cache's import lists): a leaf. */
function pickLeaf(cacheFile) {
  const files = JSON.parse(fs.readFileSync(cacheFile, 'utf8')).files;
  const imported = new Set(Object.values(files).flatMap((e) => e.imports));
  const leaves = Object.keys(files).filter((f) => !imported.has(f)).sort();
  if (leaves.length === 0) throw new Error('no leaf file found');
  // The middle one by size: not a trivial index file, not the biggest.
  leaves.sort((a, b) => fs.statSync(a).size - fs.statSync(b).size);
  return leaves[Math.floor(leaves.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// The language server: didChange → diagnostics latency (pull) and peak memory

class LspClient {
  constructor(cwd) {
    this.proc = spawn(NODE, [BIN.server, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.proc.stdout.on('data', (d) => this.onData(d));
    this.proc.stderr.on('data', () => {});
  }
  onData(d) {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const sep = this.buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buffer.slice(0, sep).toString())[1]);
      if (this.buffer.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buffer.slice(sep + 4, sep + 4 + len).toString());
      this.buffer = this.buffer.slice(sep + 4 + len);
      this.onMessage(msg);
    }
  }
  onMessage(msg) {
    if (msg.id !== undefined && msg.method) {
      // A request from the server: configuration → defaults; anything else → null.
      const result = msg.method === 'workspace/configuration' ? (msg.params.items ?? []).map(() => null) : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    } else if (msg.id !== undefined && this.pending.has(msg.id)) {
      const { resolve, reject } = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) reject(new Error(msg.error.message));
      else resolve(msg.result);
    }
  }
  send(msg) {
    const body = Buffer.from(JSON.stringify(msg));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }
  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }
  /** CPU time (s) the server has used, all threads (from /proc, in nanoseconds). */
  cpu() {
    let ns = 0;
    for (const t of fs.readdirSync(`/proc/${this.proc.pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${this.proc.pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // thread ended
      }
    }
    return ns / 1e9;
  }
  peakRss() {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  }
  async close() {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 5000))]);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.proc.kill('SIGKILL'), 2000).unref();
    }
  }
}

/** Opens a typical async file of the project, edits it repeatedly, pulls diagnostics after each edit. */
async function serverLatency(p, edits) {
  const file = pickEditedFile(p);
  const uri = `file://${file}`;
  const client = new LspClient(p.dir);
  const rootUri = `file://${p.dir}`;
  await client.request('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: p.name }],
    capabilities: { textDocument: { diagnostic: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true, workspaceFolders: true } },
  });
  client.notify('initialized', {});
  const original = fs.readFileSync(file, 'utf8');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: original } });
  const t0 = performance.now();
  const first = await client.request('textDocument/diagnostic', { textDocument: { uri } });
  const firstMs = performance.now() - t0;
  const latencies = [];
  const cpus = [];
  const warmup = 5;
  for (let i = 0; i < warmup + edits; i++) {
    // An edit that changes the code, not only a comment: a statement appended to the module.
    const text = `${original}\nexport const racelintBenchEdit${i % 3} = ${i};\n`;
    const cpuBefore = client.cpu();
    const started = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
    await client.request('textDocument/diagnostic', { textDocument: { uri } });
    if (i >= warmup) {
      latencies.push(performance.now() - started);
      cpus.push((client.cpu() - cpuBefore) * 1000);
    }
  }
  const peak = client.peakRss();
  await client.close();
  return { file: path.relative(p.dir, file), firstMs, findings: first?.items?.length ?? 0, p50: percentile(latencies, 50), p95: percentile(latencies, 95), cpu50: percentile(cpus, 50), cpu95: percentile(cpus, 95), peak };
}

/** A typical file to edit: the median-sized one among files with an `await` in them. */
function pickEditedFile(p) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') && fs.readFileSync(f, 'utf8').includes('await ')) found.push({ f, size: fs.statSync(f).size });
    }
  };
  for (const sub of p.paths) walk(path.join(p.dir, sub));
  found.sort((a, b) => a.size - b.size || (a.f < b.f ? -1 : 1));
  return found[Math.floor(found.length / 2)].f;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmtS = (s) => (Number.isFinite(s) ? (s < 10 ? s.toFixed(2) : s.toFixed(1)) : '–');
const fmtMB = (b) => (Number.isFinite(b) ? `${Math.round(b / 1048576)}` : '–');
const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const fmtFindings = (c) =>
  Object.entries(c ?? {})
    .sort()
    .map(([k, v]) => `${k.replace(/^@typescript-eslint\//, 'ts/').replace(/^typescript\(/, '').replace(/\)$/, '')}: ${v}`)
    .join(', ') || '0';

function summarize(results) {
  return { wall: median(results.map((r) => r.wall)), cpu: median(results.map((r) => r.cpu)), peak: Math.max(...results.map((r) => r.peak)), codes: [...new Set(results.map((r) => r.code))] };
}

/** Least-squares slope of log(time) against log(files). */
function exponent(points) {
  const xs = points.map((p) => Math.log(p.files));
  const ys = points.map((p) => Math.log(p.wall));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

// ---------------------------------------------------------------------------------------------

async function benchProject(p) {
  const tools = serverOnly ? ['tsc'] : [...(peers ? ['tsc', 'eslint', 'oxlint', 'racelint'] : ['tsc', 'racelint']), ...(extras ? ['racelintPromise'] : [])];
  const raw = Object.fromEntries(tools.map((t) => [t, []]));
  for (let r = 0; r < runs; r++) {
    // Interleaved, so a noisy minute on the shared machine hits every tool alike.
    for (const t of tools) {
      log(`${p.name}: ${TOOLS[t].label} (run ${r + 1}/${runs})`);
      const res = await TOOLS[t].run(p);
      try {
        res.findings = TOOLS[t].findings(res);
      } catch (err) {
        res.findings = { 'unreadable output': 1 };
        log(`${t}: ${err.message}; stderr: ${res.stderr.slice(0, 500)}`);
      }
      raw[t].push(res);
    }
  }
  let cache;
  if (extras && !serverOnly) {
    log(`${p.name}: racelint --cache`);
    cache = await cacheRuns(p, runs);
  }
  let server;
  if (withServer) {
    log(`${p.name}: language server`);
    server = await serverLatency(p, serverEdits);
  }
  const tool = Object.fromEntries(Object.entries(raw).map(([t, rs]) => [t, { ...summarize(rs), findings: rs[0].findings }]));
  return {
    name: p.name,
    what: p.what,
    files: p.files,
    tool,
    cache: cache && {
      filled: summarize([cache.filled]),
      daemonStart: cache.daemonStart,
      warmFirst: summarize([cache.warmFirst]),
      warm: summarize(cache.warm),
      touched: { ...summarize(cache.touched), clientCpu: median(cache.touched.map((r) => r.clientCpu)), daemonCpu: median(cache.touched.map((r) => r.daemonCpu)), daemonRss: Math.max(...cache.touched.map((r) => r.daemonRss)) },
      afterTouched: { ...summarize(cache.afterTouched), clientCpu: median(cache.afterTouched.map((r) => r.clientCpu)), daemonCpu: median(cache.afterTouched.map((r) => r.daemonCpu)) },
      touchedSnapshot: summarize(cache.touchedSnapshot),
      touchedPlain: summarize(cache.touchedPlain),
      answered: cache.answered,
      leaf: cache.leaf,
      warmLinted: cache.warmLinted,
      touchedLinted: cache.touchedLinted,
    },
    server,
  };
}

async function benchCorpus(n) {
  const p = prepareCorpus(n);
  const tools = ['tsc', 'racelint'];
  const raw = { tsc: [], racelint: [] };
  for (let r = 0; r < runs; r++) {
    for (const t of tools) {
      log(`${p.name}: ${TOOLS[t].label} (run ${r + 1}/${runs})`);
      const res = await TOOLS[t].run(p);
      res.findings = TOOLS[t].findings(res);
      raw[t].push(res);
    }
  }
  return { name: p.name, files: n, tsc: { ...summarize(raw.tsc), findings: raw.tsc[0].findings }, racelint: { ...summarize(raw.racelint), findings: raw.racelint[0].findings } };
}

function report(projects, corpus, meta) {
  const lines = [];
  lines.push(`# racelint benchmark`, '');
  lines.push(`${meta.date} · racelint ${meta.version} (${meta.commit}) · node ${process.version} · ${os.cpus().length} cores · load average at start ${meta.load} · ${runs} run(s), medians`, '');
  lines.push('Peers: ' + meta.peers, '');
  for (const p of projects) {
    lines.push(`## ${p.name}: ${p.files} files`, '', p.what, '');
    lines.push('| tool | wall (s) | CPU (s) | peak memory (MB) | findings |', '| --- | ---: | ---: | ---: | --- |');
    for (const [t, r] of Object.entries(p.tool)) lines.push(`| ${TOOLS[t].label} | ${fmtS(r.wall)} | ${fmtS(r.cpu)} | ${fmtMB(r.peak)} | ${fmtFindings(r.findings)} |`);
    const rl = p.tool.racelint;
    if (p.cache) {
      const c = p.cache;
      const dcpu = (r) => (r.daemonCpu !== undefined ? ` (launcher ${fmtS(r.clientCpu)} + daemon ${fmtS(r.daemonCpu)})` : '');
      lines.push(`| racelint --cache, first run (fills the cache, writes the parse snapshot, starts the daemon) | ${fmtS(c.filled.wall)} | ${fmtS(c.filled.cpu)} | ${fmtMB(c.filled.peak)} | |`);
      if (c.daemonStart) lines.push(`| racelint daemon's start in the background (builds and binds the programs), until it listens | ${fmtS(c.daemonStart.wall)} | ${fmtS(c.daemonStart.cpu)} | | |`);
      lines.push(`| racelint --cache, unchanged tree, first run after the lint (linted ${c.warmLinted}) | ${fmtS(c.warmFirst.wall)} | ${fmtS(c.warmFirst.cpu)} | ${fmtMB(c.warmFirst.peak)} | |`);
      lines.push(`| racelint --cache, unchanged tree, again (linted ${c.warmLinted}) | ${fmtS(c.warm.wall)} | ${fmtS(c.warm.cpu)} | ${fmtMB(c.warm.peak)} | |`);
      lines.push(`| racelint --cache, one leaf touched (linted ${c.touchedLinted}; answered by the daemon ${c.answered}) | ${fmtS(c.touched.wall)} | ${fmtS(c.touched.cpu)}${dcpu(c.touched)} | ${fmtMB(c.touched.peak)} (launcher; daemon ${fmtMB(c.touched.daemonRss)}) | |`);
      lines.push(`| racelint --cache, unchanged tree right after (daemon) | ${fmtS(c.afterTouched.wall)} | ${fmtS(c.afterTouched.cpu)}${dcpu(c.afterTouched)} | ${fmtMB(c.afterTouched.peak)} (launcher) | |`);
      lines.push(`| racelint --cache, one leaf touched, no daemon (parse snapshot) | ${fmtS(c.touchedSnapshot.wall)} | ${fmtS(c.touchedSnapshot.cpu)} | ${fmtMB(c.touchedSnapshot.peak)} | |`);
      lines.push(`| racelint --cache, one leaf touched, no daemon, no parse snapshot | ${fmtS(c.touchedPlain.wall)} | ${fmtS(c.touchedPlain.cpu)} | ${fmtMB(c.touchedPlain.peak)} | |`);
    }

    lines.push('');
    const ratios = [];
    if (p.tool.tsc && rl) ratios.push(`racelint/tsc ${fmtRatio(rl.wall / p.tool.tsc.wall)} time (${fmtRatio(rl.cpu / p.tool.tsc.cpu)} CPU), ${fmtRatio(rl.peak / p.tool.tsc.peak)} memory`);
    if (p.tool.eslint) ratios.push(`racelint/typescript-eslint ${fmtRatio(rl.wall / p.tool.eslint.wall)} time, ${fmtRatio(rl.cpu / p.tool.eslint.cpu)} CPU (${fmtRatio(p.tool.eslint.wall / rl.wall)} faster), ${fmtRatio(rl.peak / p.tool.eslint.peak)} memory`);
    if (p.tool.oxlint) ratios.push(`racelint/oxlint ${fmtRatio(rl.wall / p.tool.oxlint.wall)} time, ${fmtRatio(rl.cpu / p.tool.oxlint.cpu)} CPU (oxlint uses both cores), ${fmtRatio(rl.peak / p.tool.oxlint.peak)} memory`);
    if (p.cache) {
      const c = p.cache;
      const pct = (r) => `${(100 * r.wall / rl.wall).toFixed(0)}% of cold (${(100 * r.cpu / rl.cpu).toFixed(0)}% CPU)`;
      ratios.push(`warm cache, unchanged tree: the first run after the lint ${pct(c.warmFirst)}, again ${pct(c.warm)}, right after a touched leaf ${pct(c.afterTouched)}; one leaf touched ${pct(c.touched)} with the daemon's CPU (leaf: ${c.leaf}), without the daemon ${pct(c.touchedSnapshot)}, without daemon or parse snapshot ${pct(c.touchedPlain)}; the first --cache run, which writes the snapshot, ${pct(c.filled)}${c.daemonStart ? `, and the daemon's start in the background ${(100 * c.daemonStart.cpu / rl.cpu).toFixed(0)}% of cold CPU` : ''}`);
    }
    if (p.tool.racelintPromise) ratios.push(`race and shared-memory rules add ${(100 * (rl.wall / p.tool.racelintPromise.wall - 1)).toFixed(0)}% wall, ${(100 * (rl.cpu / p.tool.racelintPromise.cpu - 1)).toFixed(0)}% CPU to a run with only the two promise rules`);
    if (p.server) {
      ratios.push(
        `language server on ${p.server.file}: first diagnostics ${Math.round(p.server.firstMs)} ms (program build); after an edit p50 ${Math.round(p.server.p50)} ms, p95 ${Math.round(p.server.p95)} ms (server CPU per edit p50 ${Math.round(p.server.cpu50)} ms, p95 ${Math.round(p.server.cpu95)} ms); peak memory ${fmtMB(p.server.peak)} MB (${fmtRatio(p.server.peak / (p.tool.tsc?.peak ?? NaN))} tsc)`,
      );
    }
    for (const r of ratios) lines.push(`- ${r}`);
    lines.push('');
  }
  if (corpus.length > 0) {
    lines.push('## Generated corpus: how cost grows with size', '');
    lines.push('| files | tsc wall (s) | tsc CPU (s) | racelint wall (s) | racelint CPU (s) | racelint/tsc (CPU) | racelint peak (MB) | tsc peak (MB) | racelint findings |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const c of corpus) lines.push(`| ${c.files} | ${fmtS(c.tsc.wall)} | ${fmtS(c.tsc.cpu)} | ${fmtS(c.racelint.wall)} | ${fmtS(c.racelint.cpu)} | ${fmtRatio(c.racelint.cpu / c.tsc.cpu)} | ${fmtMB(c.racelint.peak)} | ${fmtMB(c.tsc.peak)} | ${fmtFindings(c.racelint.findings)} |`);
    if (corpus.length >= 2) {
      const fit = (pick) => exponent(corpus.map((c) => ({ files: c.files, wall: pick(c) }))).toFixed(2);
      lines.push(
        '',
        `Fitted exponent (least squares, log time against log files): racelint ${fit((c) => c.racelint.wall)} wall, ${fit((c) => c.racelint.cpu)} CPU; tsc ${fit((c) => c.tsc.wall)} wall, ${fit((c) => c.tsc.cpu)} CPU. 1.00 is linear; the fixed start-up cost pulls it below 1 at small sizes.`,
      );
      const big = corpus.filter((c) => c.files >= 1000);
      if (big.length >= 2) {
        const fitBig = (pick) => exponent(big.map((c) => ({ files: c.files, wall: pick(c) }))).toFixed(2);
        lines.push('', `From 1,000 files up (start-up no longer matters): racelint ${fitBig((c) => c.racelint.cpu)} CPU, tsc ${fitBig((c) => c.tsc.cpu)} CPU.`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** esbuild.mjs --production, into bench/.work/dist (the repository's dist/ is left alone). */
async function buildProduction() {
  const out = path.join(WORK, 'dist');
  execFileSync(NODE, [path.join(REPO, 'esbuild.mjs'), '--production', '--outdir', out], { cwd: REPO, stdio: 'inherit' });
  // The parse snapshot's writer, where the bundle looks for it (bin/ beside dist/).
  fs.mkdirSync(path.join(WORK, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'bin', 'write-parse-snapshot.js'), path.join(WORK, 'bin', 'write-parse-snapshot.js'));
  // and the daemon's script (bin/racelint-daemon.js, with what it loads) beside it.
  for (const name of ['racelint-daemon.js', 'load-compiled.js']) fs.copyFileSync(path.join(REPO, 'bin', name), path.join(WORK, 'bin', name));
  const req = (name) => JSON.stringify(path.join(REPO, 'bin', name));
  fs.writeFileSync(
    BIN.racelint,
    `'use strict';
// bin/racelint.js for the benchmark's production bundle (the same start: a replayed report, the daemon, or the parse snapshot first, then the bundle).
const bundle = ${JSON.stringify(path.join(out, 'cli.js'))};
const argv = process.argv.slice(2);
const replayed = require(${req('replay.js')}).replay(bundle, argv);
if (replayed !== undefined) process.exitCode = replayed;
else
  require(${req('daemon-client.js')}).askDaemon(bundle, argv).then((answered) => {
    if (answered !== undefined) return void (process.exitCode = answered);
    const direct = require(${req('parse-snapshot-start.js')}).startFromSnapshot(bundle, argv);
    if (direct !== undefined) process.exitCode = direct;
    else require(${req('load-compiled.js')})(bundle, { lint: true }).run(argv).then((code) => { process.exitCode = code; });
  });
`,
  );
}

/**
 * One untimed racelint run, as a user's first after installing: it fills V8's code cache for this
 * build (bin/load-compiled.js), which every later run loads. Without it the first timed run
 * compiles the whole bundle and serialises the cache at its end: on apollo-server 0.4 s more CPU
 * and 40 MB more peak memory (271 against 231 MB), a one-time cost of a new build, not of linting.
 */
async function warmCodeCache(p) {
  log(`${p.name}: one untimed racelint run (fills the V8 code cache of this build)`);
  await measure(NODE, [BIN.racelint, '-f', 'json', ...p.paths], { cwd: p.dir, stdoutFile: path.join(scratch, 'warm-up.json') });
}

async function main() {
  if (flag('--prebuilt')) {
    // bench/.work/dist as an earlier run built it (parallel runs must not rebuild under each other).
  } else if (!flag('--no-build')) {
    log('building the production bundles into bench/.work/dist');
    await buildProduction();
  } else {
    BIN.racelint = path.join(REPO, 'bin/racelint.js');
    BIN.server = path.join(REPO, 'dist/server.js');
  }
  if (process.env.RACELINT_SERVER_BIN) BIN.server = path.resolve(process.env.RACELINT_SERVER_BIN);
  const meta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    version: JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version,
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })(),
    load: os.loadavg().map((x) => x.toFixed(1)).join(' '),
    peers: ['typescript', 'eslint', 'typescript-eslint', 'oxlint', 'oxlint-tsgolint']
      .map((n) => `${n} ${JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', n, 'package.json'), 'utf8')).version}`)
      .join(', '),
  };
  const projects = [];
  const corpus = [];
  // Written after every project, so a long run that is stopped still leaves what it measured.
  const write = () => {
    const md = report(projects, corpus, meta);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, md + '\n');
    fs.writeFileSync(outFile.replace(/\.md$/, '.json'), JSON.stringify({ meta, projects, corpus }, null, 2) + '\n');
    return md;
  };
  if (realProjects.length > 0 && !serverOnly) await warmCodeCache(prepareProject(realProjects[0]));
  for (const name of realProjects) {
    projects.push(await benchProject(prepareProject(name)));
    write();
  }
  if (withCorpus) {
    for (const n of corpusSizes) {
      corpus.push(await benchCorpus(n));
      write();
    }
  }
  process.stdout.write(write() + '\n');
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
