// The language server under faults and load, through the built `racelint-server --stdio`:
// lying frame headers, edits to documents nobody opened, code actions out of range, a burst of
// 1,000 edits, a 5 MB document, a tsconfig deleted mid-run, broken config files, and a soak run
// whose memory must stay bounded. After each fault the server must still answer, and its
// diagnostics must be those a fresh server computes for the same text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FrameResynchronizer } from '../../server/src/lsp/framing';
import { trappedWorkspace } from '../support/workspaceTraps';
import { copyFixture, LspClient, messageText, uriOf } from './lspClient';

/** A large module: `n` blocks, each with one floating promise, on known lines. */
function largeModule(n: number): string {
  const parts = ['export async function save(id: number): Promise<void> {\n  await Promise.resolve(id);\n}\n'];
  for (let i = 0; i < n; i++) {
    parts.push(
      `export function handler${i}(ids: number[]): number {`,
      `  let total${i} = 0;`,
      `  for (const id of ids) total${i} += id * ${i};`,
      `  save(${i});`,
      `  return total${i};`,
      `}`,
      '',
    );
  }
  return parts.join('\n');
}

function summary(d: Diagnostic[]): string[] {
  return d.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${x.message}`).sort();
}

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

async function withServer(body: (client: LspClient, dir: string) => Promise<void>, options: { pull?: boolean; fixture?: string } = {}): Promise<void> {
  const dir = copyFixture(options.fixture ?? 'basic');
  const client = await LspClient.start({ folders: [dir], pull: options.pull ?? false });
  try {
    await body(client, dir);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The diagnostics a brand-new server publishes for `text` at `file`. */
async function freshDiagnostics(file: string, text: string, dir: string): Promise<Diagnostic[]> {
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const uri = client.open(file, text);
    return await client.waitForPublished(uri, 'fresh diagnostics', () => true, 1);
  } finally {
    await client.stop();
  }
}

async function stillAnswers(client: LspClient): Promise<void> {
  const r = (await client.executeCommand('racelint.openRuleDoc', ['lost-update'])) as { url: string };
  assert.match(r.url, /lost-update\.md$/);
}

test('frames with a lying Content-Length are answered with errors, and the next message is served', async () => {
  await withServer(async (client) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 900, method: 'shutdown' });
    const lies: Array<[string, string]> = [
      ['too short', `Content-Length: 10\r\n\r\n${body}`],
      ['too long', `Content-Length: ${body.length + 25}\r\n\r\n${body}`],
      ['not a number', `Content-Length: lots\r\n\r\n${body}`],
      ['negative', `Content-Length: -5\r\n\r\n${body}`],
      ['missing', `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`],
      ['absurd', `Content-Length: 99999999999\r\n\r\n${body}`],
      ['no header at all', `${body}\r\n`],
    ];
    for (const [what, raw] of lies) {
      client.writeRaw('', raw);
      // The next well-formed request must be answered: the stream is back in step.
      const answer = (client.connection.sendRequest('workspace/executeCommand', { command: 'racelint.openRuleDoc', arguments: ['check-then-act'] }) as Promise<{ url: string }>).then((r) => r.url);
      const url = await Promise.race([answer, new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`no answer after a frame whose Content-Length is ${what}`)), 15_000))]);
      assert.match(url, /check-then-act\.md$/, what);
    }
    assert.equal(client.exited, undefined, 'the server is still running');
  });
});

test('edits to documents that were never opened, and odd versions, are ignored; open documents are unaffected', async () => {
  await withServer(async (client, dir) => {
    const ghost = uriOf(path.join(dir, 'src', 'ghost.ts'));
    const c = client.connection;
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: ghost, version: 2 }, contentChanges: [{ text: 'save();' }] });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: ghost, version: 3 }, contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 9, character: 0 } }, text: 'x' }] });
    await c.sendNotification('textDocument/didSave', { textDocument: { uri: ghost } });
    await c.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: 'not a uri at all' }, contentChanges: [] });
    await stillAnswers(client);

    const orders = path.join(dir, 'src', 'orders.ts');
    const uri = client.open(orders);
    const first = await client.waitForPublished(uri, 'the floating promise', (d) => d.some((x) => x.code === 'floating-promise'), 1);
    // An incremental change whose range is far past the end, and a version that goes backwards.
    await c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 7 }, contentChanges: [{ range: { start: { line: 10_000, character: 0 }, end: { line: 10_001, character: 5 } }, text: '' }] });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }] });
    await c.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(orders, 'utf8') } });
    await stillAnswers(client);
    const later = await client.waitFor('diagnostics after the odd edits', () => client.published.get(uri)?.diagnostics);
    assert.deepEqual(summary(later), summary(first));
  });
});

test('code actions for positions out of range are answered, and the server carries on', async () => {
  await withServer(async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const diags = await client.waitForPublished(uri, 'the floating promise', (d) => d.some((x) => x.code === 'floating-promise'), 1);
    const ranges = [
      { start: { line: 1_000_000, character: 0 }, end: { line: 1_000_001, character: 0 } },
      { start: { line: 0, character: 1_000_000 }, end: { line: 0, character: 2_000_000 } },
      { start: { line: 5, character: 0 }, end: { line: 1, character: 0 } },
      { start: { line: -1, character: -1 }, end: { line: -1, character: 0 } },
      { start: { line: 2 ** 31, character: 0 }, end: { line: 2 ** 31, character: 0 } },
    ];
    for (const range of ranges) {
      // A stale diagnostic whose range is past the end, as a client may send after an edit.
      const stale = diags.map((d) => ({ ...d, range }));
      const answer = await client.codeActions(uri, range, stale).then(
        (actions) => ({ actions }),
        (error: { code?: number }) => ({ error }),
      );
      if ('actions' in answer) {
        assert.ok(answer.actions === null || Array.isArray(answer.actions), JSON.stringify(answer));
      } else {
        assert.equal(answer.error.code, -32602, `only "invalid params" is acceptable, got ${JSON.stringify(answer.error)}`);
      }
    }
    const unopened = uriOf(path.join(dir, 'src', 'cart.ts'));
    const none = await client.codeActions(unopened, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    assert.deepEqual(none ?? [], []);
    await stillAnswers(client);
  });
});

test('1,000 edits in about a second to a large file: the server keeps up, and ends with the diagnostics a fresh server computes', async (t) => {
  await withServer(async (client, dir) => {
    const file = path.join(dir, 'src', 'large.ts');
    const text = largeModule(400);
    fs.writeFileSync(file, text);
    const uri = client.open(file, text);
    const initial = await client.waitForPublished(uri, 'the initial diagnostics', (d) => d.length === 400, 1);
    assert.equal(initial.length, 400);
    // Type, then delete, a comment at the end of a line, one character per edit; leave some of
    // it typed, and break and repair a call on the way.
    let version = 1;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      if (i === 400) version = client.edit(uri, '  save(7);', '  save(7)');
      else if (i === 700) version = client.edit(uri, '  save(7)\n', '  save(7);\n');
      else if (i % 3 === 2) version = client.edit(uri, 'x */', ' */');
      else version = client.edit(uri, 'return total0;', i % 3 === 0 ? 'return total0; /* x */' : 'return total0;');
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1));
    }
    // A last edit whose diagnostics differ from every earlier state, so it must be published.
    version = client.edit(uri, '  return total399;', '  save(4242);\n  return total399;');
    const burstMs = Date.now() - started;
    const finalText = client.text(uri);
    const last = await client.waitForPublished(uri, 'diagnostics for the last version', (d) => d.length === 401, version);
    const settledMs = Date.now() - started - burstMs;
    const fresh = await freshDiagnostics(file, finalText, dir);
    assert.deepEqual(summary(last), summary(fresh));
    assert.ok(burstMs < 30_000, `sending the burst itself took ${burstMs} ms`);
    t.diagnostic(`burst of 1,001 edits sent in ${burstMs} ms; the last version's diagnostics published ${settledMs} ms after it`);
  });
});

