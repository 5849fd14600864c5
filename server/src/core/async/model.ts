// The async model of one file, shared by every race rule through `ctx.shared('async-model', …)`.
//
// Usage from a rule:
//
//     const model = ctx.shared(ASYNC_MODEL_KEY, () => buildAsyncModel(ctx.sourceFile));
//     for (const fn of model.functions) {            // functions with suspension points
//       const q = model.segments(fn.node);            // path queries: q.suspensionBetween(a, b)
//       const why = model.concurrency.sourceOf(fn.node); // why runs of it overlap, if they do
//       ...
//     }
//
// Everything is syntactic (no type checker) and computed lazily: the concurrency model on first
// use, the race data flow of a function when a rule asks for it.
import { ts } from 'ts-morph';
import { ConcurrencyModel, functionName, isReturnedObject, overlapsOnlyOutOfProcess, type ConcurrencySource } from './concurrency';
import { EarlyReturnAnalyzer, type EarlyReturnRace } from './earlyReturns';
import { isAssignmentOperator, skipParens } from './flow';
import { isReset, RaceAnalyzer, TEARDOWN, type FunctionRaces } from './races';
import { isPerCallerClass } from './perCallerClasses';
import { SafeIdioms } from './safeIdioms';
import { findAsyncFunctions, runsInEnclosingFunction, SegmentQueries, type AsyncFunction } from './segments';
import { enclosingFunction, isFunctionLike, isWithin, Scopes, type FunctionLike } from './scopes';
import { LocationResolver, type SharedLocation } from './sharedLocations';
import { SnapshotWriters } from './snapshotWriters';

export const ASYNC_MODEL_KEY = 'async-model';

