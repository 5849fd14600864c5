#!/usr/bin/env node
// The fuzz harness: seeded, deterministic inputs (mutations.mjs) run through racelint's three
// faces, with a time budget per file.
//
//   npm run fuzz -- --seed 7 --count 10000 [--jobs 2] [--cli-every 50] [--server-every 100]
//   npm run fuzz -- --replay [dir]           re-run the saved cases in test/fixtures/fuzz/ (or dir)
//   npm run fuzz -- --seed 7 --only 1234     run one input (and print what it was made of)
//   npm run fuzz -- --save-dir /tmp/cases    save failing cases elsewhere (a long exploratory run)
//
// Faces: the core in forked children (one Linter each, killed and replaced on a hang), the built
// CLI spawned on a sample of inputs, and the built language server over stdio on a sample.
// A crash, a hang past the budget, or an invalid output is a failure; failures are saved as
// cases under test/fixtures/fuzz/<face>-s<seed>-i<index>/ (input bytes, seed, what failed).
// Exit code: 0 when nothing failed, 1 otherwise.
import { fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makeInput } from './mutations.mjs';
import { describeExceeded, watchBudget } from './budget.mjs';
import { checkGithubReport, checkJsonReport, checkSarifReport } from './invariants.mjs';
import { ServerSession } from './server-face.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const CASES_DIR = path.join(REPO, 'test', 'fixtures', 'fuzz');
let saveDir = CASES_DIR;
const CLI = path.join(REPO, 'bin', 'racelint.js');
const LINTABLE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const o = {
    seed: 1,
    count: 1000,
    jobs: Math.max(1, Math.min(2, os.cpus().length)),
    budgetMs: 30_000,
    budgetPerMbMs: 10_000,
    cliEvery: 50,
    serverEvery: 100,
    save: true,
    replay: false,
    only: undefined,
    hugeScale: 1,
    hugeChance: 0.015,
    json: undefined,
    quiet: false,
    maxSavedPerSignature: 3,
  };
  const args = [...argv];
  const num = (flag) => {
    const v = Number(args.shift());
    if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
    return v;
  };
  while (args.length > 0) {
    const a = args.shift();
    switch (a) {
      case '--seed': o.seed = num(a); break;
      case '--count': o.count = num(a); break;
      case '--jobs': o.jobs = Math.max(1, num(a)); break;
      case '--budget-ms': o.budgetMs = num(a); break;
      case '--cli-every': o.cliEvery = num(a); break;
      case '--server-every': o.serverEvery = num(a); break;
      case '--huge-scale': o.hugeScale = num(a); break;
      case '--huge-chance': o.hugeChance = num(a); break;
      case '--only': o.only = num(a); break;
      case '--no-save': o.save = false; break;
      case '--save-dir': saveDir = path.resolve(args.shift()); break;
      case '--replay':
        o.replay = true;
        if (args[0] && !args[0].startsWith('--')) o.replayDir = path.resolve(args.shift());
        break;
      case '--json': o.json = args.shift(); break;
      case '--quiet': o.quiet = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The base corpus

const LIB_FILES = ['lib.es5.d.ts', 'lib.es2015.promise.d.ts', 'lib.es2017.sharedmemory.d.ts', 'lib.es2018.asynciterable.d.ts', 'lib.decorators.d.ts', 'lib.es2015.iterable.d.ts'];

export function collectCorpus() {
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === '.git' || p === CASES_DIR) continue;
        walk(p);
      } else if (e.isFile() && LINTABLE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) {
        files.push(p);
      }
    }
  };
  for (const d of ['test/fixtures', 'test/corpus', 'examples', 'server/src', 'client/src']) walk(path.join(REPO, d));
  const tsLib = path.join(REPO, 'node_modules', 'typescript', 'lib');
  for (const f of LIB_FILES) if (fs.existsSync(path.join(tsLib, f))) files.push(path.join(tsLib, f));
  const corpus = [];
  for (const f of files.sort()) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.length > 300_000 || text.includes('\u0000')) continue;
    const ext = f.endsWith('.d.ts') ? '.ts' : path.extname(f);
    corpus.push({ path: path.relative(REPO, f), text, ext });
  }
  return corpus;
}

