// github/gh-aw-firewall before issue #838 (buggy twin): existsSync, then writeFileSync; another
// process can create (or replace) the file between the check and the write.
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function initSslDb(sslDbPath: string): Promise<void> {
  await fs.promises.mkdir(path.join(sslDbPath, 'certs'), { recursive: true, mode: 0o700 });
  const indexFile = path.join(sslDbPath, 'index.txt');
  if (!fs.existsSync(indexFile)) {
    fs.writeFileSync(indexFile, '', { mode: 0o600 });
//  ^ check-then-act
  }
  const sizeFile = path.join(sslDbPath, 'size');
  if (!fs.existsSync(sizeFile)) {
    fs.writeFileSync(sizeFile, '0\n', { mode: 0o600 });
  }
}
