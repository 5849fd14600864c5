// expo/json-file PR #2 "Atomic writes and lockfiles" (reduction, fixed)
const fsp = require('mz/fs');
const util = require('util');
const writeFileAtomic = require('write-file-atomic');
const lockFile = require('lockfile');

const writeFileAtomicAsync = util.promisify(writeFileAtomic);
const lockAsync = util.promisify(lockFile.lock);
const unlockAsync = util.promisify(lockFile.unlock);

const DEFAULT_OPTIONS = { space: 2, lockOptions: { wait: 5000, stale: 10000 } };

class JsonFile {
  constructor(file, options) {
    this.file = file;
    this.options = Object.assign({}, DEFAULT_OPTIONS, options);
  }

  async readAsync() {
    const json = await fsp.readFile(this.file, 'utf8');
    return JSON.parse(json);
  }

  async writeAsync(object) {
    const json = JSON.stringify(object, null, this.options.space) + '\n';
    await writeFileAtomicAsync(this.file, json);
    return object;
  }

  // The read and the write happen while this process holds `${file}.lock`.
  async setAsync(key, value) {
    const lockPath = `${this.file}.lock`;
    await lockAsync(lockPath, this.options.lockOptions);
    try {
      const object = await this.readAsync();
      object[key] = value;
      return await this.writeAsync(object);
    } finally {
      await unlockAsync(lockPath);
    }
  }
}

module.exports = JsonFile;
