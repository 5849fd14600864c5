'use strict';
// racelint's daemon (server/src/cli/daemon.ts), started in the background by a `--cache` run:
//   node <the run's node flags> racelint-daemon.js <job file>
// It loads the CLI bundle named in the job as the launcher does and serves until idle.
const fs = require('node:fs');
const jobFile = process.argv[2];
let bundle;
try {
  bundle = JSON.parse(fs.readFileSync(jobFile, 'utf8')).bundle;
} catch {
  process.exit(0);
}
require('./load-compiled.js')(bundle, { lint: true }).daemonMain(jobFile);
