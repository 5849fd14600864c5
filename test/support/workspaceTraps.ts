// A workspace full of code that would run if racelint ever executed anything from a workspace:
// JavaScript configs, tsconfig/jsconfig plugins, package.json scripts, a workspace copy of
// TypeScript and ts-morph, a Yarn PnP loader. Each trap writes a marker file when it runs, so a
// test can lint the workspace and then assert that no marker exists.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './tempDirs';

export interface TrappedWorkspace {
  dir: string;
  /** The markers written so far (names of the traps that ran). */
  sprung(): string[];
  /** Runs one trap directly, to show the traps work (the test would be vacuous otherwise). */
  springForProof(): string;
}

const MARKER_PREFIX = 'RAN-';

export function trappedWorkspace(): TrappedWorkspace {
  const dir = fs.realpathSync(tempDir('racelint-traps-'));
  const trap = (name: string) =>
    `require('fs').writeFileSync(${JSON.stringify(path.join(dir, MARKER_PREFIX + name))}, 'this workspace code ran: ${name}\\n');\nmodule.exports = {};\n`;
  const files: Record<string, string> = {
    'racelint.config.js': trap('racelint.config.js'),
    'racelint.config.cjs': trap('racelint.config.cjs'),
    'racelint.config.mjs': trap('racelint.config.mjs').replace('require(\'fs\')', "(await import('fs'))").replace('module.exports = {};', 'export default {};'),
    '.racelintrc.js': trap('.racelintrc.js'),
    'local-plugin.js': trap('local-plugin.js'),
    '.pnp.cjs': trap('.pnp.cjs'),
    'mark.js': trap('package.json-script'),
    'node_modules/evil-plugin/package.json': '{ "name": "evil-plugin", "main": "index.js" }\n',
    'node_modules/evil-plugin/index.js': trap('tsconfig-plugin'),
    'node_modules/typescript/package.json': '{ "name": "typescript", "version": "99.0.0", "main": "lib/typescript.js" }\n',
    'node_modules/typescript/lib/typescript.js': trap('workspace-typescript'),
    'node_modules/ts-morph/package.json': '{ "name": "ts-morph", "version": "99.0.0", "main": "index.js" }\n',
    'node_modules/ts-morph/index.js': trap('workspace-ts-morph'),
    'package.json': JSON.stringify(
      {
        name: 'trapped',
        private: true,
        scripts: { prepare: 'node mark.js', postinstall: 'node mark.js', pretest: 'node mark.js', lint: 'node mark.js', racelint: 'node mark.js' },
        racelint: { rules: { 'floating-promise': 'error' } },
      },
      null,
      2,
    ),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', types: [], plugins: [{ name: 'evil-plugin' }, { name: './local-plugin.js' }] }, include: ['src'] }, null, 2),
    'scripts/jsconfig.json': JSON.stringify({ compilerOptions: { checkJs: true, plugins: [{ name: 'evil-plugin' }] }, include: ['.'] }),
    'scripts/job.js': 'async function upload() {}\nexport function run() {\n  upload();\n}\n',
    'src/a.ts': "import './side-effect';\nasync function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n",
    'src/side-effect.ts': trap('imported-module').replace(/require\('fs'\)/, "(globalThis as any).require?.('fs')"),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return {
    dir,
    sprung: () => fs.readdirSync(dir).filter((f) => f.startsWith(MARKER_PREFIX)).map((f) => f.slice(MARKER_PREFIX.length)),
    springForProof: () => {
      execFileSync(process.execPath, [path.join(dir, 'node_modules/evil-plugin/index.js')]);
      const sprung = fs.readdirSync(dir).filter((f) => f.startsWith(MARKER_PREFIX));
      for (const f of sprung) fs.rmSync(path.join(dir, f));
      return sprung.join(',');
    },
  };
}
