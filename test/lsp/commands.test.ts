// racelint.lintWorkspace from the built server: results for files that are not open (pushed, or
// through workspace/diagnostic for pull clients), $/progress reports, and cancellation midway.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { copyFixture, LspClient, uriOf } from './lspClient';

/** The basic fixture plus `count` files, every third one with a floating promise. */
function workspaceWithFiles(count: number): string {
  const dir = copyFixture('basic');
  for (let i = 0; i < count; i++) {
    const body = i % 3 === 0 ? `  fetchPrice('item-${i}');\n` : `  void fetchPrice('item-${i}');\n`;
    fs.writeFileSync(path.join(dir, 'src', `generated${i}.ts`), `import { fetchPrice } from './api';\n\nexport function warm${i}(): void {\n${body}}\n`);
  }
  return dir;
}

test('lintWorkspace pushes the findings of files that are not open, with progress', async () => {
  const dir = workspaceWithFiles(6);
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const result = (await client.executeCommand('racelint.lintWorkspace', [], undefined, 'lint-progress')) as { files: number; problems: number; findings: number };
    // api, cart, orders and six generated files; orders and generated 0 and 3 float a promise.
    assert.equal(result.files, 9);
    assert.equal(result.findings, 3);
    assert.equal(result.problems, 3);
    const orders = client.published.get(uriOf(path.join(dir, 'src', 'orders.ts')));
    assert.deepEqual(orders?.diagnostics.map((d) => d.code), ['floating-promise']);
    assert.equal(client.published.get(uriOf(path.join(dir, 'src', 'generated3.ts')))?.diagnostics.length, 1);
    const progress = client.notificationsOf('$/progress') as Array<{ token: string; value: { kind: string } }>;
    assert.deepEqual([progress[0]?.value.kind, progress.at(-1)?.value.kind], ['begin', 'end']);
    assert.ok(progress.every((p) => p.token === 'lint-progress'));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lintWorkspace results reach a pull client through workspace/diagnostic', async () => {
  const dir = workspaceWithFiles(3);
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const first = (await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as { items: Array<{ uri: string; kind: string; resultId?: string; items?: unknown[] }> };
    assert.deepEqual(first.items, []);
    await client.executeCommand('racelint.lintWorkspace', [{ progress: false }]);
    const report = (await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as typeof first;
    const orders = report.items.find((i) => i.uri === uriOf(path.join(dir, 'src', 'orders.ts')));
    assert.equal(orders?.kind, 'full');
    assert.equal(orders?.items?.length, 1);
    assert.equal(report.items.length, 6, 'every linted file is reported, clean ones with no items');
    // Asked again with the result ids it has, the client gets "unchanged" reports.
    const again = (await client.connection.sendRequest('workspace/diagnostic', {
      previousResultIds: report.items.map((i) => ({ uri: i.uri, value: i.resultId })),
    })) as typeof first;
    assert.ok(again.items.every((i) => i.kind === 'unchanged'));
    // No server-created progress was asked for.
    assert.ok(!client.serverRequests.some((r) => r.method === 'window/workDoneProgress/create'));
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lintWorkspace stops when cancelled and answers RequestCancelled', async () => {
  const dir = workspaceWithFiles(60);
  const client = await LspClient.start({ folders: [dir], pull: false });
  try {
    const source = new CancellationTokenSource();
    const pending = client.executeCommand('racelint.lintWorkspace', [], source, 'cancel-me');
    // Cancel once the server has started (its progress began), i.e. while it is linting.
    await client.waitFor('the progress to begin', () => (client.notificationsOf('$/progress') as Array<{ value: { kind: string } }>).some((p) => p.value.kind === 'begin'));
    source.cancel();
    await assert.rejects(pending, (err: { code?: number }) => err.code === -32800);
    const linted = [...client.published.keys()].filter((u) => u.includes('generated')).length;
    assert.ok(linted < 60, `stopped early (${linted} of 60 generated files linted)`);
    // The server is still there.
    const result = (await client.executeCommand('racelint.openRuleDoc', ['floating-promise'])) as { url: string };
    assert.match(result.url, /floating-promise/);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
