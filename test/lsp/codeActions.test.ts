// Code actions from the built server: suggestions, disable for this line / the file, the rule's
// documentation, removing an unused directive, and source.fixAll. Each edit is applied to the
// client's copy of the document (as an editor would) and the result is linted again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient } from './lspClient';

const floating = (d: Diagnostic[]) => d.filter((x) => x.code === 'floating-promise');

async function withOrders(body: (client: LspClient, uri: string, finding: Diagnostic, dir: string) => Promise<void>): Promise<void> {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const uri = client.open(path.join(dir, 'src', 'orders.ts'));
    const d = await client.pullUntil(uri, 'the floating promise', (d) => floating(d).length === 1);
    await body(client, uri, floating(d)[0], dir);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function byTitle(actions: CodeAction[], pattern: RegExp): CodeAction {
  const a = actions.find((x) => pattern.test(x.title));
  assert.ok(a, `no action matching ${pattern}; got ${JSON.stringify(actions.map((x) => x.title))}`);
  return a;
}

test('a finding offers its suggestions, disable for line and file, and the documentation, in that order', async () => {
  await withOrders(async (client, uri, finding) => {
    const actions = await client.codeActions(uri, finding.range, [finding]);
    const titles = actions.map((a) => a.title);
    const voidIdx = titles.findIndex((t) => /void/.test(t));
    const lineIdx = titles.indexOf('Disable floating-promise for this line');
    const fileIdx = titles.indexOf('Disable floating-promise for the entire file');
    const docIdx = titles.indexOf('Show documentation for floating-promise');
    assert.ok(voidIdx >= 0 && voidIdx < lineIdx && lineIdx < fileIdx && fileIdx < docIdx, JSON.stringify(titles));
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.deepEqual(a.diagnostics?.map((d) => d.code), ['floating-promise']);
    }
    // Suggestions change behaviour: never the preferred (auto-applied) action.
    assert.ok(!actions[voidIdx].isPreferred);
    // Nothing is offered away from the finding.
    const elsewhere = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    assert.deepEqual(elsewhere, []);
  });
});

test('applying the `void` suggestion removes the finding', async () => {
  await withOrders(async (client, uri, finding) => {
    const action = byTitle(await client.codeActions(uri, finding.range, [finding]), /void/);
    assert.ok(client.applyWorkspaceEdit(action.edit!));
    assert.match(client.text(uri), /^ {2}void fetchPrice\(item\);$/m);
    await client.pullUntil(uri, 'no finding after the suggestion', (d) => floating(d).length === 0);
  });
});

test('disable for this line writes a directive that suppresses the finding and is not reported unused', async () => {
  await withOrders(async (client, uri, finding) => {
    const action = byTitle(await client.codeActions(uri, finding.range, [finding]), /for this line/);
    assert.ok(client.applyWorkspaceEdit(action.edit!));
    assert.match(client.text(uri), /\n {2}\/\/ racelint-disable-next-line floating-promise\n {2}fetchPrice\(item\);/);
    const d = await client.pullUntil(uri, 'the finding suppressed', (d) => floating(d).length === 0);
    assert.deepEqual(d, []);
  });
});

test('disable for the entire file writes a file directive at the top', async () => {
  await withOrders(async (client, uri, finding) => {
    const action = byTitle(await client.codeActions(uri, finding.range, [finding]), /entire file/);
    assert.ok(client.applyWorkspaceEdit(action.edit!));
    assert.ok(client.text(uri).startsWith('/* racelint-disable floating-promise */\n'), client.text(uri));
    assert.deepEqual(await client.pullUntil(uri, 'the finding suppressed', (d) => d.length === 0), []);
  });
});

test('show documentation runs racelint.openRuleDoc, which asks the client to open the docs page', async () => {
  await withOrders(async (client, uri, finding) => {
    const action = byTitle(await client.codeActions(uri, finding.range, [finding]), /Show documentation/);
    assert.equal(action.command?.command, 'racelint.openRuleDoc');
    const result = (await client.executeCommand(action.command!.command, action.command!.arguments)) as { url: string };
    assert.match(result.url, /floating-promise\.md$/);
    const shown = client.serverRequests.find((r) => r.method === 'window/showDocument');
    assert.deepEqual(shown?.params, { uri: result.url, external: true });
    await assert.rejects(client.executeCommand('racelint.openRuleDoc', ['no-such-rule']), /needs a rule id/);
  });
});

test('an unused directive offers to remove it, and removing it restores the text', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const file = path.join(dir, 'src', 'cart.ts');
    const original = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, original.replace('  checkout(id);', '  // racelint-disable-next-line floating-promise -- legacy\n  checkout(id);'));
    const d = await client.pullUntil(uri, 'the unused directive', (d) => d.some((x) => x.code === 'unused-directive'));
    const unused = d.find((x) => x.code === 'unused-directive')!;
    const actions = await client.codeActions(uri, unused.range, [unused]);
    const remove = byTitle(actions, /Remove unused racelint directive/);
    assert.equal(remove.isPreferred, true);
    assert.ok(client.applyWorkspaceEdit(remove.edit!));
    assert.equal(client.text(uri), original);
    assert.deepEqual(await client.pullUntil(uri, 'a clean file', (d) => d.length === 0), []);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('source.fixAll.racelint is only offered when asked for, and never applies suggestions', async () => {
  await withOrders(async (client, uri, finding) => {
    const quick = await client.codeActions(uri, finding.range, [finding]);
    assert.ok(!quick.some((a) => a.kind === 'source.fixAll.racelint'));
    // orders.ts has a suggestion (`void`) but no fix: fix-all has nothing to do.
    const fixAll = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.racelint']);
    assert.deepEqual(fixAll, []);
    const result = (await client.executeCommand('racelint.applyFixAll', [{ uri, version: 1 }])) as { applied: boolean; reason?: string };
    assert.deepEqual(result, { applied: false, edits: 0, reason: 'nothing to fix' });
    assert.ok(!client.serverRequests.some((r) => r.method === 'workspace/applyEdit'));
  });
});
