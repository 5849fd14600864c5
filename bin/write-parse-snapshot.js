'use strict';
// Writes a parse snapshot for a `--cache` run (see server/src/cli/parseSnapshot.ts). Two roles:
//
//   node write-parse-snapshot.js <job>
//     the writer, started by the run (detached, or waited for) with a JSON job (the snapshot's
//     path, the manifest, the lock, the bundle, the prefix of snapshot files, the environment
//     variable that names the manifest to the bundle, node's flags): runs the builder below into
//     a temporary file, moves it into place, removes older snapshots, the manifest and the lock.
//
//   node <flags> --snapshot-blob <tmp> --build-snapshot write-parse-snapshot.js
//     the builder: such an entry may require only node's own modules and runs without `module`,
//     so it evaluates the CLI bundle in a CommonJS wrapper of its own; the bundle sees that it is
//     building a snapshot, prepares the trees and sets the function the snapshot starts with.
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

/** The bundle to evaluate, from the writer to the builder. */
const BUNDLE_ENV = 'RACELINT_PARSE_SNAPSHOT_BUNDLE';

if (v8.startupSnapshot && v8.startupSnapshot.isBuildingSnapshot()) {
  const bundle = process.env[BUNDLE_ENV];
  const source = fs.readFileSync(bundle, 'utf8');
  const wrapped = require('node:vm').runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle });
  const m = { exports: {} };
  wrapped.call(m.exports, m.exports, require, m, bundle, path.dirname(bundle));
} else {
  const { spawnSync } = require('node:child_process');
  const { blob, manifest, lock, bundle, prefix, manifestEnv, nodeFlags } = JSON.parse(process.argv[2]);
  const tmp = `${blob}.${process.pid}.tmp`;
  let status = 1;
  // A snapshot loads only into a node started with the flags it was built with.
  const build = () =>
    spawnSync(process.execPath, [...nodeFlags, '--snapshot-blob', tmp, '--build-snapshot', __filename], {
      env: { ...process.env, [manifestEnv]: manifest, [BUNDLE_ENV]: bundle },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
  // Node 20's builder now and then writes a snapshot that crashes every node started from it
  // (SIGSEGV), with no error at build time: 5 of 13 theia-core snapshots (150 MB) written by runs
  // in one hour on this project's test machine, none of 8 built by hand from the same manifest.
  // Such a file would cost the next run a crash, its removal and a rewrite, so a snapshot is kept
  // only once a node started from it answers `--version`, and built once more when none does.
  // (RACELINT_PARSE_SNAPSHOT_DAMAGE=1 spoils each build, for the test of this check.)
  const loads = () => {
    if (process.env.RACELINT_PARSE_SNAPSHOT_DAMAGE === '1') fs.writeFileSync(tmp, 'damaged on purpose (a test of this check)');
    const started = spawnSync(process.execPath, [...nodeFlags, '--snapshot-blob', tmp, '--', '--version'], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', timeout: 120_000 });
    return started.status === 0 && /\d/.test(started.stdout || '');
  };
  try {
    let built = build();
    let loadable = built.status === 0 && fs.existsSync(tmp) && loads();
    if (built.status === 0 && !loadable) {
      built = build();
      loadable = built.status === 0 && fs.existsSync(tmp) && loads();
    }
    if (built.status === 0 && !loadable) {
      process.stderr.write('the snapshot builder wrote a snapshot node cannot start from, twice\n');
    } else if (built.status === 0 && fs.existsSync(tmp)) {
      fs.renameSync(tmp, blob);
      const dir = path.dirname(blob);
      for (const name of fs.readdirSync(dir)) {
        const other = path.join(dir, name);
        // Older snapshots (another node or bundle), and the temporary files and manifests of writers that died.
        if (name.startsWith(prefix) && name.endsWith('.blob') && other !== blob) fs.rmSync(other, { force: true });
        if (name.startsWith(prefix) && /\.(tmp|json)$/.test(name) && other !== manifest && Date.now() - fs.statSync(other).mtimeMs > 600_000) fs.rmSync(other, { force: true });
      }
      status = 0;
    } else {
      // Node's warnings that its snapshot support is experimental are not the reason.
      const said = (built.stderr || '').split('\n').filter((l) => l && !/^\(node:\d+\) Warning|verified|issue tracker|trace-warnings|may still work/.test(l));
      process.stderr.write(`the snapshot builder failed (${built.error ? built.error.message : `exit ${built.status ?? built.signal}`})${said.length ? `: ${said.slice(-3).join(' ')}` : ''}\n`);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(manifest, { force: true });
    fs.rmSync(lock, { force: true });
  }
  process.exitCode = status;
}
