'use strict';
// Loads a CommonJS bundle through V8's code cache. dist/cli.js carries TypeScript (14 MB of
// JavaScript); compiling it is most of racelint's start-up (0.3-0.8 s), which is all of a run
// answered from --cache. The compiled code is kept in ~/.cache/racelint/v8 (XDG_CACHE_HOME),
// keyed by the bundle's path, size and mtime and the node version (V8 itself only checks the
// source's length). Writing a new one removes the older ones of the same bundle path, so the cache
// holds one file per installed bundle and node version, not one per build. It is written at the end of the
// first run, and once more after the first run that did real work (a second of CPU), so it holds
// the functions a lint compiled, not only those of `--version`. V8 checks the data against
// the source and ignores it if it does not match; any failure falls back to a plain compile.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const crypto = require('node:crypto');
const Module = require('node:module');

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  return base ? path.join(base, 'racelint', 'v8') : undefined;
}

module.exports = function loadCompiled(file) {
  const dir = cacheDir();
  if (!dir || process.env.RACELINT_NO_CODE_CACHE) return require(file);
  let source;
  let prefix;
  let cacheFile;
  let cachedData;
  try {
    source = fs.readFileSync(file, 'utf8');
    const st = fs.statSync(file);
    const hash = (text) => crypto.createHash('sha1').update(text).digest('hex').slice(0, 12);
    prefix = `${path.basename(file, '.js')}-${hash(`${file}\0${process.version}\0${process.arch}`)}-`;
    cacheFile = path.join(dir, `${prefix}${hash(`${st.size}\0${st.mtimeMs}`)}.bin`);
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  } catch {
    return require(file);
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  const req = (id) => m.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, m, false, options);
  req.cache = Module._cache;
  req.main = process.mainModule;
  Module._cache[file] = m;
  script.runInThisContext().call(m.exports, m.exports, req, m, file, path.dirname(file));
  m.loaded = true;
  const fullMarker = `${cacheFile}.full`;
  const hadFull = !!cachedData && !script.cachedDataRejected && fs.existsSync(fullMarker);
  if (!hadFull) {
    process.once('beforeExit', () => {
      const full = process.cpuUsage().user > 1e6;
      if (cachedData && !script.cachedDataRejected && !full) return;
      try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
        if (full) fs.writeFileSync(fullMarker, '');
        for (const name of fs.readdirSync(dir)) {
          const stale = path.join(dir, name);
          if (name.startsWith(prefix) && stale !== cacheFile && stale !== fullMarker && !name.endsWith('.tmp')) fs.rmSync(stale, { force: true });
        }
      } catch {
        // A read-only home: start-up stays as it was.
      }
    });
  }
  return m.exports;
};
