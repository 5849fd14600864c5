#!/usr/bin/env node
'use strict';
const path = require('node:path');
try {
  require.resolve(path.join(__dirname, '..', 'dist', 'cli.js'));
} catch {
  process.stderr.write('racelint: the build is missing (dist/cli.js); run `npm install` or `npm run build` first\n');
  process.exit(2);
}
require('./load-compiled.js')(path.join(__dirname, '..', 'dist', 'cli.js')).run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`racelint: internal error: ${err && err.message}\n`); process.exitCode = 2; },
);
