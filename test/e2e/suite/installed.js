// Runs against the packaged extension: the .vsix installed into a clean VS Code (no development
// path), on a copy of the fixture that has no node_modules. Proves the package is self-contained.
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./harness');

const tests = [
  ['the installed package is the one under test, with no node_modules', async () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    h.assert.ok(ext, `extension ${h.EXTENSION_ID} is installed`);
    h.assert.ok(!ext.extensionPath.startsWith(path.resolve(__dirname, '../../..')), `loaded from ${ext.extensionPath}, not the source tree`);
    h.assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'node_modules')), 'the package ships no node_modules');
    h.assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist/server.js')), 'the package ships the server bundle');
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    h.assert.ok(!fs.existsSync(path.join(folder, 'node_modules')), 'the workspace has no node_modules');
  }],
  ['diagnostics appear', async () => {
    const doc = await h.open('src/floating.ts');
    const [d] = await h.diagnosticsWhere(doc.uri, 'a floating-promise diagnostic', (ds) => ds.some((x) => h.ruleOf(x) === 'floating-promise'));
    h.assert.match(doc.getText(d.range), /save\(value\)/);
  }],
];

exports.run = () => h.runTests(tests);