test('a 5 MB document is reported as skipped and does not hold up other documents', async () => {
  await withServer(async (client, dir) => {
    const big = path.join(dir, 'src', 'bundle.js');
    const text = `export const data = "${'x'.repeat(5 * 1024 * 1024)}";\nasync function f() {}\nf();\n`;
    const bigUri = client.open(big, text);
    const orders = client.open(path.join(dir, 'src', 'orders.ts'));
    const d = await client.pullUntil(bigUri, 'the skip notice', (d) => d.length > 0);
    assert.deepEqual(d.map((x) => x.code), ['skipped']);
    assert.match(messageText(d[0]), /MiB is over the 4\.0 MiB limit/);
    await client.pullUntil(orders, 'the other document', (d) => d.some((x) => x.code === 'floating-promise'));
    // Edits to the big document are cheap to refuse; a pull after them answers for the last one.
    for (let i = 0; i < 20; i++) client.edit(bigUri, 'f();', i % 2 === 0 ? 'f(); ' : 'f();');
    const pulled = await client.pull(bigUri);
    assert.equal(pulled.kind, 'full');
    assert.deepEqual(pulled.kind === 'full' ? pulled.items.map((x) => x.code) : [], ['skipped']);
    await stillAnswers(client);
  }, { pull: true });
});

