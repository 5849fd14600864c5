// The TypeScript compiler API racelint runs on: the copy that ts-morph bundles. Source files
// import `ts` from 'ts-morph'; the bundles resolve 'ts-morph' to this module (esbuild alias), so
// they carry TypeScript without ts-morph's wrapper layer, which racelint does not use.
export { ts } from '@ts-morph/common';
