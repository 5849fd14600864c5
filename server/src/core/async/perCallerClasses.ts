// Classes whose instances each caller gets for itself, found across the files the linted file
// imports (a class is usually made in another file than the one that declares it).
//
// A class is per-caller when something makes it, and every `new C(…)` hands a fresh object to
// one caller: returned by an instance method of another object on each call
// (`createQueryRunner() { return new PostgresQueryRunner(this, mode) }`), or a local of one
// function run that is only used through its members (`const runner = new Runner(); await
// runner.run()`). Each caller then works on its own instance, so its fields are per-caller data,
// like a local's: one caller starting a transaction does not race with another caller's. A class
// that any site keeps (in a field, `this.runner ??= new Runner(this)`, at module scope, handed to a
// call), that a module-level or static factory makes (how programs make their singletons), or that
// nothing in sight makes stays long-lived. Subclasses count as instances: an abstract base is
// per-caller when every subclass is.
//
// "In sight" is the linted file's import closure (the project files it imports, directly or not), not the whole program: a run
// over part of a project (one file, a shard, the cache's misses) builds its program from that
// closure, and the cache keys a file's results on it. Evidence read from the rest of the program
// would make a shard, a single-file run, the editor and a cached run disagree with a whole run.
// A query runner's file imports the driver that makes it, so the factory is in sight.
import { ts } from 'ts-morph';
import { resolvedDependencies } from '../programHost';
import { enclosingFunction } from './scopes';

interface ClosureIndex {
  /** The closure: the files evidence is read from. */
  files: { has(sf: ts.SourceFile): boolean };
  /** The program's files by the names they make (`new`, `extends`) and call as methods. */
  names: ProgramNames;
  verdicts: Map<string, boolean>;
  /** Per factory method name: whether every call of it keeps the result per call. */
  factories: Map<string, boolean>;
}

interface ProgramNames {
  makers: Map<string, ts.SourceFile[]>;
  callers: Map<string, ts.SourceFile[]>;
}

interface FileFacts {
  /** Names written after `new` or `extends`, and names called as methods (`.name(`), from the text. */
  madeNames: Set<string>;
  calledNames: Set<string>;
  /** Its `new Name(…)` expressions and `class … extends Name` declarations, by name (walked when needed). */
  made?: Map<string, ts.NewExpression[]>;
  subclasses?: Map<string, ts.ClassLikeDeclaration[]>;
}

/** Per program, which files make or call each name (built once, a text scan per file). */
const programNames = new WeakMap<ts.Program, ProgramNames>();
/**
 * Per program, the index of the file being linted: one at a time (files are linted one after
 * another), so a run holds one closure, not one per file. Keyed weakly by the program, so that a
 * program the linter has let go (the previous tsconfig's in a run over several, the previous
 * edit's in the editor) is not kept alive by this index while the next one is built.
 */
const current = new WeakMap<ts.Program, { from: ts.SourceFile; index: ClosureIndex }>();
/** Per file (trees are shared by programs): what its text and tree make and call. */
const facts = new WeakMap<ts.SourceFile, FileFacts>();

/** Whether each caller gets its own instance of `c`, as far as the files `from` imports show (see above). */
export function isPerCallerClass(program: ts.Program, c: ts.ClassLikeDeclaration, from: ts.SourceFile): boolean {
  const name = c.name?.text;
  if (!name) return false;
  let mine = current.get(program);
  if (mine?.from !== from) {
    mine = { from, index: { files: closureOf(program, from), names: namesOf(program), verdicts: new Map(), factories: new Map() } };
    current.set(program, mine);
  }
  return verdict(mine.index, name);
}

/**
 * Membership in `from`'s import closure, answered per file asked about rather than by listing the
 * closure: in a project whose modules import each other in long chains the closure of most files
 * is most of the program, and listing it for every linted file made a run quadratic in the
 * project's size (10,000 generated modules: 40 s of 80). The import graph's strongly connected
 * components are numbered once per program, sinks first (Tarjan's order), so a file can only reach
 * components numbered no higher than its own: that answers most files outside the closure at
 * once, and bounds the search for the rest.
 */
