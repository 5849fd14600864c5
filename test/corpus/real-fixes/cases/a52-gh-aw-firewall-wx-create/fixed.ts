// github/gh-aw-firewall issue #838 "eliminate TOCTOU race conditions in ssl-bump.ts" (reduction of
// the fix it tracks): the SSL database files are created with the `wx` flag, and EEXIST means
// another process created them first, which is fine.
import * as fs from 'node:fs';
import * as path from 'node:path';

function createIfMissing(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function initSslDb(sslDbPath: string): Promise<void> {
  await fs.promises.mkdir(path.join(sslDbPath, 'certs'), { recursive: true, mode: 0o700 });
  createIfMissing(path.join(sslDbPath, 'index.txt'), '');
  createIfMissing(path.join(sslDbPath, 'size'), '0\n');
}
