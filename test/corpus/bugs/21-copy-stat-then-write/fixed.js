// Fix (the maintainer's suggestion): remember the first write promise per output file and give
// it to every later request for the same file.
import { writeFile } from 'node:fs/promises';

/** @type {Map<string, Promise<string>>} */
const writes = new Map();

/** @param {string} dest @param {Buffer} contents */
export function copyAsset(dest, contents) {
  let pending = writes.get(dest);
  if (!pending) {
    pending = writeFile(dest, contents).then(() => dest);
    writes.set(dest, pending);
  }
  return pending;
}

/** @param {Array<{ dest: string, contents: Buffer }>} assets */
export async function copyAll(assets) {
  return Promise.all(assets.map((a) => copyAsset(a.dest, a.contents)));
}
