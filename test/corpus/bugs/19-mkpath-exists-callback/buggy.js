// jonvuri/mkpath PR #2: mkpath checked whether each directory existed and then created it;
// two parallel mkpath calls both saw "missing" and the second mkdir failed with EEXIST.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * @param {string} dir
 * @param {(err: NodeJS.ErrnoException | null) => void} callback
 */
export function mkpath(dir, callback) {
  dir = path.resolve(dir);
  fs.stat(dir, (statErr) => {
    if (!statErr) return callback(null);
    mkpath(path.dirname(dir), (parentErr) => {
      if (parentErr) return callback(parentErr);
      fs.mkdir(dir, (err) => callback(err));
//    ^ check-then-act
    });
  });
}

/** @param {string[]} files */
export function prepareOutputDirs(files) {
  for (const file of files) mkpath(path.dirname(file), (err) => err && console.error(err));
}
