// geut/postcss-copy#50: an asset is copied only if stat() says the hashed output file does not
// exist; two CSS files referencing the same image both see "missing" and write the same file
// at once, and one of them inlines a half-written file.
import { stat, writeFile } from 'node:fs/promises';

/** @param {string} dest @param {Buffer} contents */
export async function copyAsset(dest, contents) {
  const exists = await stat(dest).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await writeFile(dest, contents);
//        ^ check-then-act
  }
  return dest;
}

/** @param {Array<{ dest: string, contents: Buffer }>} assets */
export async function copyAll(assets) {
  return Promise.all(assets.map((a) => copyAsset(a.dest, a.contents)));
}
