// Fix: treat EEXIST from mkdir as success (someone else created the directory), so the check
// is only an optimisation and never decides alone.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * @param {string} dir
 * @param {(err: NodeJS.ErrnoException | null) => void} callback
 */
export function mkpath(dir, callback) {
  dir = path.resolve(dir);
  fs.mkdir(dir, (err) => {
    if (!err || err.code === 'EEXIST') return callback(null);
    if (err.code !== 'ENOENT') return callback(err);
    mkpath(path.dirname(dir), (parentErr) => {
      if (parentErr) return callback(parentErr);
      fs.mkdir(dir, (e) => callback(e && e.code !== 'EEXIST' ? e : null));
    });
  });
}

/** @param {string[]} files */
export function prepareOutputDirs(files) {
  for (const file of files) mkpath(path.dirname(file), (err) => err && console.error(err));
}
