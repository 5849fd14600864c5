// The first module of the CLI bundle (main.ts imports it before anything else): for a `--cache`
// command, wraps node's fs functions so that a run answered wholly from the cache can leave a
// record the launcher replays (bin/replay.js). It must run before TypeScript's module, which keeps
// some fs functions it looks up when it starts. Not in the parse snapshot's builder: a process
// started from a snapshot lints files, and such a run is never replayed.
import * as v8 from 'node:v8';
import { install } from '../../../bin/replay';

const cacheFlag = (a: string) => a === '--cache' || a === '--cache-location' || a.startsWith('--cache-location=');
if (process.argv.slice(2).some(cacheFlag) && !v8.startupSnapshot?.isBuildingSnapshot?.()) install();
