// Runs a typescript-eslint promise rule (default options) and its racelint counterpart on the same
// TypeScript project and compares them finding for finding:
//   --rule floating (default): no-floating-promises vs floating-promise
//   --rule misused:            no-misused-promises vs misused-promise
//
//   node --import tsx bench/compare-with-typescript-eslint.ts <project dir> [tsconfig.json] [--rule floating|misused] [--json out.json]
//
// Both tools get the same files (the tsconfig's, less declaration files) and the same compiler
// options; eslint-disable comments are ignored, since they would hide the very findings compared.
// A finding is its start position, which the two report the same way; racelint's
// unread-local-promise findings (an extension typescript-eslint does not have) are counted apart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { ts } from 'ts-morph';
import { Linter } from '../server/src/core/linter';

interface Position {
  file: string;
  line: number;
  column: number;
  message: string;
}

function key(p: Position): string {
  return `${p.file}:${p.line}:${p.column}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const ruleAt = args.indexOf('--rule');
  const which = ruleAt >= 0 ? args[ruleAt + 1] : 'floating';
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--json' && args[i - 1] !== '--rule');
  if (positional.length === 0 || (which !== 'floating' && which !== 'misused')) {
    console.error('usage: node --import tsx bench/compare-with-typescript-eslint.ts <project dir> [tsconfig.json] [--rule floating|misused] [--json out.json]');
    process.exit(2);
  }
  const eslintRule = which === 'floating' ? '@typescript-eslint/no-floating-promises' : '@typescript-eslint/no-misused-promises';
  const racelintRule = which === 'floating' ? 'floating-promise' : 'misused-promise';
  const root = path.resolve(positional[0]);
  const tsconfig = path.resolve(root, positional[1] ?? 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const files = parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f) && /\.[cm]?tsx?$/.test(f)).map((f) => path.resolve(f));
  console.log(`project: ${root} (${files.length} files)`);

  // typescript-eslint
  let started = Date.now();
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    // eslint-disable comments would hide exactly the findings being compared.
    allowInlineConfig: false,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
        languageOptions: { parser: tseslint.parser as never, parserOptions: { project: tsconfig, tsconfigRootDir: root } },
        plugins: { '@typescript-eslint': tseslint.plugin as never },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: { [eslintRule]: 'error' },
      },
    ],
  });
  const eslintResults = await eslint.lintFiles(files);
  const eslintMs = Date.now() - started;
  const theirs: Position[] = [];
  const eslintProblems: string[] = [];
  for (const r of eslintResults) {
    for (const m of r.messages) {
      if (m.ruleId === eslintRule) theirs.push({ file: path.relative(root, r.filePath), line: m.line, column: m.column, message: m.message });
      else eslintProblems.push(`${path.relative(root, r.filePath)}:${m.line}: ${m.message}`);
    }
  }

  // racelint
  started = Date.now();
  const linter = new Linter({ cwd: root, tsconfig, onlyRules: [racelintRule] });
  const ours: Position[] = [];
  const racelintProblems: string[] = [];
  for (const f of files) {
    const result = linter.lintFile(f);
    for (const finding of result.findings) {
      ours.push({ file: path.relative(root, f), line: finding.range.start.line + 1, column: finding.range.start.character + 1, message: finding.message });
    }
    for (const p of result.problems) if (p.kind !== 'unused-directive') racelintProblems.push(`${path.relative(root, f)}: ${p.message}`);
  }
  const racelintMs = Date.now() - started;

  const theirKeys = new Set(theirs.map(key));
  const ourKeys = new Set(ours.map(key));
  const isExtension = (p: Position) => which === 'floating' && p.message.includes(' holds ');
  const both = ours.filter((p) => theirKeys.has(key(p)));
  const onlyOurs = ours.filter((p) => !theirKeys.has(key(p)));
  const onlyTheirs = theirs.filter((p) => !ourKeys.has(key(p)));
  const extension = onlyOurs.filter(isExtension);
  const otherOurs = onlyOurs.filter((p) => !isExtension(p));

  const sourceLine = (p: Position) => {
    try {
      return fs.readFileSync(path.join(root, p.file), 'utf8').split(/\r?\n/)[p.line - 1]?.trim() ?? '';
    } catch {
      return '';
    }
  };
  console.log(`typescript-eslint ${eslintRule}: ${theirs.length} findings in ${eslintMs} ms`);
  console.log(`racelint ${racelintRule}: ${ours.length} findings in ${racelintMs} ms (${extension.length} of them unread local promises, racelint's extension)`);
  console.log(`same position: ${both.length}; only typescript-eslint: ${onlyTheirs.length}; only racelint (not the extension): ${otherOurs.length}`);
  for (const p of onlyTheirs) console.log(`  only typescript-eslint ${key(p)}: ${sourceLine(p)}`);
  for (const p of otherOurs) console.log(`  only racelint ${key(p)}: ${sourceLine(p)}`);
  for (const p of extension) console.log(`  extension ${key(p)}: ${sourceLine(p)}`);
  if (eslintProblems.length) console.log(`eslint problems (${eslintProblems.length}):\n  ${eslintProblems.slice(0, 20).join('\n  ')}`);
  if (racelintProblems.length) console.log(`racelint problems (${racelintProblems.length}):\n  ${racelintProblems.slice(0, 20).join('\n  ')}`);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ theirs, ours, onlyTheirs, onlyOurs, eslintMs, racelintMs }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
