// Runs typescript-eslint's own rule tests for no-floating-promises and no-misused-promises
// through racelint's floating-promise and misused-promise, and reports how often the verdicts
// agree (valid: no finding; invalid: at least one). The test files are read from a checkout or
// snapshot of typescript-eslint given on the command line; nothing of them is stored here.
//
//   node --import tsx bench/conformance/run.ts <typescript-eslint checkout> [--verbose] [--json out.json]
//
// The cases are extracted by evaluating the literal syntax of the `ruleTester.run(...)` tables
// (strings, templates, objects, arrays); the test code itself is never executed. Cases with
// options that differ from the rule's defaults, or marked `skip`, are left out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { Linter } from '../../server/src/core/linter';

const REPO = path.resolve(__dirname, '..', '..');

interface Case {
  rule: string;
  kind: 'valid' | 'invalid';
  index: number;
  line: number;
  code: string;
  jsx: boolean;
  errorLines: number[];
}

const SUITES = [
  {
    eslintRule: 'no-floating-promises',
    racelintRule: 'floating-promise',
    defaults: { ignoreVoid: true, ignoreIIFE: false, checkThenables: false, allowForKnownSafeCalls: [], allowForKnownSafePromises: [] } as Record<string, unknown>,
  },
  {
    eslintRule: 'no-misused-promises',
    racelintRule: 'misused-promise',
    defaults: { checksConditionals: true, checksSpreads: true, checksVoidReturn: true } as Record<string, unknown>,
  },
];

const UNKNOWN = Symbol('unknown');

/** Evaluates literal syntax; anything else is UNKNOWN. */
function evaluate(node: ts.Expression): unknown {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return evaluate(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const v = evaluate(span.expression);
      if (typeof v !== 'string' && typeof v !== 'number') return UNKNOWN;
      out += String(v) + span.literal.text;
    }
    return out;
  }
  // noFormat`...` and similar tags only change how the tester formats, not the code.
  if (ts.isTaggedTemplateExpression(node)) return evaluate(node.template);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(node)) {
    const out: unknown[] = [];
    for (const el of node.elements) {
      if (ts.isSpreadElement(el)) return UNKNOWN;
      out.push(evaluate(el));
    }
    return out;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
        out['<unknown>'] = UNKNOWN;
        continue;
      }
      out[p.name.text] = evaluate(p.initializer);
    }
    return out;
  }
  return UNKNOWN;
}

function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function hasDefaultOptions(options: unknown, defaults: Record<string, unknown>): boolean {
  if (options === undefined) return true;
  if (!Array.isArray(options) || containsUnknown(options)) return false;
  if (options.length === 0) return true;
  if (options.length > 1 || !options[0] || typeof options[0] !== 'object') return false;
  for (const [key, value] of Object.entries(options[0] as Record<string, unknown>)) {
    if (!(key in defaults)) return false;
    const d = defaults[key];
    if (deepEqual(value, d)) continue;
    // checksVoidReturn: { arguments: true, ... } is the default spelled out.
    if (d === true && value && typeof value === 'object' && Object.values(value).every((v) => v === true)) continue;
    return false;
  }
  return true;
}

interface Skipped {
  options: number;
  skip: number;
  notLiteral: number;
}

function extractCases(file: string, suite: (typeof SUITES)[number]): { cases: Case[]; skipped: Skipped } {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const cases: Case[] = [];
  const skipped: Skipped = { options: 0, skip: 0, notLiteral: 0 };
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'run' &&
      node.arguments.length === 3 &&
      ts.isObjectLiteralExpression(node.arguments[2])
    ) {
      for (const prop of node.arguments[2].properties) {
        if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name) || !ts.isArrayLiteralExpression(prop.initializer)) continue;
        const kind = prop.name.text;
        if (kind !== 'valid' && kind !== 'invalid') continue;
        prop.initializer.elements.forEach((el, index) => {
          const line = sf.getLineAndCharacterOfPosition(el.getStart(sf)).line + 1;
          const v = evaluate(el);
          let code: unknown;
          let options: unknown;
          let jsx = false;
          let errorLines: number[] = [];
          if (typeof v === 'string') code = v;
          else if (v && typeof v === 'object' && !Array.isArray(v)) {
            const o = v as Record<string, unknown>;
            if (o.skip === true) {
              skipped.skip++;
              return;
            }
            code = o.code;
            options = o.options;
            const lo = o.languageOptions as { parserOptions?: { ecmaFeatures?: { jsx?: boolean } } } | undefined;
            jsx = !!lo?.parserOptions?.ecmaFeatures?.jsx || (typeof o.filename === 'string' && /\.tsx$/.test(o.filename));
            if (Array.isArray(o.errors)) errorLines = o.errors.map((e) => (e && typeof e === 'object' ? Number((e as { line?: number }).line) : NaN)).filter((n) => Number.isFinite(n));
          }
          if (typeof code !== 'string') {
            skipped.notLiteral++;
            return;
          }
          if (!hasDefaultOptions(options, suite.defaults)) {
            skipped.options++;
            return;
          }
          cases.push({ rule: suite.racelintRule, kind, index, line, code, jsx, errorLines });
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { cases, skipped };
}

function findTestFile(root: string, name: string): string {
  const candidates = [path.join(root, 'packages/eslint-plugin/tests/rules', `${name}.test.ts`), path.join(root, `${name}.test.ts`)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`cannot find ${name}.test.ts under ${root}`);
  return found;
}

/** A project shaped like typescript-eslint's test fixtures (tests/fixtures/tsconfig.json). */
function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-conformance-'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          jsx: 'preserve',
          target: 'es2015',
          module: 'commonjs',
          strict: true,
          types: ['node'],
          typeRoots: [path.join(REPO, 'node_modules', '@types')],
          lib: ['es2015', 'es2017', 'esnext'],
          experimentalDecorators: true,
        },
        include: ['file.ts', 'react.tsx'],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'file.ts'), '');
  fs.writeFileSync(path.join(dir, 'react.tsx'), '');
  // Rules not under test stay off whatever the defaults are.
  fs.writeFileSync(path.join(dir, 'racelint.json'), JSON.stringify({ rules: {} }));
  return dir;
}

