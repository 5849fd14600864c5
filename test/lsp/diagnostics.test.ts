// The language server's diagnostics, through a real JSON-RPC client talking to the built server:
// pull and push, edits that add and remove findings, a change in an imported file, settings,
// a broken racelint.json, untitled buffers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { copyFixture, diagnosticSummary, LspClient, messageText, uriOf } from './lspClient';

const floating = (d: Diagnostic[]) => d.filter((x) => x.code === 'floating-promise');

async function withServer(fixture: string, options: { pull: boolean; settings?: (scope: string | undefined) => unknown }, body: (client: LspClient, dir: string) => Promise<void>): Promise<void> {
  const dir = copyFixture(fixture);
  const client = await LspClient.start({ folders: [dir], pull: options.pull, settings: options.settings });
  try {
    await body(client, dir);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('initialize announces pull diagnostics, code actions and the commands', async () => {
  await withServer('basic', { pull: true }, async (client) => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.diagnosticProvider, { identifier: 'racelint', interFileDependencies: true, workspaceDiagnostics: true });
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.racelint']);
    assert.deepEqual(caps.executeCommandProvider.commands, ['racelint.applyFixAll', 'racelint.lintWorkspace', 'racelint.openRuleDoc']);
    assert.equal(client.initializeResult.serverInfo.name, 'racelint');
    // The server watches its config files and sources through the client, and follows settings.
    await client.waitFor('dynamic registrations', () => client.serverRequests.filter((r) => r.method === 'client/registerCapability').length === 2);
    const methods = client.serverRequests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => (r.params as { registrations: Array<{ method: string }> }).registrations.map((x) => x.method));
    assert.deepEqual(methods.sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });
  await withServer('basic', { pull: false }, async (client) => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined, 'no pull for a client that cannot pull');
  });
});

test('pull: an open file gets its findings with rule id, docs link and source', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const report = await client.pull(uri);
    assert.equal(report.kind, 'full');
    const items = report.kind === 'full' ? report.items : [];
    const f = floating(items);
    assert.equal(f.length, 1, JSON.stringify(items));
    assert.equal(f[0].range.start.line, 3);
    assert.equal(f[0].source, 'racelint');
    assert.match(f[0].codeDescription!.href, /floating-promise/);
    // Unchanged document, same result id: the server says "unchanged" instead of resending.
    const again = await client.pull(uri, report.kind === 'full' ? report.resultId : undefined);
    assert.equal(again.kind, 'unchanged');
    // Nothing is pushed to a client that pulls.
    assert.equal(client.published.get(uri), undefined);
  });
});

test('push: a client without pull support gets publishDiagnostics with the document version', async () => {
  await withServer('basic', { pull: false }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const d = await client.waitForPublished(uri, 'the floating promise', (d) => floating(d).length === 1, 1);
    assert.equal(d[0].range.start.line, 3);
    assert.equal(client.published.get(uri)!.version, 1);
  });
});

test('pull: an edit that adds a finding and one that removes it', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'cart.ts'));
    assert.deepEqual(floating(await client.pullUntil(uri, 'a clean file', () => true)), []);
    client.edit(uri, '  checkout(id);\n', '  checkout(id);\n  Promise.resolve(id);\n');
    const added = await client.pullUntil(uri, 'the new floating promise', (d) => floating(d).length === 1);
    assert.equal(floating(added)[0].range.start.line, 4);
    client.edit(uri, '  Promise.resolve(id);\n', '  void Promise.resolve(id);\n');
    await client.pullUntil(uri, 'no finding after `void`', (d) => floating(d).length === 0);
  });
});

test('push: an edit that adds a finding and one that removes it are published for their versions', async () => {
  await withServer('basic', { pull: false }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'cart.ts'));
    await client.waitForPublished(uri, 'the first lint', () => true, 1);
    const v2 = client.edit(uri, '  checkout(id);\n', '  checkout(id);\n  Promise.resolve(id);\n');
    await client.waitForPublished(uri, 'the new floating promise', (d) => floating(d).length === 1, v2);
    const v3 = client.edit(uri, '  Promise.resolve(id);\n', '  await Promise.resolve(id);\n');
    // `await` in a non-async function is a TypeScript error, not a parse error: the finding is gone.
    await client.waitForPublished(uri, 'the finding gone', (d) => floating(d).length === 0, v3);
  });
});

test('a function turning async in an imported file makes its call site in the open importer floating', async () => {
  for (const pull of [true, false]) {
    await withServer('basic', { pull }, async (client, dir) => {
      const cart = client.open(path.join(dir, 'src', 'cart.ts'));
      const api = client.open(path.join(dir, 'src', 'api.ts'));
      if (pull) {
        assert.deepEqual(floating(await client.pullUntil(cart, 'cart.ts linted', () => true)), []);
        await client.pull(api);
      } else {
        await client.waitForPublished(cart, 'cart.ts linted', () => true);
      }
      client.edit(api, 'export function checkout(id: string): string {\n  return `order-${id}`;', 'export async function checkout(id: string): Promise<string> {\n  return `order-${id}`;');
      if (pull) {
        // The edited file is pulled first (as an editor does); the server then re-lints its importers
        // and asks the client to pull again.
        await client.pull(api);
        await client.waitFor('a diagnostics refresh request', () => client.serverRequests.some((r) => r.method === 'workspace/diagnostic/refresh'));
        const d = await client.pullUntil(cart, 'the call site floating', (d) => floating(d).length === 1);
        assert.equal(floating(d)[0].range.start.line, 3);
      } else {
        const d = await client.waitForPublished(cart, 'the call site floating', (d) => floating(d).length === 1);
        assert.equal(floating(d)[0].range.start.line, 3);
      }
    });
  }
});

