// Integration tests in a real VS Code, with the extension loaded from the source tree (dist/).
// They run in order on a temp copy of test/e2e/fixture; each test leaves the workspace as it found it.
const fs = require('fs');
const vscode = require('vscode');
const h = require('./harness');

let api;
const FLOATING = 'src/floating.ts';
const COUNTER = 'src/counter.ts';
const hasRule = (rule) => (ds) => ds.some((d) => h.ruleOf(d) === rule);
const lacksRule = (rule) => (ds) => !ds.some((d) => h.ruleOf(d) === rule);

/** The code actions VS Code offers for a diagnostic, as the lightbulb would get them. */
async function codeActionsFor(uri, range, kind) {
  return (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
}

async function apply(action) {
  if (action.edit) h.assert.ok(await vscode.workspace.applyEdit(action.edit), `applied ${action.title}`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

async function revert(doc) {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function setSetting(section, key, value) {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

const tests = [
  ['the extension activates and the server starts', async () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    h.assert.ok(ext, `extension ${h.EXTENSION_ID} is installed`);
    await h.open(FLOATING);
    api = await ext.activate();
    await api.whenReady();
    h.assert.ok(api.serverRunning, 'server running');
    await h.waitFor('the status item to say ready', () => api.statusText === 'racelint: ready', 60_000);
  }],

  ['diagnostics appear for a fixture file', async () => {
    const doc = await h.open(FLOATING);
    const ds = await h.diagnosticsWhere(doc.uri, 'a floating-promise diagnostic', hasRule('floating-promise'), 60_000);
    const d = ds.find((x) => h.ruleOf(x) === 'floating-promise');
    h.assert.equal(doc.getText(d.range).trim().replace(/;$/, ''), 'save(value)');
    h.assert.equal(d.range.start.line, 6);
    h.assert.match(d.code.target.toString(), /floating-promise/, 'the rule id links to its docs');
    h.assert.ok(d.message.length > 20, `a message that explains: ${d.message}`);
  }],

  ['an untitled TypeScript buffer is linted too', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: 'async function ping(): Promise<void> {}\nexport function go(): void {\n  ping();\n}\n',
    });
    await vscode.window.showTextDocument(doc);
    const [d] = (await h.diagnosticsWhere(doc.uri, 'a floating-promise diagnostic', hasRule('floating-promise'), 60_000)).filter((x) => h.ruleOf(x) === 'floating-promise');
    h.assert.equal(d.range.start.line, 2);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }],

  ['a quick fix through the code action provider changes the text', async () => {
    const doc = await h.open(FLOATING);
    const [d] = (await h.diagnosticsWhere(doc.uri, 'a floating-promise diagnostic', hasRule('floating-promise'))).filter((x) => h.ruleOf(x) === 'floating-promise');
    const actions = await codeActionsFor(doc.uri, d.range);
    const titles = actions.map((a) => a.title);
    const voidFix = actions.find((a) => /void/.test(a.title) && a.kind && a.kind.value.startsWith('quickfix'));
    h.assert.ok(voidFix, `a \`void\` quick fix among ${JSON.stringify(titles)}`);
    h.assert.ok(titles.some((t) => /disable/i.test(t) && /line/i.test(t)), `a "disable for this line" action among ${JSON.stringify(titles)}`);
    await apply(voidFix);
    await h.waitFor('the edit', () => doc.lineAt(6).text.includes('void save(value);'));
    await h.diagnosticsWhere(doc.uri, 'the diagnostic to go away', lacksRule('floating-promise'));
    await revert(doc);
    await h.diagnosticsWhere(doc.uri, 'the diagnostic to come back after the revert', hasRule('floating-promise'));
  }],

  ['"racelint: Fix all auto-fixable problems" applies the fixes, never the suggestions', async () => {
    const doc = await h.open(COUNTER);
    await h.diagnosticsWhere(doc.uri, 'shared-memory and floating-promise', (ds) => hasRule('shared-memory')(ds) && hasRule('floating-promise')(ds), 60_000);
    await vscode.commands.executeCommand('racelint.fixAll');
    await h.waitFor('the Atomics.add fix', () => doc.getText().includes('Atomics.add(counts, 0, 1);'));
    h.assert.ok(!doc.getText().includes('counts[0] += 1'), 'the plain read-modify-write is gone');
    h.assert.ok(!doc.getText().includes('void flushLater'), 'the floating promise is a suggestion: not applied');
    await h.diagnosticsWhere(doc.uri, 'only floating-promise left', (ds) => lacksRule('shared-memory')(ds) && hasRule('floating-promise')(ds));
    await revert(doc);
  }],

  ['editor.codeActionsOnSave with source.fixAll.racelint fixes on save', async () => {
    await setSetting('editor', 'codeActionsOnSave', { 'source.fixAll.racelint': 'explicit' });
    const doc = await h.open(COUNTER);
    const original = doc.getText();
    try {
      await h.diagnosticsWhere(doc.uri, 'shared-memory', hasRule('shared-memory'));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), '// edited\n');
      h.assert.ok(await vscode.workspace.applyEdit(edit));
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await h.waitFor('the save to finish', () => !doc.isDirty);
      h.assert.ok(doc.getText().includes('Atomics.add(counts, 0, 1);'), `fixed on save:\n${doc.getText()}`);
      h.assert.ok(!doc.getText().includes('void flushLater'), 'suggestions are not applied on save');
      await h.diagnosticsWhere(doc.uri, 'shared-memory to be gone', lacksRule('shared-memory'));
    } finally {
      await setSetting('editor', 'codeActionsOnSave', undefined);
      const restore = new vscode.WorkspaceEdit();
      restore.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
      await vscode.workspace.applyEdit(restore);
      await doc.save();
    }
  }],

  ['a settings change turns a rule off, and back on', async () => {
    const doc = await h.open(FLOATING);
    await setSetting('racelint', 'rules', { 'floating-promise': 'off' });
    try {
      await h.diagnosticsWhere(doc.uri, 'floating-promise to be off', lacksRule('floating-promise'));
    } finally {
      await setSetting('racelint', 'rules', undefined);
    }
    await h.diagnosticsWhere(doc.uri, 'floating-promise to be back', hasRule('floating-promise'));
  }],

  ['a broken racelint.json shows in the status item and on the file, and clears when fixed', async () => {
    const config = h.workspaceUri('racelint.json');
    const original = fs.readFileSync(config.fsPath, 'utf8');
    const doc = await h.open(FLOATING);
    try {
      fs.writeFileSync(config.fsPath, '{ "rules": { "no-such-rule": "error" } }\n');
      // Any re-lint picks the change up; an edit makes sure one happens.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), '\n');
      h.assert.ok(await vscode.workspace.applyEdit(edit));
      await h.waitFor('the status item to show the error', () => api.statusText === 'racelint: error');
      await h.diagnosticsWhere(config, 'a diagnostic on racelint.json naming the rule', (ds) => ds.some((d) => /no-such-rule/.test(d.message)));
    } finally {
      fs.writeFileSync(config.fsPath, original);
      await revert(doc);
    }
    await h.waitFor('the status item to be ready again', () => api.statusText === 'racelint: ready');
    await h.diagnosticsWhere(config, 'the racelint.json diagnostic to clear', (ds) => ds.length === 0);
  }],

  ['racelint.json is validated against the contributed schema while editing', async () => {
    const doc = await h.open('racelint.json');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{\n  "rules": { "floating-promise": "maybe" }\n}\n');
    h.assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      // The JSON language service (not racelint, which reads the saved file) flags the value.
      await h.waitFor('a schema diagnostic on the rule level', () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => d.source !== 'racelint' && d.range.start.line === 1 && /off|warn|error|accepted/i.test(d.message)));
    } finally {
      await revert(doc);
    }
  }],

  ['a file with a syntax error does not break the others', async () => {
    const broken = await h.open('src/broken.ts');
    await h.diagnosticsWhere(broken.uri, 'the parse error to be reported', (ds) => ds.length > 0);
    const doc = await h.open(FLOATING);
    // Still linting after the broken file: an edit elsewhere is re-linted.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(7, 0), '  save("again");\n');
    h.assert.ok(await vscode.workspace.applyEdit(edit));
    await h.diagnosticsWhere(doc.uri, 'two floating promises', (ds) => ds.filter((d) => h.ruleOf(d) === 'floating-promise').length === 2);
    await revert(doc);
    await h.diagnosticsWhere(doc.uri, 'one floating promise', (ds) => ds.filter((d) => h.ruleOf(d) === 'floating-promise').length === 1);
    h.assert.ok(api.serverRunning, 'the server is still running');
  }],

  ['"racelint: Lint whole workspace" reports files that were never opened', async () => {
    const unopened = h.workspaceUri('src/unopened.ts');
    h.assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()), 'src/unopened.ts is not open');
    // Nothing lints closed files by itself, so what appears below comes from the command.
    h.assert.equal(h.racelintDiagnostics(unopened).length, 0, 'no diagnostics for src/unopened.ts before the command');
    await vscode.commands.executeCommand('racelint.lintWorkspace');
    await h.diagnosticsWhere(unopened, 'a floating-promise diagnostic from the workspace lint', hasRule('floating-promise'));
  }],

  ['restarting the server brings the diagnostics back', async () => {
    const doc = await h.open(FLOATING);
    await vscode.commands.executeCommand('racelint.restartServer');
    await api.whenReady();
    h.assert.ok(api.serverRunning, 'server running after the restart');
    await h.diagnosticsWhere(doc.uri, 'floating-promise after the restart', hasRule('floating-promise'), 60_000);
    await h.waitFor('the status item to say ready', () => api.statusText === 'racelint: ready');
  }],
];

exports.run = () => h.runTests(tests);