/** Cheap text test for `mayApply`: can the file contain a suspension point at all? */
export function mayContainSuspension(text: string): boolean {
  return /await|yield|\.then\(|\.catch\(|\.finally\(|=>|function|Sync\(/.test(text);
}

/** Why a race on a location in a function can happen. */
export interface RaceSource {
  source: ConcurrencySource;
  /** When another task, not another run of the same function, is the one that writes: that write. */
  otherWriter?: { fn: FunctionLike; node: ts.Node };
}

interface WriteSite {
  fn: FunctionLike;
  node: ts.Node;
}

export class AsyncModel {
  readonly scopes: Scopes;
  readonly locations: LocationResolver;
  readonly idioms: SafeIdioms;
  /**
   * Functions with at least one suspension point of their own (including callback-style
   * continuations), plus those that check a file synchronously, in source order.
   */
  readonly functions: AsyncFunction[];
  private concurrencyModel?: ConcurrencyModel;
  private analyzer?: RaceAnalyzer;
  private readonly segmentQueries = new Map<FunctionLike, SegmentQueries>();
  private writeIndex?: Map<string, WriteSite[]>;
  private earlyReturns?: EarlyReturnAnalyzer;
  private snapshotWriterIndex?: SnapshotWriters;

  /** `program`, when given, tells which classes each caller gets its own instance of (see ./perCallerClasses.ts). */
  constructor(
    readonly sourceFile: ts.SourceFile,
    private readonly program?: ts.Program,
  ) {
    // (The walk that finds the functions lists the file's nodes for the other passes over it.)
    const walkOrder: ts.Node[] = [];
    this.functions = findAsyncFunctions(sourceFile, walkOrder);
    this.scopes = new Scopes(sourceFile, walkOrder);
    this.locations = new LocationResolver(sourceFile, this.scopes);
    this.idioms = new SafeIdioms(sourceFile, this.scopes);
    // Functions that check a file and act on it: other processes race with them, await or not.
    if (/\b(existsSync|statSync|accessSync|lstatSync|pathExistsSync)\b/.test(sourceFile.text)) {
      const listed = new Set(this.functions.map((f) => f.node));
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) && n.body && !listed.has(n) && /\b(existsSync|statSync|accessSync|lstatSync|pathExistsSync)\b/.test(n.body.getText(sourceFile))) {
          this.functions.push({ node: n, isAsync: false, isGenerator: false, suspensions: [] });
        }
        ts.forEachChild(n, visit);
      };
      visit(sourceFile);
      this.functions.sort((a, b) => a.node.pos - b.node.pos);
    }
  }

  get concurrency(): ConcurrencyModel {
    return (this.concurrencyModel ??= new ConcurrencyModel(this.sourceFile, this.scopes, this.idioms, new Set(this.functions.filter((f) => f.suspensions.length > 0).map((f) => f.node))));
  }

  /** Functions of a component or hook that write a state slot from the render's copy of it (see ./snapshotWriters.ts). */
  get snapshotWriters(): SnapshotWriters {
    return (this.snapshotWriterIndex ??= new SnapshotWriters(this.sourceFile, this.scopes, this.locations));
  }

  /** Path queries over a function's segments (see SegmentQueries). */
  segments(fn: FunctionLike): SegmentQueries {
    let q = this.segmentQueries.get(fn);
    if (!q) {
      q = new SegmentQueries(fn);
      this.segmentQueries.set(fn, q);
    }
    return q;
  }

  /** Lost-update and check-then-act candidates of a function, before any concurrency filter. */
  races(fn: FunctionLike): FunctionRaces {
    this.analyzer ??= new RaceAnalyzer(this.sourceFile, this.scopes, this.locations, this.idioms, this.concurrency, this.snapshotWriters);
    return this.analyzer.analyze(fn);
  }

  /** An initialiser that returns early while another run is still initialising, and the callers relying on it (see ./earlyReturns.ts). */
  earlyReturnRace(fn: FunctionLike): EarlyReturnRace | undefined {
    return (this.earlyReturns ??= new EarlyReturnAnalyzer(this)).analyze(fn);
  }

  /**
   * Why a race on `location` inside `fn` is possible: `fn` can overlap itself (on the same object,
   * for `this.x`; from inside the owner, for a captured variable), or another task writes the
   * location. Undefined when neither is in sight: the rules then stay quiet.
   */
  raceSource(fn: FunctionLike, location: SharedLocation, options: { otherWriterOnly?: boolean; otherWriterSets?: boolean; otherWriterAdds?: boolean; writtenIn?: FunctionLike; notWrittenIn?: FunctionLike; notTesting?: SharedLocation; otherWriterRunsByItself?: boolean } = {}): RaceSource | undefined {
    const c = this.concurrency;
    if (c.isSerialized(fn)) return undefined;
    const own = c.sourceOf(fn);
    if (own && !options.otherWriterOnly && this.sourceFits(own, location)) return { source: own };
    // Written through a helper: another caller of the helper is the writer to name, before the
    // assignment in the helper's own body (which runs for this call too).
    // (So is a caller of a snapshot writer, before the write in the writer's body.)
    const helperBody = options.writtenIn ?? (location.through && enclosingFunction(location.through.node));
    const writers = this.writersOf(location);
    const inHelper = (w: WriteSite) => !!helperBody && !ts.isSourceFile(helperBody) && isWithin(w.node, helperBody);
    for (const w of [...writers.filter((x) => !inHelper(x)), ...writers.filter(inHelper)]) {
      if (w.fn === fn || c.isSerialized(w.fn) || w.fn === options.notWrittenIn) continue;
      // (Only a writer that sets it, `dirty = true`, when the race is a clear losing that.)
      if (options.otherWriterSets && !setsTruthy(w.node)) continue;
      // (Only a writer that puts something in, when the race is emptying a collection taken before.)
      if (options.otherWriterAdds && !addsTo(w.node)) continue;
      // (Not a writer that tests the flag `fn` holds: it waits for the flag as `fn`'s own runs do.)
      if (options.notTesting && this.testsFlag(w.fn, options.notTesting)) continue;
      const other = c.taskSourceOf(w.fn);
      // (Only a writer that something in the file runs by itself, an event, a timer, a request, when
      // asked: a public method or an export may be what the caller calls only when the flagged run is
      // done, and a reset, stop or logout ends what the run was doing.)
      if (options.otherWriterRunsByItself && (!other || !runsByItself(other) || endsRun(w.fn))) continue;
      if (other && this.sourceFits(other, location)) return { source: other, otherWriter: w };
    }
    return undefined;
  }

  private sourceFits(source: ConcurrencySource, location: SharedLocation): boolean {
    // Runs in other processes share only what lives outside the process.
    if (overlapsOnlyOutOfProcess(source) && location.kind !== 'store' && location.kind !== 'file') return false;
    // A slot outlives the closures that reach it (every render's handlers share a hook's state).
    if (location.kind === 'instance' && !source.sameInstance) return false;
    if ((location.kind === 'instance' || (location.kind === 'store' && location.key.startsWith('this:'))) && this.perCallerInstance(source, location)) return false;
    if (location.kind === 'captured' && location.owner) {
      // A closure made by a function that runs once (a store's setup callback, a module-level
      // IIFE) is module state in all but name.
      if (this.runsOnce(location.owner)) return true;
      // Runs share a captured variable only when they start inside one activation of its owner.
      let root = source;
      while (root.via) root = root.via;
      // A closure handed back to callers (plugin hooks, factories) runs per call of its owner,
      // usually one after another: only a concrete source inside the owner shares the variable.
      // (Unless the file itself makes one at module scope and keeps it, `const getBrowser =
      // memoizeOne(launch)`: every caller of that binding runs the same closure, on one set of
      // captured variables, as they would a module variable.)
      // (Nor when it is a method of an object the owner hands back with other methods, a client
      // or a connector: callers keep that object and call its methods when they like, as they call
      // an instance's, and its maker's variables are its fields.)
      if (root.kind === 'returned-closure') return this.keptAtModuleScope(location.owner) || madeObjectMethod(root.site, location.owner);
      return !!location.owner.body && isWithin(root.site, location.owner.body);
    }
    return true;
  }

  /**
   * Whether the runs come from callers of a public method of a class each caller gets its own
   * instance of (a query runner a driver hands out per call), and the location is a field of
   * that instance, or a collection held in one: the callers then work on different objects.
   */
  private perCallerInstance(source: ConcurrencySource, location: SharedLocation): boolean {
    if (!this.program) return false;
    let root = source;
    while (root.via) root = root.via;
    if (root.kind !== 'public-method') return false;
    let cls: ts.Node | undefined = root.site;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls) || !cls.name) return false;
    // (A field of that very class: `this.depth`, or a collection in one, `this.tables`.)
    if (location.classNode ? location.classNode !== cls : !location.key.startsWith(`this:${cls.name.text}.`)) return false;
    // (Not an entry of a store the instance was handed, `constructor({ db }) { this.db = db }` …
    // `this.db.get(key)`: every instance reads and writes the same keys of that one store.)
    const field = location.kind === 'store' && location.entry !== undefined ? /^this:[^.]+\.([\w$]+)$/.exec(location.resource ?? '')?.[1] : undefined;
    if (field && this.handedToConstructor(cls, field)) return false;
    return isPerCallerClass(this.program, cls, this.sourceFile);
  }

  /** Whether a field of the class holds what its constructor was given: a parameter property, or `this.db = db` from a parameter. */
  private handedToConstructor(cls: ts.ClassLikeDeclaration, field: string): boolean {
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    if (!ctor) return false;
    if (ctor.parameters.some((p) => ts.isParameterPropertyDeclaration(p, ctor) && ts.isIdentifier(p.name) && p.name.text === field)) return true;
    let handed = false;
    const visit = (n: ts.Node): void => {
      if (handed || (n !== ctor && isFunctionLike(n))) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.expression.kind === ts.SyntaxKind.ThisKeyword && n.left.name.text === field) {
        const v = skipParens(n.right);
        if (ts.isIdentifier(v) && this.scopes.resolve(v)?.kind === 'parameter') handed = true;
      }
      ts.forEachChild(n, visit);
    };
    if (ctor.body) visit(ctor.body);
    return handed;
  }

  /**
   * Whether a function runs once per program: called where it is written at module level
   * (`(async () => …)()`), or handed to a module-level call that is no handler registration
   * (`defineStore('cart', () => …)`, `create((set, get) => …)`).
   */
  /**
   * Whether the file calls `owner` at module scope and keeps what it returns in a module binding
   * (`const cached = memoize(fetchAll)`, `export const client = makeClient()`), outside loops.
   */
  private keptAtModuleScope(owner: FunctionLike): boolean {
    let name: ts.Identifier | undefined;
    if (ts.isFunctionDeclaration(owner)) name = owner.name;
    else if ((ts.isArrowFunction(owner) || ts.isFunctionExpression(owner)) && ts.isVariableDeclaration(owner.parent) && owner.parent.initializer === owner && ts.isIdentifier(owner.parent.name)) name = owner.parent.name;
    if (!name) return false;
    const declaration = name.parent;
    for (const st of this.sourceFile.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        let init = d.initializer && skipParens(d.initializer);
        while (init && ts.isAwaitExpression(init)) init = skipParens(init.expression);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(d.name)) continue;
        const callee = skipParens(init.expression);
        if (ts.isIdentifier(callee) && callee.text === name.text && this.scopes.resolve(callee)?.declaration === declaration) return true;
      }
    }
    return false;
  }

  private runsOnce(owner: FunctionLike): boolean {
    if (!ts.isArrowFunction(owner) && !ts.isFunctionExpression(owner)) return false;
    let n: ts.Node = owner;
    while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
    const call = n.parent;
    if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call))) return false;
    if (call.expression !== n && !call.arguments?.some((a) => a === n)) return false;
    if (!ts.isSourceFile(enclosingFunction(call))) return false;
    for (let p: ts.Node | undefined = call.parent; p && !ts.isSourceFile(p); p = p.parent) if (ts.isIterationStatement(p, false)) return false;
    return !this.concurrency.taskSourceOf(owner);
  }

  /** Whether `fn` reads the flag `flag` (or, for a flag kept per key, the collection it is in). */
  private testsFlag(fn: FunctionLike, flag: SharedLocation): boolean {
    const keys = new Set([flag.key, ...(flag.collection ? [flag.collection] : [])]);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isIdentifier(n)) {
        const at = enclosingFunction(n) as FunctionLike;
        const loc = this.locations.locationOf(n as ts.Expression, at);
        if (loc && (keys.has(loc.key) || (!!loc.collection && keys.has(loc.collection)))) {
          found = true;
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    if (fn.body) visit(fn.body);
    return found;
  }

  private writersOf(location: SharedLocation): WriteSite[] {
    const index = (this.writeIndex ??= this.buildWriteIndex());
    const out = [...(index.get(location.key) ?? [])];
    if (location.collection && location.collection !== location.key) out.push(...(index.get(location.collection) ?? []));
    return out;
  }

  private buildWriteIndex(): Map<string, WriteSite[]> {
    const index = new Map<string, WriteSite[]>();
    const add = (loc: SharedLocation | undefined, fn: FunctionLike, node: ts.Node) => {
      if (!loc) return;
      const list = index.get(loc.key) ?? [];
      list.push({ fn, node });
      index.set(loc.key, list);
    };
    const owner = (n: ts.Node): FunctionLike | undefined => {
      let f = enclosingFunction(n);
      while (!ts.isSourceFile(f) && runsInEnclosingFunction(f)) f = enclosingFunction(f);
      return ts.isSourceFile(f) ? undefined : f;
    };
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
        const fn = owner(n);
        if (fn) add(this.locations.locationOf(n.left, enclosingFunction(n) as FunctionLike), fn, n);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        const fn = owner(n);
        if (fn) add(this.locations.locationOf(n.operand, enclosingFunction(n) as FunctionLike), fn, n);
      } else if (ts.isCallExpression(n)) {
        const fn = owner(n);
        const access = fn && this.locations.callAccess(n, enclosingFunction(n) as FunctionLike);
        // (A call of a snapshot writer writes the slot it writes.)
        const writer = fn && this.snapshotWriters.calledBy(n);
        if (fn && writer) add(writer.location, fn, n);
        if (fn && access && (access.mode === 'write' || access.mode === 'mutate')) {
          add(access.location, fn, n);
          // (Through a helper: also the location its name stands for.)
          if (access.location.alias) add(access.location.alias, fn, n);
          if (access.location.collection) add({ ...access.location, key: access.location.collection }, fn, n);
        }
      }
    };
    this.scopes.forEachNode(visit);
    return index;
  }
}

