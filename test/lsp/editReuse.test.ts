// What the language server reuses between edits of one file: the type checker of the previous
// program is carried over to the next one when only that file changed and nothing the rest of the
// program sees of it (see FileSet.checkerFor in server/src/core/programHost.ts). Every result must
// equal what a fresh linter says about the same texts, and the checker must not be carried where
// it would see the old text: import cycles, global declarations, a dependency that changed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { FileResult } from '../../server/src/core/findings';
import { Linter } from '../../server/src/core/linter';
import { normalizePath } from '../../server/src/core/project';
import { copyFixture, LspClient } from './lspClient';

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022'], types: [], noEmit: true }, include: ['src'] });

function project(files: Record<string, string>): string {
  const dir = normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-edit-reuse-')));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "edit-reuse", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), TSCONFIG);
  fs.mkdirSync(path.join(dir, 'src'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'src', name), text);
  return dir;
}

/** A linter as the server drives one: buffers pushed in with setFileText, lint after each. */
class Editor {
  readonly linter: Linter;
  constructor(readonly dir: string) {
    this.linter = new Linter({ cwd: dir });
  }
  file(name: string): string {
    return normalizePath(path.join(this.dir, 'src', name));
  }
  edit(name: string, text: string): void {
    this.linter.setFileText(this.file(name), text);
  }
  lint(name: string): FileResult {
    return this.linter.lintFile(this.file(name));
  }
  carriedFor(): string | undefined {
    const loaded = this.linter.projects.loadedProjectOf(this.file('a.ts'));
    return loaded?.project.carriedCheckerFile;
  }
}

