// Mapping the `racelint.*` settings to what the server receives (client/src/settingsModel.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, RESTRICTED_SETTINGS, resolveConfigFile, toServerSettings } from '../../client/src/settingsModel';

const folder = path.resolve('/work/project');

test('missing or malformed settings fall back to the defaults', () => {
  assert.deepEqual(toServerSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(toServerSettings({ enable: 'yes', run: 'always', rules: ['x'], trace: 'verbose' }), DEFAULT_SETTINGS);
});

test('valid settings pass through', () => {
  const s = toServerSettings({
    enable: false,
    run: 'onSave',
    rules: { 'check-then-act': 'off', 'lost-update': ['error', {}] },
    trace: { server: 'verbose' },
  });
  assert.equal(s.enable, false);
  assert.equal(s.run, 'onSave');
  assert.deepEqual(s.rules, { 'check-then-act': 'off', 'lost-update': ['error', {}] });
  assert.equal(s.trace.server, 'verbose');
});

test('configFile is made absolute against the workspace folder', () => {
  assert.equal(resolveConfigFile('config/racelint.json', { workspaceFolder: folder }), path.join(folder, 'config/racelint.json'));
  assert.equal(resolveConfigFile('${workspaceFolder}/a/../racelint.json', { workspaceFolder: folder }), path.join(folder, 'racelint.json'));
  assert.equal(resolveConfigFile('~/racelint.json', { homeDir: '/home/me' }), path.join('/home/me', 'racelint.json'));
  assert.equal(resolveConfigFile(path.resolve('/etc/racelint.json'), {}), path.resolve('/etc/racelint.json'));
});

test('a configFile that cannot be anchored is dropped, not resolved against the cwd', () => {
  assert.equal(resolveConfigFile('racelint.json', {}), null);
  assert.equal(resolveConfigFile('${workspaceFolder}/racelint.json', {}), null);
  assert.equal(resolveConfigFile('   ', { workspaceFolder: folder }), null);
  assert.equal(resolveConfigFile(42, { workspaceFolder: folder }), null);
  assert.equal(toServerSettings({ configFile: 'x.json' }, { workspaceFolder: folder }).configFile, path.join(folder, 'x.json'));
});

test('the manifest declares every mapped setting, and restricts the same ones in untrusted workspaces', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const declared = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(declared, ['racelint.configFile', 'racelint.enable', 'racelint.rules', 'racelint.run', 'racelint.trace.server']);
  for (const key of declared) assert.ok(manifest.contributes.configuration.properties[key].description ?? manifest.contributes.configuration.properties[key].markdownDescription, `${key} has a description`);
  const trust = manifest.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.deepEqual(trust.restrictedConfigurations, [...RESTRICTED_SETTINGS]);
  assert.equal(manifest.contributes.configuration.properties['racelint.run'].default, DEFAULT_SETTINGS.run);
  assert.equal(manifest.contributes.configuration.properties['racelint.enable'].default, DEFAULT_SETTINGS.enable);
});
