// Integration tests in a real VS Code, with the extension loaded from the source tree (dist/).
const vscode = require('vscode');
const h = require('./harness');

const tests = [
  ['the extension activates and the server starts', async () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    h.assert.ok(ext, `extension ${h.EXTENSION_ID} is installed`);
    await h.open('src/floating.ts');
    const api = await ext.activate();
    await api.whenReady();
    h.assert.ok(api.serverRunning, 'server running');
    await h.waitFor('the status item to say ready', () => api.statusText === 'racelint: ready');
  }],
];

exports.run = () => h.runTests(tests);