export function buildAsyncModel(sf: ts.SourceFile, program?: ts.Program): AsyncModel {
  return new AsyncModel(sf, program);
}

export type { AsyncFunction, ConcurrencySource, EarlyReturnRace, FunctionRaces, SharedLocation };

/** Sources that run a function on their own, not only say who can reach it. */
const RUNS_BY_ITSELF = new Set<ConcurrencySource['kind']>(['event-handler', 'route-handler', 'timer', 'parallel-callback', 'promise-combinator', 'unawaited-call']);
/** Besides races' teardowns, writers that end what a run was doing: a clear, a logout, a cancel. */
const ENDING_WRITER = /(^|\.)(on)?(clear|logout|signOut|cancel|abort)/i;

/** Whether a function ends an object's life or what a run was doing (its writes are no race with that run). */
function endsRun(fn: FunctionLike): boolean {
  const name = functionName(fn);
  return TEARDOWN.test(name) || ENDING_WRITER.test(name);
}

function runsByItself(source: ConcurrencySource): boolean {
  let root = source;
  while (root.kind === 'caller' && root.via) root = root.via;
  return RUNS_BY_ITSELF.has(root.kind);
}

/** An assignment of a value that is not empty: `dirty = true`, `pending = job` (not `= false`, `= null`, `= 0`). */
function setsTruthy(node: ts.Node): boolean {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isReset(node);
}