test('settings: turning a rule off through workspace/didChangeConfiguration takes effect without a restart', async () => {
  let rules: Record<string, string> = {};
  await withServer('basic', { pull: false, settings: () => ({ rules }) }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.waitForPublished(uri, 'the floating promise', (d) => floating(d).length === 1);
    rules = { 'floating-promise': 'off' };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForPublished(uri, 'the finding gone with the rule off', (d) => floating(d).length === 0);
    rules = { 'floating-promise': 'warn' };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d = await client.waitForPublished(uri, 'the finding back as a warning', (d) => floating(d).length === 1 && d[0].severity === 2);
    assert.equal(d[0].severity, 2);
  });
});

test('settings: racelint.enable false clears the diagnostics; a bad racelint.rules entry is reported once and ignored', async () => {
  let settings: unknown = { rules: { 'no-such-rule': 'error', 'floating-promise': 'warn' } };
  await withServer('basic', { pull: true, settings: () => settings }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const d = await client.pullUntil(uri, 'the finding as a warning', (d) => floating(d).length === 1);
    assert.equal(floating(d)[0].severity, 2, 'the valid entry still applies');
    const shown = client.notificationsOf('window/showMessage') as Array<{ message: string }>;
    assert.equal(shown.filter((m) => m.message.includes('no-such-rule')).length, 1, JSON.stringify(shown));
    settings = { enable: false };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.pullUntil(uri, 'no diagnostics when disabled', (d) => d.length === 0);
  });
});

test('settings from initializationOptions for clients without workspace/configuration', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: false, configuration: false, initializationOptions: { rules: { 'floating-promise': 'warn' } } });
  try {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.waitForPublished(uri, 'the finding as a warning', (d) => floating(d).length === 1 && d[0].severity === 2);
    // Such clients push settings with didChangeConfiguration.
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { racelint: { rules: { 'floating-promise': 'off' } } } });
    await client.waitForPublished(uri, 'the rule off', (d) => floating(d).length === 0);
    assert.ok(!client.serverRequests.some((r) => r.method === 'workspace/configuration'));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken racelint.json is reported on the file and linting goes on with the defaults; fixing it clears the report', async () => {
  await withServer('basic', { pull: false }, async (client, dir) => {
    const config = path.join(dir, 'racelint.json');
    fs.writeFileSync(config, '{\n  "rules": {\n    "floating-promise": "sometimes"\n  }\n}\n');
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.waitForPublished(uri, 'findings with the default config', (d) => floating(d).length === 1);
    const onConfig = await client.waitForPublished(uriOf(config), 'a diagnostic on racelint.json', (d) => d.length === 1);
    assert.match(messageText(onConfig[0]), /floating-promise/);
    assert.equal(onConfig[0].range.start.line, 2, 'points at the bad key');
    const messages = client.notificationsOf('window/showMessage') as Array<{ message: string }>;
    assert.equal(messages.filter((m) => m.message.includes('racelint.json')).length, 1);
    const status = client.notificationsOf('racelint/status') as Array<{ state: string }>;
    assert.ok(status.some((s) => s.state === 'error'), JSON.stringify(status));

    // Fixed on disk (the client's watcher reports it): the diagnostic goes, the config applies.
    fs.writeFileSync(config, '{ "rules": { "floating-promise": "off" } }\n');
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 2 }] });
    await client.waitForPublished(uriOf(config), 'the config diagnostic cleared', (d) => d.length === 0);
    await client.waitForPublished(uri, 'the rule off from the fixed config', (d) => floating(d).length === 0);
  });
});

test('a changed tsconfig.json reloads the project', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    // '#price' resolves only once tsconfig maps it: then fetchPrice is known to return a promise.
    const file = path.join(dir, 'src', 'aliased.ts');
    fs.writeFileSync(file, "import { fetchPrice } from '#price';\n\nexport function warm(): void {\n  fetchPrice('tea');\n}\n");
    const uri = client.open(file);
    assert.deepEqual(floating(await client.pullUntil(uri, 'the first lint', () => true)), []);
    const tsconfig = path.join(dir, 'tsconfig.json');
    fs.writeFileSync(tsconfig, fs.readFileSync(tsconfig, 'utf8').replace('"noEmit": true', '"noEmit": true,\n    "paths": { "#price": ["./src/api.ts"] }'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(tsconfig), type: 2 }] });
    await client.waitFor('a refresh after the reload', () => client.serverRequests.some((r) => r.method === 'workspace/diagnostic/refresh'));
    const d = await client.pullUntil(uri, 'the finding through the new path mapping', (d) => floating(d).length === 1);
    assert.equal(floating(d)[0].range.start.line, 3);
  });
});

