// bin/load-compiled.js: the V8 code cache that makes start-up cheap. A rebuilt bundle must never
// run the code cached for its previous build (V8 only checks the source's length), and the cache
// keeps one file per bundle, not one per build.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../support/cli';
import { tempDir } from '../support/tempDirs';

test('a rebuilt bundle of the same length runs its new code, and replaces the cache of the old one', () => {
  const dir = tempDir('racelint-code-cache-');
  const cacheHome = path.join(dir, 'cache');
  const bundle = path.join(dir, 'bundle.js');
  const run = (): string => {
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(REPO, 'bin', 'load-compiled.js'))})(${JSON.stringify(bundle)}))`], {
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, RACELINT_NO_CODE_CACHE: '' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const cached = (): string[] => fs.readdirSync(path.join(cacheHome, 'racelint', 'v8')).filter((n) => n.startsWith('bundle-'));

  fs.writeFileSync(bundle, "module.exports = 'first build';\n");
  assert.equal(run(), 'first build');
  assert.equal(run(), 'first build');
  assert.equal(cached().length, 1, `after one build: ${cached().join(', ')}`);

  // Same length, different code, a later mtime: what a rebuild looks like.
  fs.writeFileSync(bundle, "module.exports = 'built again';\n");
  fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
  assert.equal(run(), 'built again');
  assert.equal(run(), 'built again');
  assert.equal(cached().length, 1, `after a rebuild: ${cached().join(', ')}`);
});

test("a lint's interrupt budget is set before the bundle is compiled: its code cache is accepted, not rewritten every run", () => {
  const dir = tempDir('racelint-code-cache-');
  const cacheHome = path.join(dir, 'cache');
  const bundle = path.join(dir, 'bundle.js');
  fs.writeFileSync(bundle, "module.exports = 'linted';\n");
  const run = (lint: boolean): void => {
    const options = lint ? ', { lint: true }' : '';
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(REPO, 'bin', 'load-compiled.js'))})(${JSON.stringify(bundle)}${options}))`], {
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, RACELINT_NO_CODE_CACHE: '' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'linted');
  };
  const dirOf = path.join(cacheHome, 'racelint', 'v8');
  const stamps = (): string[] =>
    fs
      .readdirSync(dirOf)
      .filter((n) => n.endsWith('.bin'))
      .map((n) => `${n}@${fs.statSync(path.join(dirOf, n), { bigint: true }).mtimeNs}`)
      .sort();
  run(true);
  const written = stamps();
  assert.equal(written.length, 1);
  run(true);
  run(true);
  assert.deepEqual(stamps(), written, 'a rejected cache would be written again at the end of the run');
  // Without the budget (another flag hash): a cache of its own, beside it.
  run(false);
  run(false);
  assert.equal(stamps().length, 2);
  assert.ok(stamps().includes(written[0]));
});