test('a tsconfig.json deleted mid-run: files fall back to an inferred project; restoring it restores its options', async () => {
  await withServer(async (client, dir) => {
    const tsconfig = path.join(dir, 'tsconfig.json');
    const original = fs.readFileSync(tsconfig, 'utf8');
    const file = path.join(dir, 'src', 'orders.ts');
    const uri = client.open(file);
    const before = await client.pullUntil(uri, 'diagnostics with the tsconfig', (d) => d.some((x) => x.code === 'floating-promise'));
    fs.rmSync(tsconfig);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(tsconfig), type: 3 }] });
    client.edit(uri, 'export function refresh', 'export function refresh2');
    const without = await client.pullUntil(uri, 'diagnostics without the tsconfig', (d) => d.some((x) => x.code === 'floating-promise'));
    assert.ok(without.every((x) => x.code !== 'internal-error'), JSON.stringify(summary(without)));
    fs.writeFileSync(tsconfig, original);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(tsconfig), type: 1 }] });
    client.edit(uri, 'export function refresh2', 'export function refresh');
    const after = await client.pullUntil(uri, 'diagnostics with the tsconfig again', (d) => d.length > 0);
    assert.deepEqual(summary(after), summary(before));
    await stillAnswers(client);
  }, { pull: true });
});

test('config files broken mid-run (bad JSON, binary bytes, a tsconfig with syntax errors) are reported; linting goes on', async () => {
  await withServer(async (client, dir) => {
    const file = path.join(dir, 'src', 'orders.ts');
    const uri = client.open(file);
    const before = await client.pullUntil(uri, 'diagnostics', (d) => d.some((x) => x.code === 'floating-promise'));
    const rc = path.join(dir, 'racelint.json');
    const tsconfig = path.join(dir, 'tsconfig.json');
    let version = 1;
    for (const [name, target, bytes] of [
      ['racelint.json with a syntax error', rc, Buffer.from('{ "rules": { "floating-promise": "warn", } ')],
      ['racelint.json of binary bytes', rc, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b])],
      ['tsconfig.json with a syntax error', tsconfig, Buffer.from('{ "compilerOptions": { "strict": true, ')],
    ] as Array<[string, string, Buffer]>) {
      fs.writeFileSync(target, bytes);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(target), type: 2 }] });
      version = client.edit(uri, version % 2 === 1 ? 'export function refresh' : 'export function refresh2', version % 2 === 1 ? 'export function refresh2' : 'export function refresh');
      const d = await client.pullUntil(uri, `diagnostics with a ${name}`, (d) => d.some((x) => x.code === 'floating-promise'));
      assert.ok(d.every((x) => x.code !== 'internal-error'), `${name}: ${JSON.stringify(summary(d))}`);
      await stillAnswers(client);
    }
    assert.ok(before.length > 0);
  }, { pull: true });
});

test('soak: 300 edit cycles leave the server\'s memory bounded, and the diagnostics right', async (t) => {
  await withServer(async (client, dir) => {
    const pid = client.proc.pid!;
    const file = path.join(dir, 'src', 'soak.ts');
    const text = largeModule(60);
    fs.writeFileSync(file, text);
    const uri = client.open(file, text);
    await client.waitForPublished(uri, 'the first diagnostics', (d) => d.length === 60, 1);
    const cycle = async (i: number) => {
      // Each cycle adds a floating call, waits for it, and takes it away again.
      let v = client.edit(uri, 'return total0;', `save(${i}); return total0;`);
      await client.waitForPublished(uri, `cycle ${i} up`, (d) => d.length === 61, v);
      v = client.edit(uri, `save(${i}); return total0;`, 'return total0;');
      await client.waitForPublished(uri, `cycle ${i} down`, (d) => d.length === 60, v);
    };
    // RSS follows the garbage collector's saw-tooth: a run on a busy machine can end on a peak
    // 200 MB above the last trough. A leak raises the troughs, so compare the lowest RSS of the last
    // warm-up cycles with the lowest of the last cycles.
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) {
      await cycle(i); // warm-up: caches, JIT, lib files
      samples.push(rssKb(pid));
    }
    const warm = Math.min(...samples.slice(-20));
    for (let i = 50; i < 300; i++) {
      await cycle(i);
      samples.push(rssKb(pid));
    }
    const after = Math.min(...samples.slice(-20));
    const growthMb = (after - warm) / 1024;
    t.diagnostic(`lowest RSS over the last 20 warm-up cycles ${(warm / 1024).toFixed(0)} MB, over the last 20 of 250 more ${(after / 1024).toFixed(0)} MB (highest ${(Math.max(...samples) / 1024).toFixed(0)} MB)`);
    // Generous: a leak of one program per edit would grow by gigabytes over 500 edits.
    assert.ok(growthMb < 200, `RSS grew by ${growthMb.toFixed(0)} MB over 250 cycles (from ${(warm / 1024).toFixed(0)} MB to ${(after / 1024).toFixed(0)} MB)`);
    const fresh = await freshDiagnostics(file, client.text(uri), dir);
    assert.deepEqual(summary(client.published.get(uri)!.diagnostics), summary(fresh));
  });
});

