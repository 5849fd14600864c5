// jonschlinkert/write PR #16 "Serialize concurrent writes to the same filepath" (reduction, fixed)
'use strict';

const fs = require('fs');
const path = require('path');

const queues = new Map();

function enqueue(destpath, task) {
  const key = path.resolve(destpath);
  const prev = queues.get(key) || Promise.resolve();
  const next = prev.catch(() => {}).then(task);
  queues.set(key, next);
  next.finally(() => {
    if (queues.get(key) === next) queues.delete(key);
  }).catch(() => {});
  return next;
}

const write = (filepath, data, options = {}) => {
  if (typeof filepath !== 'string') {
    return Promise.reject(new TypeError('expected filepath to be a string'));
  }
  return enqueue(filepath, async () => {
    const destpath = options.increment ? await incrementName(filepath) : filepath;
    await fs.promises.mkdir(path.dirname(destpath), { recursive: true });
    await fs.promises.writeFile(destpath, data, options);
    return { path: destpath, data };
  });
};

async function incrementName(filepath) {
  let n = 0;
  let candidate = filepath;
  const ext = path.extname(filepath);
  while (await exists(candidate)) {
    n += 1;
    candidate = filepath.slice(0, filepath.length - ext.length) + ` (${n})` + ext;
  }
  return candidate;
}

function exists(p) {
  return fs.promises.access(p).then(() => true, () => false);
}

module.exports = write;
