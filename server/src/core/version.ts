// racelint's version, inlined by the build (esbuild `define`); read from package.json when the
// sources run directly (tests under tsx).
declare const __RACELINT_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __RACELINT_VERSION__ === 'string') return __RACELINT_VERSION__;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const VERSION: string = readVersion();