function closureOf(program: ts.Program, from: ts.SourceFile): { has(sf: ts.SourceFile): boolean } {
  const graph = importGraphOf(program);
  const known = new Map<ts.SourceFile, boolean>([[from, true]]);
  return {
    has(target) {
      const cached = known.get(target);
      if (cached !== undefined) return cached;
      const low = graph.component(target);
      let found = false;
      if (low !== undefined && low <= (graph.component(from) ?? -1)) {
        const seen = new Set<ts.SourceFile>([from]);
        const stack = [from];
        while (!found && stack.length > 0) {
          for (const to of graph.edges(stack.pop()!)) {
            if (to === target) found = true;
            else if (!seen.has(to) && (graph.component(to) ?? -1) >= low) {
              seen.add(to);
              stack.push(to);
            }
          }
        }
      }
      known.set(target, found);
      return found;
    },
  };
}

interface ImportGraph {
  /** The program's own files `sf` imports directly. */
  edges(sf: ts.SourceFile): readonly ts.SourceFile[];
  /** The number of `sf`'s strongly connected component, sinks first; undefined for a file outside the graph. */
  component(sf: ts.SourceFile): number | undefined;
}

const importGraphs = new WeakMap<ts.Program, ImportGraph>();

function importGraphOf(program: ts.Program): ImportGraph {
  let graph = importGraphs.get(program);
  if (graph) return graph;
  const edgeMap = new Map<ts.SourceFile, ts.SourceFile[]>();
  const edges = (sf: ts.SourceFile): ts.SourceFile[] => {
    let out = edgeMap.get(sf);
    if (!out) {
      // (Its direct imports among the program's own files: no declaration files, no libraries.)
      out = [];
      for (const resolved of resolvedDependencies(program, sf) ?? []) {
        const to = resolved === undefined ? undefined : program.getSourceFile(resolved);
        if (to && to !== sf && !to.isDeclarationFile && !program.isSourceFileFromExternalLibrary(to) && !out.includes(to)) out.push(to);
      }
      edgeMap.set(sf, out);
    }
    return out;
  };
  // Tarjan's algorithm, iterative (import chains can be thousands of files deep).
  const components = new Map<ts.SourceFile, number>();
  const order = new Map<ts.SourceFile, number>();
  const lowLink = new Map<ts.SourceFile, number>();
  const onStack = new Set<ts.SourceFile>();
  const stack: ts.SourceFile[] = [];
  let counter = 0;
  let componentCount = 0;
  for (const root of program.getSourceFiles()) {
    if (order.has(root) || root.isDeclarationFile || program.isSourceFileFromExternalLibrary(root)) continue;
    const work: Array<{ sf: ts.SourceFile; next: number }> = [{ sf: root, next: 0 }];
    order.set(root, counter);
    lowLink.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const out = edges(top.sf);
      if (top.next < out.length) {
        const to = out[top.next++];
        if (!order.has(to)) {
          order.set(to, counter);
          lowLink.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ sf: to, next: 0 });
        } else if (onStack.has(to)) lowLink.set(top.sf, Math.min(lowLink.get(top.sf)!, order.get(to)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].sf;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(top.sf)!));
      }
      if (lowLink.get(top.sf) === order.get(top.sf)) {
        let member: ts.SourceFile;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          components.set(member, componentCount);
        } while (member !== top.sf);
        componentCount++;
      }
    }
  }
  graph = { edges, component: (sf) => components.get(sf) };
  importGraphs.set(program, graph);
  return graph;
}