test('an untitled buffer is linted with its text', async () => {
  await withServer('basic', { pull: false }, async (client) => {
    const text = 'async function load(): Promise<number> {\n  return 1;\n}\nload();\n';
    const uri = client.open('/untitled', text, 'typescript', 'untitled:Untitled-1');
    const d = await client.waitForPublished(uri, 'the floating promise in the untitled buffer', (d) => floating(d).length === 1);
    assert.equal(d[0].range.start.line, 3);
    const v2 = client.change(uri, text.replace('load();', 'void load();'));
    await client.waitForPublished(uri, 'clean after the edit', (d) => floating(d).length === 0, v2);
  });
});

test('a file outside every workspace folder and outside any tsconfig is linted in an inferred project', async () => {
  const outside = copyFixture('basic');
  await withServer('basic', { pull: true }, async (client) => {
    const file = path.join(outside, 'loose.ts');
    fs.writeFileSync(file, 'export async function go(): Promise<void> {}\ngo();\n');
    const uri = client.open(file);
    await client.pullUntil(uri, 'the floating promise in the loose file', (d) => floating(d).length === 1);
  });
  fs.rmSync(outside, { recursive: true, force: true });
});

test('an unused directive is reported as unnecessary', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    const file = path.join(dir, 'src', 'cart.ts');
    const uri = client.open(file, fs.readFileSync(file, 'utf8').replace('  checkout(id);', '  // racelint-disable-next-line floating-promise\n  checkout(id);'));
    const d = await client.pullUntil(uri, 'the unused directive', (d) => d.some((x) => x.code === 'unused-directive'));
    const unused = d.find((x) => x.code === 'unused-directive')!;
    assert.deepEqual(unused.tags, [1]);
    assert.equal(unused.range.start.line, 3);
    assert.deepEqual(diagnosticSummary(d), ['unused-directive@4']);
  });
});

test('racelint.configFile: a missing file is reported and linting goes on; a relative path to a valid one applies', async () => {
  let settings: unknown = {};
  await withServer('basic', { pull: false, settings: () => settings }, async (client, dir) => {
    settings = { configFile: path.join(dir, 'missing.json') };
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.waitForPublished(uri, 'findings with the default config', (d) => floating(d).length === 1 && d[0].severity === 1);
    await client.waitFor('a message about the missing file', () =>
      (client.notificationsOf('window/showMessage') as Array<{ message: string }>).some((m) => m.message.includes('missing.json')),
    );
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'lenient.json'), '{ "rules": { "floating-promise": "warn" } }\n');
    settings = { configFile: 'config/lenient.json' };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForPublished(uri, 'the warning level from the config file', (d) => floating(d).length === 1 && d[0].severity === 2);
  });
});

test('misused-promise: an async callback handed to forEach is reported as the edit introduces it', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.pullUntil(uri, 'the first lint', (d) => floating(d).length === 1);
    client.edit(uri, 'export async function total(', 'export function prefetch(items: string[]): void {\n  items.forEach(async (item) => {\n    await fetchPrice(item);\n  });\n}\n\nexport async function total(');
    const d = await client.pullUntil(uri, 'the misused promise', (d) => d.some((x) => x.code === 'misused-promise'));
    const misused = d.find((x) => x.code === 'misused-promise')!;
    assert.equal(misused.range.start.line, 7);
    assert.match(messageText(misused), /forEach/);
  });
});

test('a tsconfig.json with a bad option is reported once and its files are still linted', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": "yes" }, "include": ["src"] }\n');
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.pullUntil(uri, 'the floating promise with inferred options', (d) => floating(d).length === 1);
    const messages = (client.notificationsOf('window/showMessage') as Array<{ message: string }>).filter((m) => m.message.includes('tsconfig.json'));
    assert.equal(messages.length, 1, JSON.stringify(messages));
  });
});

test('a race finding carries its other places as related information', async () => {
  await withServer('basic', { pull: true }, async (client, dir) => {
    const file = path.join(dir, 'src', 'tally.ts');
    fs.writeFileSync(
      file,
      "import { fetchPrice } from './api';\n\nlet total = 0;\n\nexport async function add(item: string): Promise<void> {\n  total += await fetchPrice(item);\n}\n\nexport async function addAll(items: string[]): Promise<void> {\n  await Promise.all(items.map((item) => add(item)));\n}\n",
    );
    const uri = client.open(file);
    const d = await client.pullUntil(uri, 'the lost update', (d) => d.some((x) => x.code === 'lost-update'));
    const lost = d.find((x) => x.code === 'lost-update')!;
    assert.equal(lost.range.start.line, 5);
    assert.match(lost.codeDescription!.href, /lost-update\.md$/);
    assert.ok((lost.relatedInformation?.length ?? 0) > 0, JSON.stringify(lost));
    for (const r of lost.relatedInformation!) {
      assert.equal(r.location.uri, uri);
      assert.ok(r.message.length > 0);
    }
  });
});