/** What a linter that never saw the earlier texts says about these ones (written to disk). */
function freshLint(texts: Record<string, string>, name: string): FileResult {
  const dir = project(texts);
  try {
    return new Linter({ cwd: dir }).lintFile(path.join(dir, 'src', name));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (r: FileResult) => ({
  findings: r.findings.map((f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message} ${JSON.stringify(f.fixes)} ${JSON.stringify(f.suggestions)}`),
  problems: r.problems.map((p) => `${p.kind} ${p.message}`),
});

const STORE = `export class Store {
  private items = new Map<string, number>();
  async get(id: string): Promise<number> {
    return this.items.get(id) ?? 0;
  }
  async put(id: string, n: number): Promise<void> {
    this.items.set(id, n);
  }
}
export function sync(id: string): string {
  return id;
}
`;

const A = `import { Store, sync } from './store';

let total = 0;
const store = new Store();

export async function add(id: string): Promise<void> {
  sync(id);
  total = total + (await store.get(id));
}
`;

test('successive edits of one file lint with the carried checker and equal a fresh lint of each text', () => {
  const dir = project({ 'store.ts': STORE, 'a.ts': A });
  try {
    const editor = new Editor(dir);
    editor.lint('a.ts');
    const texts = [
      // a floating promise inside a body
      A.replace('  sync(id);\n', '  sync(id);\n  store.put(id, 1);\n'),
      // handled again
      A.replace('  sync(id);\n', '  sync(id);\n  void store.put(id, 1);\n'),
      // a new export and a new declaration
      `${A}\nexport const edited = 1;\nexport async function more(): Promise<void> {\n  store.get('x');\n}\n`,
      // a parse error, then valid again
      A.replace('sync(id);', 'sync(id;'),
      A.replace('  sync(id);\n', '  Promise.resolve(sync(id));\n'),
    ];
    let carried = 0;
    for (const text of texts) {
      editor.edit('a.ts', text);
      const result = editor.lint('a.ts');
      if (editor.carriedFor() === editor.file('a.ts')) carried++;
      assert.deepEqual(summary(result), summary(freshLint({ 'store.ts': STORE, 'a.ts': text }, 'a.ts')), text);
    }
    // Without this the test would not be testing the carried checker at all.
    assert.ok(carried >= 3, `the checker was carried over for ${carried} of ${texts.length} edits`);
    assert.equal(summary(editor.lint('a.ts')).findings.filter((f) => f.startsWith('floating-promise')).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a dependency that changed between two edits is seen: its function turning async makes the call floating', () => {
  const dir = project({ 'store.ts': STORE, 'a.ts': A });
  try {
    const editor = new Editor(dir);
    editor.lint('a.ts');
    editor.edit('a.ts', `${A}// one\n`);
    editor.lint('a.ts');
    editor.edit('a.ts', `${A}// two\n`);
    editor.lint('a.ts');
    assert.equal(editor.carriedFor(), editor.file('a.ts'));
    const asyncStore = STORE.replace('export function sync(id: string): string {', 'export async function sync(id: string): Promise<string> {');
    // The importer is re-linted after its dependency changed, with no edit of its own...
    editor.edit('store.ts', asyncStore);
    const relinted = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined, 'the carried checker saw the old store.ts');
    assert.deepEqual(summary(relinted), summary(freshLint({ 'store.ts': asyncStore, 'a.ts': `${A}// two\n` }, 'a.ts')));
    assert.ok(summary(relinted).findings.some((f) => f.startsWith('floating-promise 6:')), JSON.stringify(summary(relinted)));
    // ... or both change before the next lint.
    editor.edit('store.ts', STORE);
    editor.edit('a.ts', `${A}// three\n`);
    const both = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined);
    assert.deepEqual(summary(both), summary(freshLint({ 'store.ts': STORE, 'a.ts': `${A}// three\n` }, 'a.ts')));
    editor.edit('store.ts', asyncStore);
    editor.edit('a.ts', `${A}// three and a half\n`);
    const result = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined);
    assert.ok(summary(result).findings.some((f) => f.startsWith('floating-promise 6:')), JSON.stringify(summary(result)));
    // Edits after that carry the new checker, which knows the new store.ts.
    editor.edit('a.ts', `${A}// four\n`);
    const next = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), editor.file('a.ts'));
    assert.ok(summary(next).findings.some((f) => f.startsWith('floating-promise 6:')), JSON.stringify(summary(next)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an import cycle through the edited file is never carried: the other side sees the new export', () => {
  // b.ts wraps a function of a.ts, and a.ts calls the wrapper: when a.ts makes its function
  // async, b's wrapper returns a promise, and the call in a.ts floats.
  const a = `import { wrapped } from './b';

export function work(): number {
  return 1;
}

export function run(): void {
  wrapped();
}
`;
  const b = `import { work } from './a';

export const wrapped = () => work();
`;
  const dir = project({ 'a.ts': a, 'b.ts': b });
  try {
    const editor = new Editor(dir);
    assert.deepEqual(summary(editor.lint('a.ts')).findings, []);
    editor.edit('a.ts', `${a}// edited\n`);
    editor.lint('a.ts');
    const asyncA = a.replace('export function work(): number {', 'export async function work(): Promise<number> {');
    editor.edit('a.ts', asyncA);
    const result = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined);
    assert.deepEqual(summary(result), summary(freshLint({ 'a.ts': asyncA, 'b.ts': b }, 'a.ts')));
    assert.ok(summary(result).findings.some((f) => f.startsWith('floating-promise 7:')), JSON.stringify(summary(result)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an edit that declares something global, or changes the imports, is not carried', () => {
  const dir = project({ 'store.ts': STORE, 'a.ts': A });
  try {
    const editor = new Editor(dir);
    editor.lint('a.ts');
    editor.edit('a.ts', `${A}// plain\n`);
    editor.lint('a.ts');
    assert.equal(editor.carriedFor(), editor.file('a.ts'));
    const globalText = `${A}declare global {\n  function racelintGlobal(): Promise<void>;\n}\nexport function useIt(): void {\n  racelintGlobal();\n}\n`;
    editor.edit('a.ts', globalText);
    const result = editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined, 'a global declaration must be merged by a new checker');
    assert.deepEqual(summary(result), summary(freshLint({ 'store.ts': STORE, 'a.ts': globalText }, 'a.ts')));
    assert.ok(summary(result).findings.some((f) => f.startsWith('floating-promise')), JSON.stringify(summary(result)));
    const moreImports = `import { readFile } from './files';\n${A}`;
    editor.edit('a.ts', `${A}// plain again\n`);
    editor.lint('a.ts');
    editor.edit('a.ts', moreImports);
    editor.lint('a.ts');
    assert.equal(editor.carriedFor(), undefined, 'a changed import list needs a new checker');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('through the server: edits of an open file, of the file it imports, then of it again, end where a fresh server starts', async () => {
  const dir = copyFixture('basic');
  const fresh = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  let other: LspClient | undefined;
  try {
    const cart = client.open(path.join(dir, 'src', 'cart.ts'));
    const api = client.open(path.join(dir, 'src', 'api.ts'));
    await client.pull(cart);
    await client.pull(api);
    // Edits of cart.ts alone: its checker is carried from one to the next.
    for (let i = 0; i < 4; i++) {
      client.change(cart, `${client.text(cart)}// edit ${i}\n`);
      const report = await client.pull(cart);
      assert.deepEqual(report.kind === 'full' ? report.items.filter((d) => d.code === 'floating-promise') : [], []);
    }
    // The function it calls turns async: cart.ts is re-linted with a checker that sees it...
    client.edit(api, 'export function checkout(id: string): string {\n  return `order-${id}`;', 'export async function checkout(id: string): Promise<string> {\n  return `order-${id}`;');
    await client.pull(api);
    await client.pullUntil(cart, 'the call site floating', (d) => d.filter((x) => x.code === 'floating-promise').length === 1);
    // ... and so is the next edit of cart.ts.
    client.edit(cart, '  checkout(id);\n', '  checkout(id);\n  checkout(`${id}-again`);\n');
    const final = await client.pullUntil(cart, 'both calls floating', (d) => d.filter((x) => x.code === 'floating-promise').length === 2);
    fs.writeFileSync(path.join(fresh, 'src', 'cart.ts'), client.text(cart));
    fs.writeFileSync(path.join(fresh, 'src', 'api.ts'), client.text(api));
    other = await LspClient.start({ folders: [fresh], pull: true });
    const freshCart = other.open(path.join(fresh, 'src', 'cart.ts'));
    const expected = await other.pull(freshCart);
    assert.deepEqual(
      final.map((d) => `${d.code} ${JSON.stringify(d.range)} ${d.message}`),
      (expected.kind === 'full' ? expected.items : []).map((d) => `${d.code} ${JSON.stringify(d.range)} ${d.message}`),
    );
  } finally {
    await client.stop();
    await other?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(fresh, { recursive: true, force: true });
  }
});

test('through the server: an import added by an edit makes the file an importer at once (the import graph is not kept past it)', async () => {
  const dir = copyFixture('basic');
  const client = await LspClient.start({ folders: [dir], pull: true });
  const floatingLines = (d: Diagnostic[]) => d.filter((x) => x.code === 'floating-promise').map((x) => x.range.start.line);
  try {
    const cart = client.open(path.join(dir, 'src', 'cart.ts'));
    const orders = client.open(path.join(dir, 'src', 'orders.ts'));
    await client.pull(cart);
    await client.pull(orders);
    // An edit of orders.ts while cart.ts (which does not import it) is open: the server works out
    // the importers of orders.ts, and there are none.
    client.change(orders, `${client.text(orders)}// edited\n`);
    await client.pull(orders);
    // cart.ts starts importing orders.ts...
    client.edit(cart, "import { checkout } from './api';\n", "import { checkout } from './api';\nimport { refresh } from './orders';\n");
    client.edit(cart, '  checkout(id);\n', '  checkout(id);\n  refresh(id);\n');
    assert.deepEqual(floatingLines(await client.pullUntil(cart, 'cart.ts linted', () => true)), []);
    // ... so when refresh turns async, cart.ts is re-linted and its call floats.
    client.edit(orders, 'export function refresh(item: string): void {', 'export async function refresh(item: string): Promise<void> {');
    await client.pull(orders);
    assert.deepEqual(floatingLines(await client.pullUntil(cart, 'the new call floating', (d) => floatingLines(d).length === 1)), [5]);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