// ---------------------------------------------------------------------------------------------
// Core face: a pool of forked children

class CoreChild {
  constructor() {
    this.proc = fork(path.join(HERE, 'core-runner.ts'), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      env: { ...process.env, RACELINT_FUZZ_CHILD: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m?.type === 'ready') {
          this.proc.off('message', onMessage);
          resolve();
        }
      };
      this.proc.on('message', onMessage);
      this.proc.once('exit', (code, signal) => reject(new Error(`core child exited before it was ready (${code ?? signal}): ${this.stderr}`)));
    });
    this.ready.catch(() => {});
    this.jobsRun = 0;
    this.rss = 0;
  }

  /** Runs one job; resolves with { outcome } or { hang } or { died }. */
  async run(job, budgetMs) {
    try {
      await this.ready;
    } catch (err) {
      this.dead = true;
      return { died: err.message };
    }
    this.jobsRun++;
    return new Promise((resolve) => {
      let done = false;
      const finish = (r) => {
        if (done) return;
        done = true;
        stopWatching();
        this.proc.off('message', onMessage);
        this.proc.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m) => {
        if (m?.type === 'outcome' && m.outcome.id === job.id) {
          this.rss = m.rss;
          finish({ outcome: m.outcome });
        }
      };
      const onExit = (code, signal) => (this.dead = true) && finish({ died: `core child exited (${code ?? signal}): ${this.stderr.trim().split('\n').slice(-8).join('\n')}` });
      const stopWatching = watchBudget(this.proc.pid, budgetMs, (used) => {
        this.kill();
        finish({ hang: describeExceeded(budgetMs, used) });
      });
      this.proc.on('message', onMessage);
      this.proc.on('exit', onExit);
      this.proc.send({ type: 'job', job });
    });
  }

  kill() {
    this.dead = true;
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }

  close() {
    if (this.proc.connected) this.proc.disconnect();
  }
}

