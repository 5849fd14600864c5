// Fix: create with openSync(path, 'wx'), which fails with EEXIST if the file appeared, instead
// of deciding from an earlier existsSync.
import * as fs from 'node:fs';

export type EditStatus = 'created' | 'applied' | 'file-missing' | 'not-found' | 'error';

export async function applyEditBlock(path: string, search: string, replace: string): Promise<EditStatus> {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (search !== '') return 'file-missing';
    try {
      const fd = fs.openSync(path, 'wx');
      fs.writeSync(fd, replace);
      fs.closeSync(fd);
      return 'created';
    } catch {
      return 'error';
    }
  }
  if (!text.includes(search)) return 'not-found';
  fs.writeFileSync(path, text.replace(search, replace));
  return 'applied';
}

export async function applyAll(edits: Array<{ path: string; search: string; replace: string }>): Promise<EditStatus[]> {
  return Promise.all(edits.map((e) => applyEditBlock(e.path, e.search, e.replace)));
}