function namesOf(program: ts.Program): ProgramNames {
  let names = programNames.get(program);
  if (!names) {
    names = { makers: new Map(), callers: new Map() };
    const add = (map: Map<string, ts.SourceFile[]>, name: string, sf: ts.SourceFile) => {
      const list = map.get(name);
      if (list) list.push(sf);
      else map.set(name, [sf]);
    };
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
      const f = factsOf(sf);
      for (const n of f.madeNames) add(names.makers, n, sf);
      for (const n of f.calledNames) add(names.callers, n, sf);
    }
    programNames.set(program, names);
  }
  return names;
}

function factsOf(sf: ts.SourceFile): FileFacts {
  let f = facts.get(sf);
  if (!f) {
    const madeNames = new Set<string>();
    for (const m of sf.text.matchAll(/\b(?:new|extends)\s+([A-Za-z_$][\w$]*)/g)) madeNames.add(m[1]);
    const calledNames = new Set<string>();
    for (const m of sf.text.matchAll(/\.\s*([A-Za-z_$][\w$]*)\s*\(/g)) calledNames.add(m[1]);
    f = { madeNames, calledNames };
    facts.set(sf, f);
  }
  return f;
}

function verdict(index: ClosureIndex, name: string): boolean {
  const known = index.verdicts.get(name);
  if (known !== undefined) return known;
  // (Assumed long-lived while it is being decided: a cycle proves nothing.)
  index.verdicts.set(name, false);
  let made = 0;
  let result = true;
  for (const sf of index.names.makers.get(name) ?? []) {
    if (!index.files.has(sf)) continue;
    const f = fileIndex(sf);
    for (const n of f.made.get(name) ?? []) {
      made++;
      if (!handedOutFresh(index, n)) result = false;
    }
    for (const sub of f.subclasses.get(name) ?? []) {
      made++;
      if (!sub.name || !verdict(index, sub.name.text)) result = false;
    }
    if (!result) break;
  }
  result &&= made > 0;
  index.verdicts.set(name, result);
  return result;
}

function fileIndex(sf: ts.SourceFile): Required<Pick<FileFacts, 'made' | 'subclasses'>> {
  const f = factsOf(sf);
  if (f.made && f.subclasses) return { made: f.made, subclasses: f.subclasses };
  const made = new Map<string, ts.NewExpression[]>();
  const subclasses = new Map<string, ts.ClassLikeDeclaration[]>();
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) made.set(n.expression.text, [...(made.get(n.expression.text) ?? []), n]);
    if (ts.isClassLike(n)) {
      for (const h of n.heritageClauses ?? []) {
        if (h.token !== ts.SyntaxKind.ExtendsKeyword) continue;
        for (const t of h.types) if (ts.isIdentifier(t.expression)) subclasses.set(t.expression.text, [...(subclasses.get(t.expression.text) ?? []), n]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(withParents(sf));
  f.made = made;
  f.subclasses = subclasses;
  return { made, subclasses };
}

/** Whether a `new C(…)` gives one caller an object of its own (see the header). */
function handedOutFresh(index: ClosureIndex, n: ts.NewExpression): boolean {
  let e: ts.Node = n;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isSatisfiesExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  const p = e.parent;
  const fn = enclosingFunction(n);
  if (ts.isSourceFile(fn)) return false;
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === e)) return isInstanceFactory(fn) && factoryResultsFresh(index, fn);
  // `new Runner().run()`
  if (ts.isPropertyAccessExpression(p) && p.expression === e) return true;
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name) && ts.isVariableDeclarationList(p.parent)) {
    // A local used only through its members (`runner.run()`, `runner.mode = m`), or returned by a factory.
    const local = p.name.text;
    let kept = false;
    const visit = (x: ts.Node): void => {
      if (kept) return;
      if (ts.isIdentifier(x) && x.text === local && x !== p.name) {
        const q = x.parent;
        const member = (ts.isPropertyAccessExpression(q) || ts.isElementAccessExpression(q)) && q.expression === x;
        if (!member && !(ts.isReturnStatement(q) && isInstanceFactory(fn) && factoryResultsFresh(index, fn))) kept = true;
      }
      ts.forEachChild(x, visit);
    };
    if (fn.body) visit(fn.body);
    return !kept;
  }
  return false;
}

