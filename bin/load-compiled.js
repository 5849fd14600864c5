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
const v8 = require('node:v8');

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  return base ? path.join(base, 'racelint', 'v8') : undefined;
}

/**
 * V8's interrupt budget for a lint, or undefined to leave V8's default. V8 compiles a function with
 * its optimizing compiler (TurboFan, on helper threads) once it has run its interrupt budget of
 * bytecode; node 20's V8 11.3 has 66 KB, which suits pages and servers. A lint runs TypeScript's
 * checker, a big body of code, for seconds to minutes, and TurboFan compiled hundreds of its
 * functions that ran a little past the budget: on theia-core the compile threads took about a
 * third of the process's CPU, and eight times the budget halved that with the main thread no
 * slower (bench/README.md, "V8's optimizing compiler"). It is set here, before the bundle is
 * compiled, because the flag is part of the hash V8 checks a code cache against: set later, the
 * cache written at the end of a run (under the new hash) was rejected by the next run's compile
 * (under the old one), every run. Only on V8 11 and older (later versions tier up through Maglev,
 * with budgets of their own, not measured), never over the user's own choice of the flag, and
 * not while building a snapshot (V8 starts from one only with the builder's flags).
 */
function lintBudget() {
  const v8Major = Number(process.versions.v8.split('.')[0]);
  const given = [...process.execArgv, process.env.NODE_OPTIONS || ''].some((a) => /--interrupt[-_]budget\b/.test(a));
  if (v8Major > 11 || given || (v8.startupSnapshot && v8.startupSnapshot.isBuildingSnapshot())) return undefined;
  return 8 * 66 * 1024;
}

/**
 * `options.lint`: the bundle runs a lint (the CLI), and gets V8's interrupt budget for one
 * (`lintBudget`).
 */
module.exports = function loadCompiled(file, options = {}) {
  const budget = options.lint ? lintBudget() : undefined;
  if (budget !== undefined) v8.setFlagsFromString(`--interrupt-budget=${budget}`);
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
    // The budget is part of V8's flag hash: its code is cached apart from code compiled without it.
    prefix = `${path.basename(file, '.js')}-${hash(`${file}\0${process.version}\0${process.arch}${budget === undefined ? '' : `\0${budget}`}`)}-`;
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
