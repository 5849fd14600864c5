// Which rule questions make the type checker work, on a cold lint of a whole project (every file
// of the tsconfig, one program, as the CLI runs it). Each outermost checker call a rule makes
// (getTypeAtLocation, getContextualType, getTypeOfSymbolAtLocation, a type's getCallSignatures,
// ...) is attributed to the rule, the method, the kind of node asked about and the three calling
// functions, with the types and instantiations the checker created meanwhile and the time it took.
//
//   node --import tsx bench/query-profile.ts <project dir> [--top N] [--detail REGEX]
//
// The first question about a piece of code pays for everything the checker works out for it, so
// a site at the top is where that work is first needed, not necessarily the one to blame. Types
// and instantiations created are counts that no other load on the machine changes: two versions
// of a rule compare exactly on them (times are wall clock, and inflated by the wrappers).
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { Linter } from '../server/src/core/linter';
import { FileSet } from '../server/src/core/programHost';
import { RULES } from '../server/src/core/rules';

const args = process.argv.slice(2);
const root = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top' && args[i - 1] !== '--detail') ?? '.');
const top = Number(args[args.indexOf('--top') + 1] ?? 30) || 30;
// --detail REGEX: list every question whose site key (as printed) matches, with the types it created.
const detail = args.includes('--detail') ? new RegExp(args[args.indexOf('--detail') + 1]) : undefined;
const details: Array<[number, number, string]> = [];
const tsconfig = path.join(root, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!parsed) throw new Error(`cannot read ${tsconfig}`);
const files = parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f)).map((f) => path.resolve(f));

Error.stackTraceLimit = 20;
let currentRule = '';
for (const rule of RULES) {
  const check = rule.check.bind(rule);
  (rule as { check: typeof rule.check }).check = (ctx) => {
    currentRule = rule.id;
    try {
      check(ctx);
    } finally {
      currentRule = '';
    }
  };
}

interface Site {
  calls: number;
  types: number;
  instantiations: number;
  ms: number;
}
const sites = new Map<string, Site>();
const slowest: Array<[number, string]> = [];
const METHODS = [
  'getTypeAtLocation',
  'getContextualType',
  'getResolvedSignature',
  'getTypeOfSymbolAtLocation',
  'getTypeOfSymbol',
  'getSymbolAtLocation',
  'getApparentType',
  'getReturnTypeOfSignature',
  'getSignaturesOfType',
  'getPropertiesOfType',
  'getAliasedSymbol',
  'getDeclaredTypeOfSymbol',
  'getBaseTypes',
];

type Counting = ts.TypeChecker & { getTypeCount(): number; getInstantiationCount(): number };

/** Replaces the checker's methods in place, before the linter wraps them. */
function instrument(checker: Counting): void {
  let depth = 0;
  for (const method of METHODS) {
    const original = (checker as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
    (checker as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      if (depth > 0) return original.apply(checker, a);
      depth++;
      const types = checker.getTypeCount();
      const instantiations = checker.getInstantiationCount();
      const started = performance.now();
      try {
        return original.apply(checker, a);
      } finally {
        depth--;
        const ms = performance.now() - started;
        // The linter's wrapper and the rules' memo of node types (NodeTypes.of, typeOf) say nothing of who asked.
        const frames = (new Error().stack ?? '').split('\n').slice(2).filter((l) => !/wrapped\.|NodeTypes\.of|Check\.typeOf /.test(l));
        const callers = frames
          .slice(0, 3)
          .map((l) => l.trim().replace(/^at /, '').replace(/ \(.*[\\/]([^\\/]+):(\d+):\d+\)$/, '@$1:$2'))
          .join(' < ');
        const node = a[0] as ts.Node | undefined;
        const kind = node && typeof node.kind === 'number' ? ts.SyntaxKind[node.kind] : '';
        const key = `${currentRule} ${method} ${kind} | ${callers}`;
        const site = sites.get(key) ?? { calls: 0, types: 0, instantiations: 0, ms: 0 };
        site.calls++;
        site.ms += ms;
        site.types += checker.getTypeCount() - types;
        site.instantiations += checker.getInstantiationCount() - instantiations;
        sites.set(key, site);
        if (detail && detail.test(key) && node && typeof node.getSourceFile === 'function') {
          const sf = node.getSourceFile();
          const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
          const from = frames
            .slice(3, 6)
            .map((l) => l.trim().replace(/^at /, '').replace(/ \(.*[\\/]([^\\/]+):(\d+):\d+\)$/, '@$1:$2'))
            .join(' < ');
          details.push([checker.getTypeCount() - types, ms, `${path.relative(root, sf.fileName)}:${line} ${node.getText(sf).slice(0, 100).replace(/\s+/g, ' ')}   [${from}]`]);
        }
        if (ms > 15 && node && typeof node.getSourceFile === 'function') {
          const sf = node.getSourceFile();
          const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
          slowest.push([ms, `${currentRule} ${method} ${path.relative(root, sf.fileName)}:${line} ${node.getText(sf).slice(0, 80).replace(/\s+/g, ' ')}`]);
        }
      }
    };
  }
}

const instrumented = new WeakSet<object>();
const checkers: Counting[] = [];
const buildProgram = FileSet.prototype.program;
FileSet.prototype.program = function (this: FileSet) {
  const program = buildProgram.call(this);
  const getTypeChecker = program.getTypeChecker.bind(program);
  (program as { getTypeChecker: () => ts.TypeChecker }).getTypeChecker = () => {
    const checker = getTypeChecker() as Counting;
    if (!instrumented.has(checker)) {
      instrumented.add(checker);
      checkers.push(checker);
      instrument(checker);
    }
    return checker;
  };
  return program;
};

// No time budget: a rule cut short on a slow file would make the counts depend on the load.
const linter = new Linter({ cwd: root, tsconfig, ruleTimeBudgetMs: Infinity });
linter.projects.lintOnly = new Set(files);
let findings = 0;
const cpu = process.cpuUsage();
for (const f of files) findings += linter.lintFile(f).findings.length;
const used = process.cpuUsage(cpu);
const total = [...sites.values()].reduce((t, s) => ({ types: t.types + s.types, instantiations: t.instantiations + s.instantiations, ms: t.ms + s.ms }), { types: 0, instantiations: 0, ms: 0 });
console.log(`${files.length} files, ${findings} findings, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`);
console.log(`types created by rule questions: ${total.types}, instantiations: ${total.instantiations}, time in them: ${Math.round(total.ms)} ms`);
// Compare with tsc --extendedDiagnostics ("Types:", "Instantiations:") on the same project.
console.log(`types in the checkers at the end: ${checkers.reduce((n, c) => n + c.getTypeCount(), 0)} (${checkers.length} checker(s))\n`);
console.log('     ms    types   instant.  calls  rule method node | callers');
for (const [key, s] of [...sites].sort((a, b) => b[1].types - a[1].types).slice(0, top)) {
  console.log(`${String(Math.round(s.ms)).padStart(7)} ${String(s.types).padStart(8)} ${String(s.instantiations).padStart(10)} ${String(s.calls).padStart(6)}  ${key}`);
}
if (detail) {
  console.log(`\nquestions matching ${detail.source} (types created, ms):`);
  for (const [n, ms, what] of details.sort((a, b) => b[0] - a[0] || b[1] - a[1])) console.log(`${String(n).padStart(7)} ${ms.toFixed(2).padStart(8)}  ${what}`);
}
console.log('\nslowest single questions (ms):');
for (const [ms, what] of slowest.sort((a, b) => b[0] - a[0]).slice(0, top)) console.log(`${String(Math.round(ms)).padStart(7)}  ${what}`);
