#!/usr/bin/env node
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write('racelint: the build is missing (dist/cli.js); run `npm install` or `npm run build` first\n');
  process.exit(2);
}
const argv = process.argv.slice(2);
// A `--cache` run on an unchanged tree: the last run's report, if nothing it read changed (see replay.js).
const replayed = require('./replay.js').replay(bundle, argv);
if (replayed !== undefined) {
  process.exitCode = replayed;
} else {
  // Else the cache directory's daemon, if one runs, runs it with the trees it keeps (see daemon-client.js).
  require('./daemon-client.js').askDaemon(bundle, argv).then((answered) => {
    if (answered !== undefined) {
      process.exitCode = answered;
      return;
    }
    // A `--cache` run whose files changed since its last run goes straight to the parse snapshot's
    // process, without evaluating the bundle here (see parse-snapshot-start.js).
    const direct = require('./parse-snapshot-start.js').startFromSnapshot(bundle, argv);
    if (direct !== undefined) {
      process.exitCode = direct;
    } else {
      require('./load-compiled.js')(bundle, { lint: true }).run(argv).then(
        (code) => { process.exitCode = code; },
        (err) => { process.stderr.write(`racelint: internal error: ${err && err.message}\n`); process.exitCode = 2; },
      );
    }
  });
}
