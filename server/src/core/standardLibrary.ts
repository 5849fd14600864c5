// The standard library's declaration files (lib.es2022.d.ts, lib.dom.d.ts, ...) that programs
// are built against, as ts-morph ships them: TypeScript's own without their comments, which
// parse faster, so racelint needs no TypeScript install.
//
// In the bundles they are files beside the bundle (dist/lib/, written by esbuild.mjs), each read
// when a program first asks for it. Carried inside the bundle, as ts-morph keeps them, they were
// 2.9 MB of string literals that every run held twice (in the script's source, and as strings
// once V8 compiled the module), though a project reads a handful of them; that was most of
// racelint's peak memory above tsc's on a small project. Run from source (the tests), they come
// from ts-morph's in-memory copy.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Set by esbuild.mjs in the bundles: the directory, beside the bundle, that holds the files. */
declare const __RACELINT_LIB_DIR__: string | undefined;

/** Where programs see the standard library. No such directory exists on disk. */
export const LIB_DIR = '/node_modules/typescript/lib';

const texts = new Map<string, string | undefined>();

/** The text of a standard library file (`${LIB_DIR}/lib.es2022.d.ts`), or undefined if there is none. */
export function libText(file: string): string | undefined {
  if (!file.startsWith(LIB_DIR + '/')) return undefined;
  const name = file.slice(LIB_DIR.length + 1);
  // esbuild drops the branch not taken, and with it ts-morph's copy of the texts, from the bundles.
  if (typeof __RACELINT_LIB_DIR__ === 'string') {
    if (!texts.has(name)) texts.set(name, readBundled(name));
  } else if (!texts.has(name)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const common = require('@ts-morph/common') as typeof import('@ts-morph/common');
    for (const f of common.getLibFiles()) texts.set(f.fileName, f.text);
    if (!texts.has(name)) texts.set(name, undefined);
  }
  return texts.get(name);
}

function readBundled(name: string): string | undefined {
  const dir = path.join(__dirname, __RACELINT_LIB_DIR__ as string);
  if (name.includes('/') || name.includes('\\')) return undefined;
  try {
    return fs.readFileSync(path.join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(path.join(dir, 'lib.es5.d.ts'))) {
      // Without the standard library every global would be an error type and findings would be
      // silently wrong: a broken install must say so.
      throw new Error(`the standard library files are missing from ${dir}; reinstall racelint or run \`npm run build\``);
    }
    return undefined;
  }
}