/**
 * Whether every call of a factory method in the closure (`x.createRunner(…)`, by name),
 * gives its result to one run: a local, returned on (a factory of its own), or a field of an
 * object that is per-caller itself. A call kept in a field of a long-lived object
 * (`this.driver = factory.create(this)`), at module scope or handed to another call is not.
 */
function factoryResultsFresh(index: ClosureIndex, fn: ts.FunctionLikeDeclaration): boolean {
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn.parent && (ts.isPropertyDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent)) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  if (!name) return false;
  const known = index.factories.get(name);
  if (known !== undefined) return known;
  index.factories.set(name, false);
  let calls = 0;
  let fresh = true;
  for (const sf of index.names.callers.get(name) ?? []) {
    if (!fresh) break;
    if (!index.files.has(sf)) continue;
    const visit = (n: ts.Node): void => {
      if (!fresh) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === name) {
        calls++;
        if (!resultStaysInRun(index, n)) fresh = false;
      }
      ts.forEachChild(n, visit);
    };
    visit(withParents(sf));
  }
  fresh &&= calls > 0;
  index.factories.set(name, fresh);
  return fresh;
}

function resultStaysInRun(index: ClosureIndex, call: ts.CallExpression): boolean {
  let e: ts.Node = call;
  const wraps = (x: ts.Node) => ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x) || ts.isNonNullExpression(x) || ts.isAwaitExpression(x);
  // (`this.runner ?? ds.createRunner()`: the fallback is what the call hands out.)
  while (wraps(e.parent) || (ts.isBinaryExpression(e.parent) && e.parent.right === e && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.parent.operatorToken.kind))) e = e.parent;
  const p = e.parent;
  const fn = enclosingFunction(call);
  if (ts.isSourceFile(fn)) return false;
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === e)) return isInstanceFactory(fn) && factoryResultsFresh(index, fn);
  if (ts.isPropertyAccessExpression(p) && p.expression === e) return true;
  if (ts.isVariableDeclaration(p) && p.initializer === e) return true;
  if (ts.isBinaryExpression(p) && p.right === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // A local `let` of the run, or a field of an object each caller has for itself.
    if (ts.isIdentifier(p.left)) return isLocalOf(p.left.text, fn);
    if (ts.isPropertyAccessExpression(p.left) && p.left.expression.kind === ts.SyntaxKind.ThisKeyword) {
      let cls: ts.Node | undefined = fn;
      while (cls && !ts.isClassLike(cls)) cls = cls.parent;
      return !!cls && ts.isClassLike(cls) && !!cls.name && verdict(index, cls.name.text);
    }
  }
  return false;
}

function isLocalOf(name: string, fn: ts.FunctionLikeDeclaration): boolean {
  let found = fn.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === name);
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** An instance method of a class (not static, not a module-level function or object). */
function isInstanceFactory(fn: ts.FunctionLikeDeclaration): boolean {
  const holder = ts.isMethodDeclaration(fn) ? fn : (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isPropertyDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent)) ? fn.parent : undefined;
  if (!holder) return false;
  if (ts.canHaveModifiers(holder) && ts.getModifiers(holder)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return false;
  return ts.isClassLike(holder.parent);
}

/** The program's other files are parsed without parent pointers until the checker binds them; the walks here need them. */
function withParents(sf: ts.SourceFile): ts.SourceFile {
  const first = sf.statements[0];
  if (first && !first.parent) {
    const link = (n: ts.Node): void => {
      ts.forEachChild(n, (c) => {
        (c as { parent: ts.Node }).parent = n;
        link(c);
      });
    };
    link(sf);
  }
  return sf;
}
