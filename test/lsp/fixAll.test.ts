// Fixes from the built server: the preferred quick fix, "fix all <rule> problems in this file",
// source.fixAll.racelint (for codeActionsOnSave) and the racelint.applyFixAll command. Fixes are
// applied, suggestions never; the fixed text is linted again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient } from './lspClient';

const FIXED_RECORD = '    Atomics.add(this.hits, slot, 1);';
const FIXED_MISS = '    Atomics.add(this.hits, slot + 8, 1);';

async function withStats(body: (client: LspClient, uri: string, d: Diagnostic[]) => Promise<void>): Promise<void> {
  const dir = copyFixture('fixes');
  const client = await LspClient.start({ folders: [dir], pull: true });
  try {
    const uri = client.open(path.join(dir, 'src', 'stats.ts'));
    const d = await client.pullUntil(uri, 'two shared-memory findings and a floating promise', (d) => d.filter((x) => x.code === 'shared-memory').length === 2 && d.some((x) => x.code === 'floating-promise'));
    await body(client, uri, d);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a fix is the preferred quick fix; "fix all" of its rule fixes every finding of the rule', async () => {
  await withStats(async (client, uri, d) => {
    const first = d.find((x) => x.code === 'shared-memory')!;
    const actions = await client.codeActions(uri, first.range, [first]);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.match(preferred[0].title, /Atomics\.add/);
    const all = actions.find((a) => a.title === 'Fix all shared-memory problems in this file') as CodeAction;
    assert.ok(all, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(client.applyWorkspaceEdit(all.edit!));
    const text = client.text(uri);
    assert.ok(text.includes(FIXED_RECORD) && text.includes(FIXED_MISS), text);
    const after = await client.pullUntil(uri, 'the shared-memory findings gone', (d) => !d.some((x) => x.code === 'shared-memory'));
    assert.deepEqual(after.map((x) => x.code), ['floating-promise']);
  });
});

test('source.fixAll.racelint applies every fix and no suggestion, as small edits', async () => {
  await withStats(async (client, uri) => {
    const before = client.text(uri);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.racelint']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.racelint');
    const edits = (actions[0].edit!.documentChanges![0] as { edits: unknown[]; textDocument: { version: number } });
    assert.equal(edits.textDocument.version, 1);
    assert.equal(edits.edits.length, 2, 'one edit per changed line, not the whole file');
    assert.ok(client.applyWorkspaceEdit(actions[0].edit!));
    const text = client.text(uri);
    assert.equal(text, before.replace('    this.hits[slot]++;', FIXED_RECORD).replace('    this.hits[slot + 8]++;', FIXED_MISS));
    assert.match(text, /^ {2}refresh\(\);$/m, 'the floating promise only has suggestions: untouched');
    // The server's project was given the buffer's text back: it lints what the editor has.
    const after = await client.pullUntil(uri, 'only the floating promise left', (d) => d.length === 1);
    assert.equal(after[0].code, 'floating-promise');
  });
});

test('racelint.applyFixAll applies the fixes through workspace/applyEdit; a stale version does nothing', async () => {
  await withStats(async (client, uri) => {
    const stale = (await client.executeCommand('racelint.applyFixAll', [{ uri, version: 99 }])) as { applied: boolean };
    assert.equal(stale.applied, false);
    assert.ok(!client.serverRequests.some((r) => r.method === 'workspace/applyEdit'));
    const result = (await client.executeCommand('racelint.applyFixAll', [{ uri, version: 1 }])) as { applied: boolean; edits: number };
    assert.deepEqual(result, { applied: true, edits: 2 });
    const text = client.text(uri);
    assert.ok(text.includes(FIXED_RECORD) && text.includes(FIXED_MISS), text);
    await client.pullUntil(uri, 'only the floating promise left', (d) => d.length === 1 && d[0].code === 'floating-promise');
  });
});