test('framing: frames pass through whole however the bytes are split; lying headers cost one error each', async () => {
  const frame = (body: string, length = Buffer.byteLength(body)) => `Content-Length: ${length}\r\n\r\n${body}`;
  const run = async (chunks: Buffer[]) => {
    const errors: string[] = [];
    const out: Buffer[] = [];
    const t = new FrameResynchronizer((why) => errors.push(why));
    t.on('data', (d: Buffer) => out.push(d));
    for (const c of chunks) t.write(c);
    t.end();
    await new Promise((r) => t.on('end', r));
    return { errors, frames: Buffer.concat(out).toString('utf8') };
  };
  const good = [frame('{"a":1}'), frame('{"b":"Content-Length: 3"}'), frame(`{"c":"${'\u00e9'.repeat(3)}"}`)].join('');
  const bytes = Buffer.from(good);
  const byByte = await run([...bytes].map((b) => Buffer.from([b])));
  assert.deepEqual(byByte, { errors: [], frames: good });
  const big = frame(`{"text":"${'x'.repeat(5_000_000)}"}`);
  const chunks: Buffer[] = [];
  for (let i = 0; i < big.length; i += 65536) chunks.push(Buffer.from(big.slice(i, i + 65536)));
  assert.equal((await run(chunks)).frames.length, big.length);

  const ok = frame('{"ok":true}');
  const cases: Array<[string, string]> = [
    ['too short', frame('{"x":1234567890}', 5) + ok],
    ['too long', frame('{"x":1}', 20) + ok],
    ['not a number', 'Content-Length: ten\r\n\r\n{"x":1}' + ok],
    ['absurd', 'Content-Length: 99999999999\r\n\r\n{"x":1}' + ok],
    ['no header', '{"x":1}\r\n' + ok],
    ['garbage', '\u0000\u0001\u00ff garbage \r\n\r\n' + ok],
  ];
  for (const [what, input] of cases) {
    const r = await run([Buffer.from(input)]);
    assert.equal(r.frames, ok, what);
    assert.equal(r.errors.length, 1, `${what}: ${JSON.stringify(r.errors)}`);
  }
});

test('no workspace code runs: opening, linting, fixing and linting the whole workspace of traps runs none of them', async () => {
  const ws = trappedWorkspace();
  assert.equal(ws.springForProof(), 'RAN-tsconfig-plugin', 'the traps work when run');
  const client = await LspClient.start({ folders: [ws.dir], pull: true });
  try {
    const uri = client.open(path.join(ws.dir, 'src', 'a.ts'));
    await client.pullUntil(uri, 'the floating promise', (d) => d.some((x) => x.code === 'floating-promise'));
    const job = client.open(path.join(ws.dir, 'scripts', 'job.js'));
    await client.pullUntil(job, 'the script diagnostics', (d) => d.some((x) => x.code === 'floating-promise'));
    await client.executeCommand('racelint.lintWorkspace', [{ progress: false }]);
    await client.executeCommand('racelint.applyFixAll', [{ uri }]);
    for (const f of ['tsconfig.json', 'racelint.config.js', 'package.json']) {
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(ws.dir, f)), type: 2 }] });
    }
    client.edit(uri, 'save();', 'save(); ');
    await client.pullUntil(uri, 'diagnostics after the reload', (d) => d.some((x) => x.code === 'floating-promise'));
    assert.deepEqual(ws.sprung(), []);
  } finally {
    await client.stop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('a document nested too deeply to parse is reported as skipped, and code actions on it are an empty answer', async () => {
  await withServer(async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'deep.ts'), `export const deep = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    const d = await client.pullUntil(uri, 'the skip notice', (d) => d.length > 0);
    assert.deepEqual(d.map((x) => [x.code, x.message]), [['skipped', 'skipped: the code is nested too deeply for TypeScript to analyse (it ran out of stack space)']]);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, d);
    assert.deepEqual(actions, []);
    await stillAnswers(client);
  }, { pull: true });
});
