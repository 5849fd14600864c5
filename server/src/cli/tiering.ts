// V8's tiering for a command-line lint (imported first by main.ts, so it is set before the
// bundle's other modules run).
//
// V8 compiles a function with its optimizing compiler (TurboFan, on helper threads) once the
// function has run its interrupt budget of bytecode. The default (66 KB in node 20's V8 11.3) suits
// pages and servers; a lint runs TypeScript's checker, a big body of code, for seconds to a minute,
// and TurboFan compiled hundreds of its functions that ran a little longer than the budget: on
// theia-core the compile threads took about a third of the process's CPU. With a budget eight
// times larger they take half as much and the main thread is no slower (apollo-server 6.4 -> 5.0 s
// of CPU, theia-core 29.8 -> 23.1 s on a loaded machine; bench/README.md). Only the budget changes:
// what runs and what it reports are the same. Set on V8 11 and older (node 20) only: later
// versions tier up through Maglev first, with budgets of their own, and were not measured; and
// never over the user's own choice of the flag (NODE_OPTIONS or node's arguments). Not in the
// parse snapshot's builder either: V8 starts from a snapshot only with the flags it was built
// with, and that process runs without TurboFan anyway (bin/parse-snapshot-start.js).
import * as v8 from 'node:v8';

const v8Major = Number(process.versions.v8.split('.')[0]);
const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /--interrupt[-_]budget\b/.test(a));
if (v8Major <= 11 && !given && !v8.startupSnapshot.isBuildingSnapshot()) v8.setFlagsFromString(`--interrupt-budget=${8 * 66 * 1024}`);
