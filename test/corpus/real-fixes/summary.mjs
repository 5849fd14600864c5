// Prints the real-fix suite's table from the built CLI, the way a user runs racelint:
//   npm run build && node test/corpus/real-fixes/summary.mjs
// It lints cases/ with `racelint -f json --rule <race rules>` and scores the result with the same
// code as real-fixes.test.ts (realFixes.ts, loaded through tsx).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const { loadRealFixes, scoreRealFixes, formatRealFixScore } = await tsImport('./realFixes.ts', import.meta.url);
const { RACE_RULES } = await tsImport('../corpus.ts', import.meta.url);

const casesDir = path.join(here, 'cases');
const cases = loadRealFixes(casesDir);
const cli = spawnSync(
  process.execPath,
  [path.join(repo, 'bin', 'racelint.js'), '-f', 'json', ...RACE_RULES.flatMap((r) => ['--rule', r]), casesDir],
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

const score = scoreRealFixes(cases, (file) => byFile.get(path.resolve(file)) ?? []);
console.log(`real-fix suite via the CLI (${cases.length} fixed files, ${score.twins.length} buggy twins)\n${formatRealFixScore(score)}`);
