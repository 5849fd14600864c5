// The racelint-directives injection grammar, checked by vscode-tmgrammar-test against the real
// TypeScript/TSX/JavaScript/JSX grammars (from the tm-grammars package): the `// ^^^ scope`
// assertions live in test/grammar/directives.{ts,tsx,js,jsx}.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const require_ = createRequire(join(root, 'package.json'));
const HOSTS = { 'source.ts': 'typescript', 'source.tsx': 'tsx', 'source.js': 'javascript', 'source.js.jsx': 'jsx' };

test('the manifest injects the directive grammar into TypeScript, TSX, JavaScript and JSX', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const grammar = manifest.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'racelint-directives.injection');
  assert.ok(grammar, 'package.json contributes the racelint-directives.injection grammar');
  assert.deepEqual([...grammar.injectTo].sort(), Object.keys(HOSTS).sort());
  const file = JSON.parse(readFileSync(join(root, grammar.path), 'utf8'));
  assert.equal(file.scopeName, grammar.scopeName);
});

test('directive scopes match the assertions in test/grammar', () => {
  const cli = join(dirname(require_.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'unit.js');
  const grammars = Object.values(HOSTS).flatMap((name) => ['-g', require_.resolve(`tm-grammars/grammars/${name}.json`)]);
  // The injection grammar itself comes from package.json's `contributes.grammars`.
  const r = spawnSync(process.execPath, [cli, '--config', 'package.json', '-c', ...grammars, 'test/grammar/directives.*'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `vscode-tmgrammar-test failed:\n${r.stdout}${r.stderr}`);
  // Four files ran: a glob that matched nothing must not pass silently.
  assert.equal((r.stdout.match(/directives\.(ts|tsx|js|jsx)/g) ?? []).length >= 4, true, r.stdout);
});
