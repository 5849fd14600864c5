// The TypeScript compiler API racelint runs on: the copy that ts-morph bundles. Source files
// import `ts` from 'ts-morph'; the bundles resolve 'ts-morph' to this module (esbuild alias), so
// they carry TypeScript without ts-morph's wrapper layer, which racelint does not use.
//
// TypeScript is loaded from @ts-morph/common's own copy rather than through its main module,
// which also holds the standard library's texts as string literals (2.9 MB): the bundles read
// those from files instead (standardLibrary.ts).
//
// ts-morph hands out TypeScript as a namespace object whose every member is a getter, and the
// bundler's CommonJS interop adds another: each `ts.isIdentifier(...)` in a rule cost two
// function calls, 8% of a run's CPU on theia-core. A plain copy, made once, costs nothing per use.
import type { ts as TypeScriptNamespace } from '@ts-morph/common';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const namespace = require('@ts-morph/common/dist/typescript.js') as typeof TypeScriptNamespace;

export const ts: typeof TypeScriptNamespace = { ...namespace };