function main(): void {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const root = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--json');
  if (!root) {
    console.error('usage: node --import tsx bench/conformance/run.ts <typescript-eslint checkout or folder with the .test.ts files> [--verbose] [--json out.json]');
    process.exit(2);
  }
  const dir = makeWorkspace();
  const report: Record<string, unknown> = {};
  let allAgree = 0;
  let allTotal = 0;
  try {
    for (const suite of SUITES) {
      const { cases, skipped } = extractCases(findTestFile(root, suite.eslintRule), suite);
      const linter = new Linter({ cwd: dir, onlyRules: [suite.racelintRule] });
      let agree = 0;
      const counts = { valid: { agree: 0, total: 0 }, invalid: { agree: 0, total: 0 } };
      const disagreements: Array<Record<string, unknown>> = [];
      const started = Date.now();
      let previous: string | undefined;
      let linesChecked = 0;
      let linesSame = 0;
      const lineDiffs: string[] = [];
      for (const c of cases) {
        const file = path.join(dir, c.jsx ? 'react.tsx' : 'file.ts').split(path.sep).join('/');
        if (previous && previous !== file) linter.setFileText(previous, '');
        previous = file;
        linter.setFileText(file, c.code);
        const result = linter.lintFile(file);
        const findings = result.findings.filter((f) => f.ruleId === suite.racelintRule);
        const problems = result.problems.filter((p) => p.kind === 'internal-error' || p.kind === 'parse-error');
        const ok = c.kind === 'valid' ? findings.length === 0 : findings.length > 0;
        if (c.kind === 'invalid' && c.errorLines.length > 0) {
          linesChecked++;
          const ours = [...new Set(findings.map((f) => f.range.start.line + 1))].sort((a, b) => a - b);
          const theirs = [...new Set(c.errorLines)].sort((a, b) => a - b);
          if (JSON.stringify(ours) === JSON.stringify(theirs)) linesSame++;
          else lineDiffs.push(`test line ${c.line}: expected lines ${theirs.join(',')}, racelint ${ours.join(',') || 'none'}`);
        }
        counts[c.kind].total++;
        if (ok) {
          agree++;
          counts[c.kind].agree++;
        } else {
          disagreements.push({
            kind: c.kind,
            testFileLine: c.line,
            expectedLines: c.errorLines,
            found: findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
            problems: problems.map((p) => p.message),
            code: c.code,
          });
        }
      }
      const ms = Date.now() - started;
      allAgree += agree;
      allTotal += cases.length;
      const pct = cases.length ? ((100 * agree) / cases.length).toFixed(1) : 'n/a';
      console.log(
        `${suite.eslintRule} -> ${suite.racelintRule}: ${agree}/${cases.length} agree (${pct}%); valid ${counts.valid.agree}/${counts.valid.total}, invalid ${counts.invalid.agree}/${counts.invalid.total}; left out: ${skipped.options} with non-default options, ${skipped.skip} marked skip, ${skipped.notLiteral} not literal; ${ms} ms`,
      );
      console.log(`  invalid cases whose reported lines are exactly the expected ones: ${linesSame}/${linesChecked}`);
      if (verbose) for (const l of lineDiffs) console.log(`    ${l}`);
      for (const d of disagreements) {
        console.log(`  - ${d.kind} case at test line ${d.testFileLine}: ${d.kind === 'valid' ? 'racelint reports ' + JSON.stringify(d.found) : 'racelint reports nothing'}${(d.problems as string[]).length ? ' (problems: ' + (d.problems as string[]).join('; ') + ')' : ''}`);
        if (verbose) console.log((d.code as string).replace(/^/gm, '      | '));
      }
      report[suite.racelintRule] = { agree, total: cases.length, skipped, counts, disagreements };
    }
    console.log(`overall: ${allAgree}/${allTotal} agree (${((100 * allAgree) / Math.max(1, allTotal)).toFixed(1)}%)`);
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 2));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
