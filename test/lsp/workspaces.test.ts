// Workspaces as they come: several tsconfigs in one folder, several folders with their own
// settings, files changing on disk behind the editor's back, `run: onSave`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, uriOf } from './lspClient';

const floating = (d: Diagnostic[]) => d.filter((x) => x.code === 'floating-promise');

test('a monorepo: each package is linted with its own tsconfig (path mapping) and its nearest racelint.json', async () => {
  const dir = copyFixture('monorepo');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const b = client.open(path.join(dir, 'packages', 'b', 'src', 'b.ts'));
    const a = client.open(path.join(dir, 'packages', 'a', 'src', 'a.ts'));
    // '#a' only resolves through packages/b/tsconfig.json; b's racelint.json makes it a warning.
    const inB = floating(await client.pullUntil(b, 'the finding in b', (d) => floating(d).length === 1));
    assert.equal(inB[0].severity, 2);
    const inA = floating(await client.pullUntil(a, 'the finding in a', (d) => floating(d).length === 1));
    assert.equal(inA[0].severity, 1);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('multi-root: each folder gets its own settings (asked per document) and its own racelint.json', async () => {
  const one = copyFixture('basic');
  const two = copyFixture('basic');
  fs.writeFileSync(path.join(two, 'racelint.json'), '{ "rules": { "floating-promise": "off" } }\n');
  const client = await LspClient.start({
    folders: [one, two],
    pull: false,
    // The first folder's settings lower the rule to a warning; the second's leave it to the file.
    settings: (scope) => (scope?.startsWith(uriOf(one)) ? { rules: { 'floating-promise': 'warn' } } : {}),
  });
  try {
    const inOne = client.open(path.join(one, 'src', 'orders.ts'));
    const inTwo = client.open(path.join(two, 'src', 'orders.ts'));
    const d = await client.waitForPublished(inOne, 'a warning in the first folder', (d) => floating(d).length === 1);
    assert.equal(d[0].severity, 2);
    assert.deepEqual(await client.waitForPublished(inTwo, 'nothing in the second folder', () => true), []);
    const scopes = client.serverRequests
      .filter((r) => r.method === 'workspace/configuration')
      .flatMap((r) => (r.params as { items: Array<{ scopeUri?: string }> }).items.map((i) => i.scopeUri));
    assert.ok(scopes.includes(inOne) && scopes.includes(inTwo), JSON.stringify(scopes));
  } finally {
    await client.stop();
    fs.rmSync(one, { recursive: true, force: true });
    fs.rmSync(two, { recursive: true, force: true });
  }
});

test('a closed imported file changed on disk re-lints its open importer', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const cart = client.open(path.join(dir, 'src', 'cart.ts'));
    assert.deepEqual(await client.waitForPublished(cart, 'cart.ts linted', () => true), []);
    const api = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(api, fs.readFileSync(api, 'utf8').replace('export function checkout(id: string): string {', 'export async function checkout(id: string): Promise<string> {'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(api), type: 2 }] });
    const d = await client.waitForPublished(cart, 'the call site floating', (d) => floating(d).length === 1);
    assert.equal(d[0].range.start.line, 3);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file created on disk resolves a pending import of an open file', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const file = path.join(dir, 'src', 'queue.ts');
    fs.writeFileSync(file, "import { drain } from './drain';\n\nexport function flush(): void {\n  drain();\n}\n");
    const uri = client.open(file);
    // './drain' does not exist yet: `drain` has no type, so nothing to report.
    assert.deepEqual(floating(await client.waitForPublished(uri, 'the first lint', () => true)), []);
    const drain = path.join(dir, 'src', 'drain.ts');
    fs.writeFileSync(drain, 'export async function drain(): Promise<void> {}\n');
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(drain), type: 1 }] });
    const d = await client.waitForPublished(uri, 'the floating promise once drain.ts exists', (d) => floating(d).length === 1);
    assert.equal(d[0].range.start.line, 3);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('run: onSave lints on open and on save, not while typing', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: false, settings: () => ({ run: 'onSave' }) });
  try {
    const uri = client.open(path.join(dir, 'src', 'cart.ts'));
    await client.waitForPublished(uri, 'the lint on open', () => true, 1);
    const v2 = client.edit(uri, '  checkout(id);\n', '  checkout(id);\n  Promise.resolve(id);\n');
    // An absence can only be checked by waiting: four debounce periods, in which an onType server
    // would have published the edit.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(client.published.get(uri)!.version, 1, 'nothing published for the edit before the save');
    void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const d = await client.waitForPublished(uri, 'the lint on save', (d) => floating(d).length === 1);
    assert.equal(client.published.get(uri)!.version, v2);
    assert.equal(d[0].range.start.line, 4);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lintWorkspace without a workDoneToken creates its own progress', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const result = (await client.executeCommand('racelint.lintWorkspace')) as { files: number };
    assert.equal(result.files, 3);
    const created = client.serverRequests.find((r) => r.method === 'window/workDoneProgress/create');
    assert.ok(created, 'the server asked for a progress token');
    const token = (created.params as { token: string }).token;
    const progress = client.notificationsOf('$/progress') as Array<{ token: string; value: { kind: string } }>;
    assert.deepEqual(
      progress.filter((p) => p.token === token).map((p) => p.value.kind).filter((k) => k !== 'report'),
      ['begin', 'end'],
    );
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
