// Builds the bundles: the CLI, the language server and the VS Code client.
//   node esbuild.mjs               development build (source maps beside the bundles)
//   node esbuild.mjs --production  minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch
//   node esbuild.mjs --production --outdir DIR   (the benchmark's build; the repository's dist/ is left alone)
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : 'dist';
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  // The standard library's declaration files are read from dist/lib/ (server/src/core/standardLibrary.ts).
  define: { __RACELINT_VERSION__: JSON.stringify(version), __RACELINT_LIB_DIR__: JSON.stringify('lib') },
  // Only TypeScript's optional dependencies that are never loaded at run time.
  external: ['vscode', 'source-map-support'],
  // racelint uses only ts-morph's `ts` (see server/src/core/typescript.ts): 0.5 MB less to load.
  alias: { 'ts-morph': './server/src/core/typescript.ts' },
};

const builds = [
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir },
  { ...common, entryPoints: { server: 'server/src/lsp/server.ts' }, outdir },
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir },
];

// The standard library, as ts-morph ships it (comment-free), one file each, beside the bundles.
const { getLibFiles } = createRequire(import.meta.url)('@ts-morph/common');
mkdirSync(join(outdir, 'lib'), { recursive: true });
for (const { fileName, text } of getLibFiles()) writeFileSync(join(outdir, 'lib', fileName), text);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
