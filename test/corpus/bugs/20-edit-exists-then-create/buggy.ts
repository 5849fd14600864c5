// esengine/DeepSeek-Reasonix PR #301 (CodeQL js/file-system-race): an edit block checked
// existsSync and, for a missing file, created it with writeFileSync; a concurrent writer that
// created the file in between was silently clobbered.
import * as fs from 'node:fs';

export type EditStatus = 'created' | 'applied' | 'file-missing' | 'not-found';

export async function applyEditBlock(path: string, search: string, replace: string): Promise<EditStatus> {
  if (!fs.existsSync(path)) {
    if (search !== '') return 'file-missing';
    fs.writeFileSync(path, replace);
//  ^ check-then-act
    return 'created';
  }
  const text = fs.readFileSync(path, 'utf8');
  if (!text.includes(search)) return 'not-found';
  fs.writeFileSync(path, text.replace(search, replace));
  return 'applied';
}

export async function applyAll(edits: Array<{ path: string; search: string; replace: string }>): Promise<EditStatus[]> {
  return Promise.all(edits.map((e) => applyEditBlock(e.path, e.search, e.replace)));
}
