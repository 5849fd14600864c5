// Builds the bundles: the CLI, the language server and the VS Code client.
//   node esbuild.mjs               development build (source maps beside the bundles)
//   node esbuild.mjs --production  minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  define: { __RACELINT_VERSION__: JSON.stringify(version) },
  // Only TypeScript's optional dependencies that are never loaded at run time.
  external: ['vscode', 'source-map-support'],
  // racelint uses only ts-morph's `ts` (see server/src/core/typescript.ts): 0.5 MB less to load.
  alias: { 'ts-morph': './server/src/core/typescript.ts' },
};

const builds = [
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { server: 'server/src/lsp/server.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
