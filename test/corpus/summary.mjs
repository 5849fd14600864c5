// Prints the race-corpus table from the built CLI, the way a user runs racelint:
//   npm run build && node test/corpus/summary.mjs
// It lints bugs/ and safe/ with `racelint -f json --rule <race rules>` and scores the result
// with the same code as corpus.test.ts (corpus.ts, loaded through tsx).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const { loadCorpus, scoreCorpus, formatScore, RACE_RULES } = await tsImport('./corpus.ts', import.meta.url);

const corpus = loadCorpus(here);
const cli = spawnSync(
  process.execPath,
  [path.join(repo, 'bin', 'racelint.js'), '-f', 'json', ...RACE_RULES.flatMap((r) => ['--rule', r]), path.join(here, 'bugs'), path.join(here, 'safe')],
  { cwd: here, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (cli.status !== 0 && cli.status !== 1) {
  process.stderr.write(cli.stderr);
  console.error(`racelint exited with ${cli.status}`);
  process.exit(2);
}

/** @type {Map<string, Array<{ ruleId: string, line: number, character: number, message: string }>>} */
const byFile = new Map();
for (const result of JSON.parse(cli.stdout)) {
  const findings = result.messages
    .filter((m) => RACE_RULES.includes(m.ruleId))
    .map((m) => ({ ruleId: m.ruleId, line: m.line - 1, character: m.column - 1, message: m.message }));
  byFile.set(path.resolve(result.filePath), findings);
}

const score = scoreCorpus(corpus, (file) => byFile.get(path.resolve(file)) ?? []);
console.log(`race corpus via the CLI (${corpus.bugs.length} bugs, ${corpus.safe.length} safe files)\n${formatScore(score, corpus.safe.length)}`);
