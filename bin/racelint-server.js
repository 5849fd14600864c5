#!/usr/bin/env node
'use strict';
const path = require('node:path');
try {
  require.resolve(path.join(__dirname, '..', 'dist', 'server.js'));
} catch {
  process.stderr.write('racelint-server: the build is missing (dist/server.js); run `npm install` or `npm run build` first\n');
  process.exit(2);
}
require('../dist/server.js');
