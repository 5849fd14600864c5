// Temporary directories for tests. Each test file runs in its own process, so removing them when
// that process exits leaves nothing behind in the system's temp folder after `npm test`, even when
// a test fails. Set RACELINT_KEEP_TEMP=1 to keep them for a look after a failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

process.on('exit', () => {
  if (process.env.RACELINT_KEEP_TEMP) return;
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** A new empty directory under the system's temp folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