class CorePool {
  constructor(size) {
    this.idle = [];
    this.size = size;
    this.waiting = [];
  }
  async acquire() {
    if (this.idle.length > 0) return this.idle.pop();
    if (this.size > 0) {
      this.size--;
      return new CoreChild();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(child) {
    // A child that hung or died is replaced (on demand); a long-lived one is recycled to bound memory.
    let c = child;
    if (c.dead || c.proc.exitCode !== null || c.proc.signalCode !== null || c.jobsRun >= 400 || c.rss > 2.5e9) {
      c.kill();
      c.close();
      c = undefined;
    }
    const next = this.waiting.shift();
    if (next) next(c ?? new CoreChild());
    else if (c) this.idle.push(c);
    else this.size++;
  }
  closeAll() {
    for (const c of this.idle) c.close();
  }
}

function budgetFor(options, bytes) {
  return options.budgetMs + Math.ceil((bytes.length / 1e6) * options.budgetPerMbMs);
}

async function runCore(pool, options, index, input) {
  const child = await pool.acquire();
  const budget = budgetFor(options, input.bytes);
  const r = await child.run({ id: index, bytes: input.bytes, ext: input.ext }, budget);
  pool.release(child);
  if (r.hang) return { failures: [{ kind: 'hang', detail: r.hang }] };
  if (r.died) return { failures: [{ kind: 'crash', detail: r.died }] };
  return { failures: r.outcome.failures, stats: r.outcome.stats };
}

// ---------------------------------------------------------------------------------------------
// CLI face: the built bin, spawned on a fresh directory per input

function spawnCollect(cmd, args, { cwd, timeoutMs }) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let hung;
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    const stopWatching = watchBudget(p.pid, timeoutMs, (used) => {
      hung = describeExceeded(timeoutMs, used);
      p.kill('SIGKILL');
    });
    p.on('close', (code, signal) => {
      stopWatching();
      resolve({ code, signal, hung, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const CLI_VARIANTS = [
  { args: ['-f', 'json'], check: 'json' },
  { args: ['-f', 'sarif'], check: 'sarif' },
  { args: ['-f', 'github'], check: 'github' },
  { args: ['--fix-dry-run', '-f', 'json'], check: 'json' },
  { args: ['-f', 'stylish'], check: 'stylish' },
  { args: ['--fix', '-f', 'json'], check: 'json', writes: true },
];

async function runCli(options, index, input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-fuzz-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "racelint-fuzz", "private": true }\n');
    const name = `input${input.ext}`;
    const file = path.join(dir, name);
    fs.writeFileSync(file, input.bytes);
    const variant = CLI_VARIANTS[Math.floor(index / Math.max(1, options.cliEvery)) % CLI_VARIANTS.length];
    const budget = 2 * budgetFor(options, input.bytes) + 5_000;
    const r = await spawnCollect(process.execPath, [CLI, ...variant.args, name], { cwd: dir, timeoutMs: budget });
    const failures = [];
    const what = `racelint ${variant.args.join(' ')}`;
    if (r.hung) return { failures: [{ kind: 'hang', detail: `${what}: ${r.hung}` }] };
    if (r.code !== 0 && r.code !== 1) {
      failures.push({ kind: 'crash', detail: `${what}: exit ${r.code ?? r.signal}: ${r.stderr.slice(0, 2000)}` });
    }
    if (/internal error|\n\s+at /.test(r.stderr)) failures.push({ kind: 'crash', detail: `${what}: stderr: ${r.stderr.slice(0, 2000)}` });
    let violations = [];
    if (variant.check === 'json') {
      // The CLI reports real paths; the text it linted is the file without its BOM.
      const raw = input.bytes.toString('utf8');
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const texts = new Map([[fs.realpathSync(file), text], [file, text]]);
      violations = r.stdout.trim() === '' ? ['no json output'] : checkJsonReport(r.stdout, texts);
      if (variant.writes && violations.length === 0) violations.push(...checkFixWrite(file, input, r.stdout));
    } else if (variant.check === 'sarif') {
      violations = checkSarifReport(r.stdout);
    } else if (variant.check === 'github') {
      violations = checkGithubReport(r.stdout);
    }
    for (const v of violations) failures.push({ kind: 'invalid', detail: `${what}: ${v}` });
    return { failures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** After --fix: the file is untouched, or holds the reported output, and never gains syntax errors. */
function checkFixWrite(file, input, stdout) {
  const after = fs.readFileSync(file);
  if (after.equals(input.bytes)) return [];
  const [entry] = JSON.parse(stdout);
  if (entry?.output === undefined) return ['--fix changed the file but reported no output'];
  const bom = input.bytes[0] === 0xef && input.bytes[1] === 0xbb && input.bytes[2] === 0xbf ? '\ufeff' : '';
  if (after.toString('utf8') !== bom + entry.output) return ['--fix wrote something other than the reported output'];
  if (entry.messages.some((m) => m.fatal)) return ['--fix wrote a file that does not parse'];
  return [];
}

// ---------------------------------------------------------------------------------------------
// Saving and replaying cases

function signatureOf(failure) {
  return `${failure.face}:${failure.kind}:${failure.detail.replace(/\d+/g, 'N').replace(/"[^"]*"/g, 'S').slice(0, 160)}`;
}

function saveCase(options, index, input, face, failures) {
  const dir = path.join(saveDir, `${face}-s${options.seed}-i${index}`);
  fs.mkdirSync(dir, { recursive: true });
  const big = input.bytes.length > 64 * 1024;
  fs.writeFileSync(path.join(dir, big ? 'input.bin.gz' : 'input.bin'), big ? zlib.gzipSync(input.bytes, { level: 9 }) : input.bytes);
  const record = {
    face,
    seed: options.seed,
    index,
    ext: input.ext,
    base: input.base,
    mutations: input.mutations,
    bytes: input.bytes.length,
    failures: failures.map((f) => ({ kind: f.kind, detail: f.detail.slice(0, 4000) })),
    regenerate: `npm run fuzz -- --seed ${options.seed} --only ${index}`,
  };
  fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify(record, null, 2) + '\n');
  return path.relative(REPO, dir);
}

export function loadCases(dir = CASES_DIR) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .filter((d) => fs.existsSync(path.join(dir, d, 'case.json')))
    .map((d) => {
      const record = JSON.parse(fs.readFileSync(path.join(dir, d, 'case.json'), 'utf8'));
      const plain = path.join(dir, d, 'input.bin');
      const bytes = fs.existsSync(plain) ? fs.readFileSync(plain) : zlib.gunzipSync(fs.readFileSync(path.join(dir, d, 'input.bin.gz')));
      return { name: d, record, input: { bytes, ext: record.ext, base: record.base, mutations: record.mutations } };
    });
}

// ---------------------------------------------------------------------------------------------
// The run

async function serverAvailable() {
  try {
    const s = new ServerSession(REPO);
    const ok = await s.start(20_000);
    await s.close();
    return ok;
  } catch {
    return false;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  const log = (s) => {
    if (!options.quiet) process.stdout.write(s + '\n');
  };
  if (!fs.existsSync(path.join(REPO, 'dist', 'cli.js'))) {
    process.stderr.write('fuzz: dist/cli.js is missing; run `npm run build` first\n');
    process.exit(2);
  }

  // The work list: (face, index, input) triples.
  const work = [];
  if (options.replay) {
    for (const c of loadCases(options.replayDir)) work.push({ face: c.record.face, index: c.record.index, input: c.input, caseName: c.name });
    options.save = false;
  } else {
    const corpus = collectCorpus();
    log(`fuzz: seed ${options.seed}, ${options.only !== undefined ? `input ${options.only}` : `${options.count} inputs`}, corpus of ${corpus.length} files, ${options.jobs} job(s)`);
    const indices = options.only !== undefined ? [options.only] : Array.from({ length: options.count }, (_, i) => i);
    const limits = { hugeScale: options.hugeScale, hugeChance: options.hugeChance };
    for (const index of indices) {
      const lazy = () => makeInput(options.seed, index, corpus, limits);
      work.push({ face: 'core', index, lazy });
      if (options.only !== undefined || (options.cliEvery > 0 && index % options.cliEvery === 0)) work.push({ face: 'cli', index, lazy });
      if (options.only !== undefined || (options.serverEvery > 0 && index % options.serverEvery === 0)) work.push({ face: 'server', index, lazy });
    }
  }

  const hasServer = work.some((w) => w.face === 'server') ? await serverAvailable() : false;
  if (work.some((w) => w.face === 'server') && !hasServer) log('fuzz: the language server does not sync documents yet; server face skipped');

  const pool = new CorePool(options.jobs);
  const server = hasServer ? new ServerSession(REPO) : undefined;
  if (server) await server.start(30_000);
  const summary = {
    seed: options.seed,
    inputs: 0,
    faces: {},
    skippedReasons: {},
    parseErrors: 0,
    withFindings: 0,
    findings: 0,
    fixesChecked: 0,
    fixPasses: 0,
    slowest: [],
    failures: [],
    saved: [],
  };
  const savedPerSignature = new Map();
  const face = (name) => (summary.faces[name] ??= { ran: 0, ok: 0, crashes: 0, hangs: 0, invalid: 0 });

  const record = async (item, input, result) => {
    const f = face(item.face);
    f.ran++;
    if (result.skippedFace) {
      f.ran--;
      return;
    }
    if (result.failures.length === 0) f.ok++;
    for (const fl of result.failures) {
      if (fl.kind === 'hang') f.hangs++;
      else if (fl.kind === 'crash') f.crashes++;
      else f.invalid++;
    }
    if (result.failures.length > 0) {
      const failures = result.failures.map((x) => ({ ...x, face: item.face }));
      const entry = { face: item.face, index: item.index, case: item.caseName, mutations: input.mutations, base: input.base, failures: failures.map((x) => `${x.kind}: ${x.detail.slice(0, 600)}`) };
      summary.failures.push(entry);
      log(`FAIL ${item.face} #${item.index}${item.caseName ? ` (${item.caseName})` : ''} [${input.base} ${input.ext} ${input.mutations.join(', ')}]\n  ${entry.failures.join('\n  ')}`);
      const sig = signatureOf(failures[0]);
      const n = savedPerSignature.get(sig) ?? 0;
      if (options.save && n < options.maxSavedPerSignature) {
        savedPerSignature.set(sig, n + 1);
        summary.saved.push(saveCase(options, item.index, input, item.face, failures));
      }
    }
    if (result.stats) {
      const s = result.stats;
      if (s.skipped) summary.skippedReasons[s.skipped.replace(/[\d.]+ MiB is/, 'N MiB is')] = (summary.skippedReasons[s.skipped.replace(/[\d.]+ MiB is/, 'N MiB is')] ?? 0) + 1;
      if (s.parseError) summary.parseErrors++;
      if (s.findings > 0) summary.withFindings++;
      summary.findings += s.findings;
      summary.fixesChecked += s.fixesChecked;
      if (s.fixPasses) summary.fixPasses++;
      summary.slowest.push({ index: item.index, ms: s.ms, bytes: input.bytes.length, mutations: input.mutations.join(',') });
      summary.slowest.sort((a, b) => b.ms - a.ms);
      summary.slowest.length = Math.min(summary.slowest.length, 5);
    }
  };

  // Core and CLI items run `jobs` at a time; server items go through one session in order.
  let next = 0;
  let done = 0;
  const serverItems = [];
  const worker = async () => {
    while (next < work.length) {
      const item = work[next++];
      const input = item.input ?? item.lazy();
      if (item.face === 'core') summary.inputs++;
      if (options.only !== undefined && item.face === 'core') log(`input ${item.index}: ${input.base} as ${input.ext}, ${input.bytes.length} bytes, mutations: ${input.mutations.join(', ') || '(none)'}`);
      if (item.face === 'server') {
        serverItems.push({ item, input });
        continue;
      }
      const result = item.face === 'core' ? await runCore(pool, options, item.index, input) : await runCli(options, item.index, input);
      await record(item, input, result);
      done++;
      if (!options.quiet && done % 250 === 0) log(`fuzz: ${done} runs, ${summary.failures.length} failing, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  };
  await Promise.all(Array.from({ length: options.jobs }, worker));
  pool.closeAll();
  for (const { item, input } of serverItems) {
    const result = server ? await server.check(input, budgetFor(options, input.bytes) * 2 + 5_000) : { failures: [], skippedFace: true };
    await record(item, input, result);
  }
  if (server) await server.close();

  summary.seconds = Math.round((Date.now() - t0) / 100) / 10;
  const total = Object.values(summary.faces).reduce((s, f) => ({ crashes: s.crashes + f.crashes, hangs: s.hangs + f.hangs, invalid: s.invalid + f.invalid }), { crashes: 0, hangs: 0, invalid: 0 });
  summary.totals = total;
  log(`fuzz: ${summary.inputs} inputs in ${summary.seconds} s`);
  for (const [name, f] of Object.entries(summary.faces)) log(`  ${name.padEnd(6)} ran ${f.ran}, ok ${f.ok}, crashes ${f.crashes}, hangs ${f.hangs}, invalid ${f.invalid}`);
  log(`  core inputs: ${summary.parseErrors} with parse errors, ${summary.withFindings} with findings (${summary.findings} findings), ${summary.fixesChecked} fixes applied one by one, ${summary.fixPasses} --fix runs`);
  for (const [reason, n] of Object.entries(summary.skippedReasons)) log(`  skipped ${n}: ${reason}`);
  log(`  slowest: ${summary.slowest.map((s) => `#${s.index} ${s.ms} ms (${(s.bytes / 1e6).toFixed(2)} MB; ${s.mutations})`).join('; ')}`);
  if (summary.saved.length > 0) log(`  saved ${summary.saved.length} case(s): ${summary.saved.join(', ')}`);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(summary, null, 2) + '\n');
  process.exitCode = total.crashes + total.hangs + total.invalid > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`fuzz: ${err?.stack ?? err}\n`);
    process.exit(2);
  });
}
