// The server on the wire: malformed messages, unknown methods and bad parameters get JSON-RPC
// errors and the server keeps serving; broken and binary files are reported, not fatal;
// shutdown and exit end the process cleanly. Frames are written and read by hand here.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { copyFixture, LspClient, SERVER_BIN } from './lspClient';

interface Frame {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

function rawServer() {
  const proc = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const frames: Frame[] = [];
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let exitCode: number | null | undefined;
  proc.on('exit', (code) => {
    exitCode = code;
    wake?.();
  });
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const sep = buffer.indexOf('\r\n\r\n');
      if (sep < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, sep).toString())?.[1]);
      if (buffer.length < sep + 4 + length) break;
      frames.push(JSON.parse(buffer.subarray(sep + 4, sep + 4 + length).toString('utf8')) as Frame);
      buffer = buffer.subarray(sep + 4 + length);
    }
    wake?.();
  });
  const write = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`) => proc.stdin.write(header + body);
  const send = (message: object) => write(JSON.stringify({ jsonrpc: '2.0', ...message }));
  const waitFor = async (what: string, probe: (f: Frame) => boolean, timeoutMs = 20_000): Promise<Frame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = frames.find(probe);
      if (found) return found;
      if (exitCode !== undefined) throw new Error(`server exited (${exitCode}) while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  const exited = async () => {
    await waitFor('exit', () => exitCode !== undefined, 10_000).catch(() => undefined);
    return exitCode;
  };
  return { proc, frames, write, send, waitFor, exited };
}

test('malformed JSON, non-messages, unknown methods and bad parameters get errors; the server lives on', async () => {
  const s = rawServer();
  try {
    s.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const init = await s.waitFor('initialize', (f) => f.id === 1);
    assert.ok(init.result);
    s.send({ method: 'initialized', params: {} });

    s.write('{"jsonrpc": "2.0", "id": 2, "method": ');
    const parseError = await s.waitFor('a parse error', (f) => f.error?.code === -32700);
    assert.equal(parseError.id, null);

    s.send({ id: 3 });
    const invalid = await s.waitFor('an invalid request error', (f) => f.error?.code === -32600);
    assert.equal(invalid.id, 3);

    s.send({ id: 4, method: 'racelint/noSuchMethod', params: {} });
    assert.equal((await s.waitFor('method not found', (f) => f.id === 4)).error?.code, -32601);

    s.send({ id: 5, method: 'textDocument/diagnostic', params: {} });
    assert.equal((await s.waitFor('invalid params', (f) => f.id === 5)).error?.code, -32602);

    s.send({ id: 6, method: 'workspace/executeCommand', params: { command: 'racelint.noSuchCommand', arguments: [] } });
    assert.match((await s.waitFor('unknown command', (f) => f.id === 6)).error?.message ?? '', /no command "racelint.noSuchCommand"/);

    // Unknown notifications are ignored.
    s.send({ method: 'racelint/noSuchNotification', params: {} });

    s.send({ id: 7, method: 'workspace/executeCommand', params: { command: 'racelint.openRuleDoc', arguments: ['lost-update'] } });
    const alive = await s.waitFor('a normal answer', (f) => f.id === 7);
    assert.match((alive.result as { url: string }).url, /lost-update\.md$/);

    s.send({ id: 8, method: 'shutdown' });
    await s.waitFor('shutdown', (f) => f.id === 8);
    s.send({ method: 'exit' });
    assert.equal(await s.exited(), 0);
  } finally {
    s.proc.kill();
  }
});

test('the server exits with 1 when its input closes without a shutdown', async () => {
  const s = rawServer();
  s.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  await s.waitFor('initialize', (f) => f.id === 1);
  s.proc.stdin.end();
  assert.equal(await s.exited(), 1);
});

test('a file that does not parse and a binary buffer are reported; other files are still linted', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const broken = client.open(path.join(dir, 'src', 'broken.ts'), 'export function (((\n');
    const d = await client.pullUntil(broken, 'the parse error', (d) => d.length > 0);
    assert.equal(d[0].code, 'parse-error');
    assert.equal(d[0].severity, 1);
    const binary = client.open(path.join(dir, 'src', 'blob.js'), 'const a = 1;\u0000\u0001\u0002');
    const b = await client.pullUntil(binary, 'the skipped file', (d) => d.length > 0);
    assert.equal(b[0].code, 'skipped');
    const orders = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.pullUntil(orders, 'the floating promise', (d) => d.some((x) => x.code === 'floating-promise'));
    const statuses = client.notificationsOf('racelint/status') as Array<{ state: string; lastLintMs?: number }>;
    assert.ok(statuses.some((s) => s.state === 'ready' && typeof s.lastLintMs === 'number'), JSON.stringify(statuses));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled pull is answered with RequestCancelled', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const { CancellationTokenSource } = await import('vscode-languageserver-protocol/node');
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    source.cancel();
    await assert.rejects(pending, (err: { code?: number }) => err.code === -32800);
    // The next pull still works.
    const r = await client.pull(uri);
    assert.equal(r.kind, 'full');
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--node-ipc: the transport the VS Code client uses', async () => {
  const { fork } = await import('node:child_process');
  const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = await import('vscode-languageserver-protocol/node');
  const child = fork(SERVER_BIN, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'racelint');
    const doc = (await connection.sendRequest('workspace/executeCommand', { command: 'racelint.openRuleDoc', arguments: ['check-then-act'] })) as { url: string };
    assert.match(doc.url, /check-then-act\.md$/);
    await connection.sendRequest('shutdown');
    void connection.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
  }
});