/** A write that puts something in: a set (`x = v`), or an add to a collection or a store (`queue.push(x)`, `pending.set(k, v)`, `db.addEvent(e)`). */
function addsTo(node: ts.Node): boolean {
  if (setsTruthy(node)) return true;
  if (!ts.isCallExpression(node)) return false;
  const callee = skipParens(node.expression);
  return ts.isPropertyAccessExpression(callee) && /^(push|unshift|set|add|insert|append|enqueue)([A-Z]\w*)?$/.test(callee.name.text) && node.arguments.length > 0;
}

/**
 * Whether `fn` is a method of an object literal that `owner`, a function of the module's top
 * level, itself returns (directly, or through a const it returns) and that has at least two
 * methods: an object made by a factory, whose methods share the factory's variables. A function
 * the owner declares and puts in the object by name counts as one of its methods (`const lease =
 * async (k) => …; const release = (k) => …; return { lease, release }`).
 */
function madeObjectMethod(fn: ts.Node, owner: FunctionLike): boolean {
  const holder = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn ? fn.parent : undefined;
  const declared = holder ? undefined : declaredFunctionName(fn);
  const obj = holder?.parent ?? (declared && !ts.isSourceFile(owner) && enclosingFunction(fn) === owner ? returnedObjectNaming(owner, declared) : undefined);
  // (Only a factory written at the top of the module: a function nested in another, a framework's
  // per-request hook such as `requestDidStart() { let t; return { didResolve…, willSend… } }`,
  // makes an object per event, whose methods the framework calls once each, in turn.)
  if (!obj || !ts.isObjectLiteralExpression(obj) || enclosingFunction(obj) !== owner || !ts.isSourceFile(enclosingFunction(owner))) return false;
  const methods = obj.properties.filter((q) => ts.isMethodDeclaration(q) || (ts.isPropertyAssignment(q) && (ts.isArrowFunction(skipParens(q.initializer)) || ts.isFunctionExpression(skipParens(q.initializer)))) || (ts.isShorthandPropertyAssignment(q) && declaresFunction(owner, q.name.text)));
  return methods.length >= 2 && isReturnedObject(obj);
}

/** The name a function is declared under: `function lease() {…}`, `const lease = async () => …`. */
function declaredFunctionName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** Whether `owner` declares a function named `name` among its own statements. */
function declaresFunction(owner: FunctionLike, name: string): boolean {
  if (!owner.body || !ts.isBlock(owner.body)) return false;
  return owner.body.statements.some((st) =>
    ts.isFunctionDeclaration(st)
      ? st.name?.text === name
      : ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name && !!d.initializer && (ts.isArrowFunction(skipParens(d.initializer)) || ts.isFunctionExpression(skipParens(d.initializer)))),
  );
}

/** The object literal `owner` returns (in one of its own return statements) that holds `name` by shorthand: `return { lease, release }`. */
function returnedObjectNaming(owner: FunctionLike, name: string): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) {
      const x = skipParens(n.expression);
      if (ts.isObjectLiteralExpression(x) && x.properties.some((q) => ts.isShorthandPropertyAssignment(q) && q.name.text === name)) found = x;
    }
    ts.forEachChild(n, visit);
  };
  if (owner.body && ts.isBlock(owner.body)) ts.forEachChild(owner.body, visit);
  return found;
}
