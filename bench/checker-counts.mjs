// Counts the type checker's work in a lint: how often its main workers ran (checking an expression,
// visiting a control-flow node, resolving a call, relating two types, instantiating, inferring,
// creating a type). Unlike time these counts do not move with the machine's load, and unlike
// query-profile's type counts they include repeated work (a second question about a node creates no
// type but walks the control flow again), so two builds compare exactly on the same project.
//
//   node bench/checker-counts.mjs <repo with a built dist/> [racelint arguments...]
//   e.g. (in bench/.work/theia/core) node ../../../checker-counts.mjs ../../../.. --rule misused-promise src
//
// The bundle is copied with a counter added at the start of each worker (found by its signature in
// the bundled TypeScript, so a TypeScript upgrade may need the list below updated) and run without
// V8's code cache; the counts are printed on stderr, the report goes to stdout as usual.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const [repo, ...lintArgs] = process.argv.slice(2);
if (!repo) {
  process.stderr.write('usage: node bench/checker-counts.mjs <repo with dist/> [racelint arguments...]\n');
  process.exit(2);
}
const WORKERS = [
  'createType(flags)',
  'checkExpression(node, checkMode, forceTuple)',
  'getTypeAtFlowNode(flow)',
  'resolveCall(node, signatures, candidatesOutArray, checkMode, callChainFlags, headMessage)',
  'checkPropertyAccessExpressionOrQualifiedName(node, left, leftType, right, checkMode, writeOnly)',
  'checkIdentifier(node, checkMode)',
  'isTypeRelatedTo(source, target, relation)',
  'instantiateTypeWithAlias(type, mapper, aliasSymbol, aliasTypeArguments)',
  'inferTypes(inferences, originalSource, originalTarget, priority = 0, contravariant = false)',
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-counts-'));
fs.cpSync(path.join(path.resolve(repo), 'dist'), path.join(dir, 'dist'), { recursive: true });
const bundle = path.join(dir, 'dist', 'cli.js');
let text = fs.readFileSync(bundle, 'utf8');
const names = WORKERS.map((w) => w.slice(0, w.indexOf('(')));
WORKERS.forEach((worker, i) => {
  const needle = `function ${worker} {`;
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`the bundle has no ${needle}`);
  text = text.slice(0, at + needle.length) + ` globalThis.__checkerCounts.${names[i]}++;` + text.slice(at + needle.length);
});
const report = `process.on('exit', () => { const c = globalThis.__checkerCounts; process.stderr.write('checker counts: ' + Object.entries(c).map(([k, v]) => k + ' ' + v).join(', ') + '; sum ' + Object.values(c).reduce((a, b) => a + b, 0) + '\\n'); });`;
fs.writeFileSync(bundle, `globalThis.__checkerCounts = {${names.map((n) => `${n}: 0`).join(', ')}};\n${report}\n${text}`);
const runner = path.join(dir, 'run.js');
fs.writeFileSync(runner, `require(${JSON.stringify(bundle)}).run(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
const run = spawnSync(process.execPath, [runner, ...lintArgs], { stdio: 'inherit' });
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = run.status ?? 1;
