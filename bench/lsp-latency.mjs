// Measures the language server as an editor sees it: after warm-up, the time from a didChange to
// the updated diagnostics (pull: the textDocument/diagnostic answer; push: the publishDiagnostics
// of that version), in a generated project of several hundred files, and the server's peak memory
// next to `tsc --noEmit` on the same project.
//
//   node bench/lsp-latency.mjs [--files 400] [--edits 60] [--push] [--gap 300] [--no-tsc]
//   node bench/lsp-latency.mjs --dir <project with tsconfig.json> [--file <file to edit>]
//
// Edits are spaced by --gap ms (a user pausing between changes); with --gap 0 they are sent back
// to back, as fast as the server answers.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const FILES = Number(arg('files', 400));
const EDITS = Number(arg('edits', 60));
const GAP = Number(arg('gap', 300));
const PUSH = process.argv.includes('--push');
const DIR = arg('dir', undefined);
const FILE = arg('file', undefined);
const SERVER = process.env.RACELINT_SERVER_BIN ?? path.join(REPO, 'bin', 'racelint-server.js');

/** A project shaped like application code: classes with async methods, imports between modules. */
function generate(root, n) {
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "bench", "private": true }\n');
  fs.writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [], noEmit: true }, include: ['src'] }, null, 2),
  );
  for (let i = 0; i < n; i++) {
    const deps = [i - 1, i - 7, i - 31].filter((d) => d >= 0);
    let s = deps.map((d) => `import { load${d}, Store${d} } from './m${d}';`).join('\n') + '\n\n';
    s += `let hits${i} = 0;\n\nexport class Store${i} {\n  private readonly items = new Map<string, number>();\n  total = 0;\n\n`;
    s += `  async get(id: string): Promise<number> {\n    const v = this.items.get(id) ?? 0;\n    await new Promise((r) => setTimeout(r, 1));\n    return v;\n  }\n\n`;
    s += `  async add(id: string, n: number): Promise<void> {\n    const current = await this.get(id);\n    this.items.set(id, current + n);\n  }\n}\n\n`;
    s += `export async function load${i}(x: number): Promise<number> {\n  const store = new Store${i}();\n`;
    for (const d of deps) s += `  await load${d}(x);\n  void new Store${d}().get('a').then((v) => { hits${i} += v; });\n`;
    for (let k = 0; k < 25; k++) s += `  const v${k} = [x, ${k}].map((y) => y * 2).filter((z) => z > ${k}).reduce((a, b) => a + b, 0);\n  hits${i} += v${k};\n`;
    s += `  await store.add(String(x), hits${i});\n  return store.get(String(x));\n}\n`;
    fs.writeFileSync(path.join(root, 'src', `m${i}.ts`), s);
  }
}

/** A typical file to edit: the median-sized one among the files with an `await`. */
function typicalFile(root) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(f);
      } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(f, 'utf8');
        if (text.includes('await ') && text.endsWith('\n')) found.push({ f, size: text.length });
      }
    }
  };
  walk(root);
  found.sort((a, b) => a.size - b.size || (a.f < b.f ? -1 : 1));
  return found[Math.floor(found.length / 2)].f;
}

/** CPU time (ms) a process has used, all threads (from /proc, in nanoseconds). */
function cpuMs(pid) {
  let ns = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended
    }
  }
  return ns / 1e6;
}

function peakRssKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const root = DIR ? path.resolve(DIR) : fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-lsp-bench-'));
  if (!DIR) generate(root, FILES);
  const target = FILE ? path.resolve(FILE) : DIR ? typicalFile(root) : path.join(root, 'src', `m${Math.floor(FILES / 2)}.ts`);
  const uri = pathToFileURL(target).href;
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published = new Map();
  let wake = () => {};
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.set(p.version, p);
    wake();
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
    capabilities: { workspace: { configuration: true, diagnostics: { refreshSupport: true } }, textDocument: PUSH ? {} : { diagnostic: {} } },
  });
  await conn.sendNotification('initialized', {});
  let text = fs.readFileSync(target, 'utf8');
  let version = 1;
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text } });

  const waitPublished = (v) =>
    new Promise((resolve) => {
      const check = () => (published.has(v) ? resolve(published.get(v)) : (wake = check));
      check();
    });
  const coldStart = Date.now();
  if (PUSH) await waitPublished(1);
  else await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const coldMs = Date.now() - coldStart;

  // Each edit adds (or removes) a statement: in the generated project a floating promise near
  // the end of a function, so the diagnostics really change; in a real project, a line at the end.
  const anchor = DIR ? undefined : '  await store.add(';
  const times = [];
  const cpus = [];
  for (let i = 0; i < EDITS + 10; i++) {
    const at = anchor ? text.indexOf(anchor) : text.length;
    const line = text.slice(0, at).split('\n').length - 1;
    const insert = i % 2 === 0 ? (anchor ? `  store.get('edit${i}');\n` : `export const racelintBenchEdit = ${i};\n`) : '';
    let change;
    if (insert) {
      change = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: insert };
      text = text.slice(0, at) + insert + text.slice(at);
    } else {
      if (!text.endsWith('\n')) throw new Error('the edited file must end with a newline');
      const prevStart = text.lastIndexOf('\n', at - 2) + 1;
      change = { range: { start: { line: line - 1, character: 0 }, end: { line, character: 0 } }, text: '' };
      text = text.slice(0, prevStart) + text.slice(at);
    }
    version++;
    const cpu0 = cpuMs(proc.pid);
    const t0 = process.hrtime.bigint();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    if (PUSH) await waitPublished(version);
    else await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= 10) {
      times.push(ms);
      cpus.push(cpuMs(proc.pid) - cpu0);
    }
    if (GAP > 0) await new Promise((r) => setTimeout(r, GAP));
  }
  const serverPeakKb = peakRssKb(proc.pid);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();

  let tscPeakKb = NaN;
  if (!process.argv.includes('--no-tsc')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root], { encoding: 'utf8' });
    tscPeakKb = Number(r.stderr.trim().split('\n').at(-1));
  }
  if (!DIR) fs.rmSync(root, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const result = {
    mode: PUSH ? 'push' : 'pull',
    project: DIR ? path.relative(process.cwd(), root) : `generated, ${FILES} files`,
    file: path.relative(root, target),
    edits: times.length,
    gapMs: GAP,
    coldFirstLintMs: coldMs,
    p50Ms: +pct(times, 50).toFixed(1),
    p95Ms: +pct(times, 95).toFixed(1),
    maxMs: +times.at(-1).toFixed(1),
    // What the server spent per edit: the latency on an idle machine (wall time includes waiting for a core).
    cpuP50Ms: +pct(cpus, 50).toFixed(1),
    cpuP95Ms: +pct(cpus, 95).toFixed(1),
    serverPeakMb: Math.round(serverPeakKb / 1024),
    tscPeakMb: Math.round(tscPeakKb / 1024),
    memoryRatio: +(serverPeakKb / tscPeakKb).toFixed(2),
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
