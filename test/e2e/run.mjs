// `npm run test:e2e`: racelint's extension in a real VS Code.
//   node test/e2e/run.mjs [integration] [vsix] [ui]      (all three by default)
//
//   integration  the test suite (test/e2e/suite) in VS Code's extension host, extension loaded from dist/
//   vsix         packages racelint-<version>.vsix, installs it into a clean VS Code (no development
//                path) and checks diagnostics on a workspace without node_modules
//   ui           Playwright drives the workbench: squiggle, hover, Ctrl+. quick fix; screenshots in
//                build/screenshots/
//
// Runner: by default the VS Code server + headless Chromium from test/e2e/vscode-e2e (tools installed
// by `bash test/e2e/vscode-e2e/setup.sh`, nothing downloaded at run time). With VSCODE_E2E=electron
// the integration suite runs in a desktop VS Code through @vscode/test-electron instead (that
// downloads VS Code and needs Node >= 22 and a display; the other two parts need the server runner).
// Every run works on a copy of test/e2e/fixture in a temp dir, so the tests may edit and save files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixture = path.join(here, 'fixture');
const parts = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = parts.length ? parts : ['integration', 'vsix', 'ui'];
const unknown = wanted.filter((p) => !['integration', 'vsix', 'ui'].includes(p));
if (unknown.length) {
  console.error(`usage: node test/e2e/run.mjs [integration] [vsix] [ui]   (unknown: ${unknown.join(', ')})`);
  process.exit(2);
}
const electron = process.env.VSCODE_E2E === 'electron';

function copyFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-e2e-workspace-'));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw Object.assign(new Error(`${path.basename(cmd)} ${args.join(' ')} failed`), { code: r.status ?? 1 });
}

async function loadRunner() {
  if (!electron) return import('./vscode-e2e/run-extension-tests.mjs');
  try {
    return await import('@vscode/test-electron');
  } catch {
    throw new Error('VSCODE_E2E=electron needs @vscode/test-electron (npm install -D @vscode/test-electron; it needs Node >= 22)');
  }
}

const results = [];
async function part(name, fn) {
  if (!wanted.includes(name)) return;
  const t0 = Date.now();
  console.log(`\n=== e2e ${name} ===`);
  try {
    await fn();
    results.push([name, 'ok', Date.now() - t0]);
  } catch (e) {
    console.error(`e2e ${name}: ${e.message}`);
    results.push([name, 'FAILED', Date.now() - t0]);
  }
}

// The development build: source maps help when a test fails.
if (wanted.includes('integration') || wanted.includes('ui')) step(process.execPath, ['esbuild.mjs']);

await part('integration', async () => {
  const { runTests } = await loadRunner();
  const workspace = copyFixture();
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(here, 'suite/index.js'),
      launchArgs: [workspace, '--disable-extensions'],
      workspace,
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

await part('vsix', async () => {
  if (electron) throw new Error('the vsix part needs the VS Code server runner (unset VSCODE_E2E)');
  const { runTests } = await import('./vscode-e2e/run-extension-tests.mjs');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-e2e-vsix-'));
  const vsix = path.join(out, 'racelint.vsix');
  const workspace = copyFixture();
  try {
    step(process.execPath, ['scripts/package-vsix.mjs', '--out', vsix]);
    if (fs.existsSync(path.join(workspace, 'node_modules'))) throw new Error('the fixture must not have node_modules');
    await runTests({ vsix, extensionTestsPath: path.join(here, 'suite/installed.js'), workspace });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
    // Leave dist/ as a development build for whoever runs the tests next.
    if (wanted.includes('ui')) step(process.execPath, ['esbuild.mjs']);
  }
});

await part('ui', async () => {
  if (electron) throw new Error('the ui part needs the VS Code server runner (unset VSCODE_E2E)');
  const workspace = copyFixture();
  try {
    step(process.execPath, [path.join(here, 'ui.mjs'), '--workspace', workspace]);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

console.log('\n=== e2e summary ===');
for (const [name, status, ms] of results) console.log(`${status.padEnd(6)} ${name} (${(ms / 1000).toFixed(1)} s)`);
process.exit(results.every(([, s]) => s === 'ok') ? 0 : 1);
