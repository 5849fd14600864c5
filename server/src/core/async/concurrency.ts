// Concurrency sources: why two runs of a function can overlap, so that one run's `await` lets
// another run (or another task) change shared state.
//
// Roots found syntactically in the file: exported functions and the public methods of
// long-lived classes (anyone may call them while a previous call still awaits), event and
// message handlers (on any emitter, worker threads and processes included, inline or passed by
// reference), HTTP route handlers, job-queue consumers, commands and hooks registered with a framework, timers and
// scheduled jobs, JSX `on*` handlers and effects, Vue `methods` and Pinia `actions`, callbacks of
// `.map/.forEach` (one run per element, all at once), calls inside
// `Promise.all/allSettled/race/any`, async calls not awaited in a loop, and closures returned to
// callers. A Promise executor runs as part of the function that creates it. Concurrency then flows down the file's call graph:
// a function called from a concurrent one is concurrent too, unless the call is made from a
// serialized callback (see ./safeIdioms.ts). A function that is none of these (called once from
// `main()`, awaited step by step) has no source, and the race rules stay quiet there.
import { ts } from 'ts-morph';
import { isAssignmentOperator, isPromiseExecutor, skipParens } from './flow';
import type { SafeIdioms } from './safeIdioms';
import { isContinuationCallback, runsInEnclosingFunction, suspensionPointsOf } from './segments';
import { enclosingFunction, isAsyncFunction, isFunctionLike, isWithin, type Binding, type FunctionLike, type Scopes } from './scopes';
import { optionsObjectOf, prototypeMethodOf } from './sharedLocations';
import { returnedValues, skipOuterParents } from '../syntax';

export type ConcurrencyKind =
  | 'exported'
  | 'public-method'
  | 'event-handler'
  | 'route-handler'
  | 'timer'
  | 'parallel-callback'
  | 'promise-combinator'
  | 'unawaited-call'
  | 'returned-closure'
  | 'caller';

export interface ConcurrencySource {
  kind: ConcurrencyKind;
  /** Where the overlap comes from: the export, the `on(...)` call, the `.map(async …)`, the call in a loop. */
  site: ts.Node;
  /** A clause for messages: "`recordSale` is exported, so callers may run it concurrently". */
  description: string;
  /** Whether runs can overlap each other (false: it only interleaves with other tasks, e.g. a one-shot timer). */
  selfOverlap: boolean;
  /** Whether overlapping runs can share one `this` (false when each run is on a fresh object). */
  sameInstance: boolean;
  /** For `caller`: the source of the caller it was inherited from. */
  via?: ConcurrencySource;
  /**
   * Runs overlap only in other processes (a job queue hands each worker one job at a time, and
   * several workers take jobs from it): only state outside the process, a store or a file, is
   * shared between the runs.
   */
  outOfProcess?: boolean;
}

/** Sources that assume overlap from how a function is reachable (exported, public), not from code that runs it. */
const ASSUMED_OVERLAP = new Set<ConcurrencyKind>(['exported', 'public-method']);
/** Sources that only say who can reach a function (exported, public, handed back to callers), not what in the file runs it. */
const REACHABLE_ONLY = new Set<ConcurrencyKind>(['exported', 'public-method', 'returned-closure']);
const EVENT_METHODS = new Set(['on', 'addListener', 'addEventListener', 'prependListener', 'subscribe', 'handle', 'listen', 'onmessage', 'addHandler', 'register', 'tap', 'tapPromise']);
/** Methods that register a callback to run on demand (beyond EVENT_METHODS and `register*`). */
const REGISTRATION_METHODS = new Set(['hears', 'middleware', 'hook', 'addHook', 'intercept', 'define']);
/** Calls and constructors that run a callback on a schedule. */
const SCHEDULERS = new Set(['schedule', 'scheduleJob', 'CronJob', 'cron', 'every', 'repeat']);
const ONCE_METHODS = new Set(['once', 'prependOnceListener', 'handleOnce']);
/** A component's lifecycle hooks (Vue, Svelte, Solid): called alone, each runs its callback once per component. */
const LIFECYCLE_HOOKS = /^on(Before)?(Mount|Mounted|Unmount|Unmounted|Destroy|Update|Updated|Activated|Deactivated|Cleanup|ServerPrefetch|ErrorCaptured|RenderTracked|RenderTriggered)$/;
/**
 * Job-queue consumers: `queue.process(fn)` (Bull, bee-queue), `boss.work(name, fn)` (pg-boss),
 * `channel.consume(q, fn)` (amqplib), `queueService.start(name, fn)`, only on a receiver named for
 * a queue, a channel or a consumer (`process` and `start` alone say nothing).
 */
const JOB_METHODS = new Set(['process', 'work', 'consume', 'start']);
const JOB_RECEIVER = /queue|boss|channel|consumer/i;
/** Options and arguments that ask a queue worker to run several jobs at once (Bull, BullMQ, pg-boss, amqplib). */
const JOB_CONCURRENCY = /concurren|parallel|team|batch|prefetch|workers$/i;

/**
 * Whether a job-queue consumer may run several jobs at once in this process: amqplib's `consume`
 * delivers each message as it arrives; Bull's `process(5, fn)` and an options object's
 * `concurrency`, `teamSize`, `batchSize`… above 1 (or not a literal, or a constant named for it)
 * ask for it. Without any of these the queue hands this worker one job at a time (their default).
 */
function runsJobsAtOnce(name: string, args: readonly ts.Expression[], handler: ts.Node): boolean {
  if (name === 'consume') return true;
  const above1 = (e: ts.Expression) => !ts.isNumericLiteral(e) || Number(e.text) > 1;
  for (const a of args) {
    if (a === handler) continue;
    const e = skipParens(a);
    if (ts.isNumericLiteral(e) && above1(e)) return true;
    if ((ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && JOB_CONCURRENCY.test(ts.isIdentifier(e) ? e.text : e.name.text)) return true;
    if (!ts.isObjectLiteralExpression(e)) continue;
    for (const p of e.properties) {
      if (ts.isSpreadAssignment(p)) return true;
      if (!p.name || !ts.isIdentifier(p.name) || !JOB_CONCURRENCY.test(p.name.text)) continue;
      if (!ts.isPropertyAssignment(p) || above1(skipParens(p.initializer))) return true;
    }
  }
  return false;
}
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route', 'ws', 'any']);
const ROUTER_RECEIVER = /^(app|router|server|api|fastify|routes?|instance|koa|hono|express|srv|r|v1|v2|admin|wss?|io|socket|bot|client|channel|ipcMain|ipc)$/i;
const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer', 'serve', 'Server', 'WebSocketServer']);
const PARALLEL_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every']);
const COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
/** ORMs whose entity classes map table rows, and how such a class is marked. */
const ORM_MODULES = /^(sequelize|sequelize-typescript|typeorm|@mikro-orm\/[\w-]+|objection)$/;
const ORM_ENTITY_DECORATORS = new Set(['Table', 'Entity']);
const ORM_BASE_CLASSES = new Set(['Model', 'BaseEntity']);

/** Whether an expression is what the module exports: `export default x`, `export const n = x`, `module.exports = x`, `exports.n = x`. */
function isExportedValue(e: ts.Expression): boolean {
  const n = skipOuterParents(e);
  const p = n.parent;
  if (ts.isExportAssignment(p)) return true;
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    const statement = p.parent.parent;
    return ts.isVariableStatement(statement) && !!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) {
    const left = p.left.getText();
    return /^(module\.exports|exports)(\.\w+)?$/.test(left);
  }
  return false;
}

/** HTTP methods, the names route files export their request handlers under. */
const HTTP_METHOD_EXPORTS = /^(GET|POST|PUT|PATCH|DELETE)$/;

/** The HTTP method a call's result is exported as (`export const POST = wrap(…)`), if any. */
function exportedRouteName(call: ts.CallExpression): string | undefined {
  const n = skipOuterParents(call);
  const p = n.parent;
  return ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name) && HTTP_METHOD_EXPORTS.test(p.name.text) && isExportedValue(call) ? p.name.text : undefined;
}

/** Whether a call's name says it may run a callback it is given (see callbackSource): a cheap filter. */
function mayRunCallbacks(call: ts.CallExpression | ts.NewExpression): boolean {
  const { name } = callName(call);
  if (!name) return false;
  return (
    EVENT_METHODS.has(name) || ONCE_METHODS.has(name) || JOB_METHODS.has(name) || name === 'Worker' || ROUTE_METHODS.has(name) || SERVER_FACTORIES.has(name) || PARALLEL_METHODS.has(name) || REGISTRATION_METHODS.has(name) || SCHEDULERS.has(name) ||
    /^(on[A-Z]|register[A-Z]|add[A-Z]\w*(Listener|Handler|Hook|Callback)$|set[A-Z]\w*(Handler|Listener)$|[a-z]\w*Handler$|set(Interval|Timeout|Immediate)$|queueMicrotask$|nextTick$|useEffect$|useLayoutEffect$|from$|command$)/.test(name)
  );
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === kind));
}

function isPrivateMember(m: ts.ClassElement): boolean {
  return hasModifier(m, ts.SyntaxKind.PrivateKeyword) || hasModifier(m, ts.SyntaxKind.ProtectedKeyword) || (!!m.name && ts.isPrivateIdentifier(m.name));
}

function memberName(m: ts.ClassElement | ts.ObjectLiteralElementLike): string | undefined {
  const n = m.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  return undefined;
}

/** The function a class member or object property holds: a method, or an arrow/function in a property. */
function memberFunction(m: ts.ClassElement | ts.ObjectLiteralElementLike): FunctionLike | undefined {
  if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) return m;
  const init = (ts.isPropertyDeclaration(m) || ts.isPropertyAssignment(m)) && m.initializer ? skipParens(m.initializer) : undefined;
  if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
  return undefined;
}

function callName(call: ts.CallExpression | ts.NewExpression): { name?: string; receiver?: ts.Expression } {
  const c = skipParens(call.expression);
  if (ts.isIdentifier(c)) return { name: c.text };
  if (ts.isPropertyAccessExpression(c)) return { name: c.name.text, receiver: c.expression };
  return {};
}

function receiverName(r: ts.Expression | undefined): string {
  if (!r) return '';
  const e = skipParens(r);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '';
}

/** A short name for messages: `recordSale`, `Cache.get`, `the callback`. */
export function functionName(fn: FunctionLike): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
    const owner = fn.parent;
    const m = memberName(fn) ?? 'method';
    if (ts.isClassLike(owner) && owner.name) return `${owner.name.text}.${m}`;
    return m;
  }
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) {
    const m = memberName(p);
    if (m) return ts.isPropertyDeclaration(p) && ts.isClassLike(p.parent) && p.parent.name ? `${p.parent.name.text}.${m}` : m;
  }
  // `exports.set = async function () {…}`, `Store.prototype.get = function () {…}`.
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === fn && ts.isPropertyAccessExpression(p.left)) {
    const proto = ts.isFunctionExpression(fn) ? prototypeMethodOf(fn) : undefined;
    return proto ? `${proto.constructorName}.${proto.method}` : p.left.getText().replace(/^(module\.)?exports\./, '');
  }
  return 'this callback';
}

/** A function's name in backticks, or `this callback` as plain words. */
export function quoteName(fn: FunctionLike): string {
  const n = functionName(fn);
  return n === 'this callback' ? n : `\`${n}\``;
}

/** Whether a call's result is awaited (directly, or the variable holding it is awaited before the loop body ends). */
function isAwaited(call: ts.Expression, within: ts.Node): boolean {
  let n: ts.Node = call;
  while (n.parent && n !== within) {
    const p = n.parent;
    if (ts.isAwaitExpression(p) || ts.isYieldExpression(p) || ts.isReturnStatement(p)) return true;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent)) {
      // `f().then(...)`, `f().catch(...)`: the chain is what counts.
      n = p.parent;
      continue;
    }
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) {
      const name = p.name.text;
      let awaited = false;
      const visit = (x: ts.Node): void => {
        if (awaited || isFunctionLike(x)) return;
        if (ts.isAwaitExpression(x) && ts.isIdentifier(skipParens(x.expression)) && (skipParens(x.expression) as ts.Identifier).text === name) awaited = true;
        ts.forEachChild(x, visit);
      };
      visit(within);
      return awaited;
    }
    return false;
  }
  return false;
}

export class ConcurrencyModel {
  private readonly self = new Map<FunctionLike, ConcurrencySource>();
  private readonly task = new Map<FunctionLike, ConcurrencySource>();
  private readonly serialized = new Set<FunctionLike>();
  /** Functions given a source other than being reachable from outside: a handler, a timer, a caller, Promise.all… */
  private readonly runBySomething = new Set<FunctionLike>();
  /** Per class, for boundInConstructor: how often each field is assigned, and the value the constructor gives it. */
  private readonly fieldAssignments = new Map<ts.ClassLikeDeclaration, Map<string, { count: number; value?: ts.Expression }>>();
  /** Functions this file itself runs overlapping (a handler, a timer, Promise.all…), whatever source was kept for them first. */
  private readonly seenOverlapping = new Set<FunctionLike>();
  /** The different functions each combinator starts together (`Promise.all([a(), b()])`), when more than one. */
  private readonly combinedGroups: FunctionLike[][] = [];
  /** Call sites per function, from propagate: who calls whom. */
  private callsOf = new Map<FunctionLike, ts.CallExpression[]>();
  private callersOf?: Map<FunctionLike, FunctionLike[]>;
  private readonly overlapSeen = new Map<FunctionLike, boolean>();
  private readonly exportedNames = new Set<string>();
  private readonly exportedNodes = new Set<ts.Node>();
  private readonly longLived = new Map<ts.ClassLikeDeclaration, boolean>();
  private readonly classes: ts.ClassLikeDeclaration[] = [];
  private readonly functions: FunctionLike[] = [];
  private readonly asyncish = new Set<FunctionLike>();
  /** isMadeByExport per constructor name: each walks the whole file, and every prototype method asks. */
  private readonly madeByExport = new Map<string, boolean>();
  /** Whether the file mentions `chdir` at all: asked once per function by changesDirectory. */
  private mentionsChdir?: boolean;

  /**
   * `withSuspensions`: the functions known to have suspension points of their own (see
   * findAsyncFunctions), so that bodies are not walked again; found here when not given.
   */
  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly scopes: Scopes,
    readonly idioms: SafeIdioms,
    private readonly withSuspensions?: ReadonlySet<ts.Node>,
  ) {
    this.collect();
    this.findRoots();
    this.propagate();
  }

  /** Why `fn` can overlap another run of itself; undefined when nothing in sight makes it so. */
  sourceOf(fn: FunctionLike): ConcurrencySource | undefined {
    return this.self.get(fn);
  }

  /** Why `fn` can run interleaved with other tasks (self-overlap, or a one-shot timer, a `once` handler...). */
  taskSourceOf(fn: FunctionLike): ConcurrencySource | undefined {
    return this.self.get(fn) ?? this.task.get(fn);
  }

  /**
   * Whether the file itself shows runs of `fn` overlapping: a concurrency source other than its
   * being exported or a public method (callers *may* overlap it) makes it, or one of its callers'.
   * A source kept for `fn` may be the assumed one while the file also runs it from a Promise.all.
   */
  isSeenOverlapping(fn: FunctionLike): boolean {
    const known = this.overlapSeen.get(fn);
    if (known !== undefined) return known;
    this.overlapSeen.set(fn, false);
    if (!this.callersOf) {
      this.callersOf = new Map();
      for (const [caller, calls] of this.callsOf) {
        for (const call of calls) {
          const callee = this.resolveCallee(call);
          if (!callee || callee === caller) continue;
          const list = this.callersOf.get(callee);
          if (list) list.push(caller);
          else this.callersOf.set(callee, [caller]);
        }
      }
    }
    const seen = this.seenOverlapping.has(fn) || (this.callersOf.get(fn) ?? []).some((c) => this.isSeenOverlapping(c)) || this.reachedTwiceFromOneCombinator(fn);
    this.overlapSeen.set(fn, seen);
    return seen;
  }

  /**
   * Whether two different functions started together by one combinator (`Promise.all([a(), b()])`)
   * both run `fn`, themselves or through the functions they call: its two runs then overlap, though
   * neither starter runs twice (`isSupported()` and `supportsLazyLoading()` both await `getVersions()`).
   */
  private reachedTwiceFromOneCombinator(fn: FunctionLike): boolean {
    if (this.combinedGroups.length === 0 || !this.callersOf) return false;
    const above = new Set<FunctionLike>([fn]);
    const queue = [fn];
    while (queue.length > 0 && above.size < 200) {
      for (const c of this.callersOf.get(queue.pop()!) ?? []) {
        if (above.has(c) || this.serialized.has(c)) continue;
        above.add(c);
        queue.push(c);
      }
    }
    return this.combinedGroups.some((group) => group.filter((g) => above.has(g)).length >= 2);
  }

  /** Whether `fn` runs under a lock or limiter (its own runs never overlap). */
  isSerialized(fn: FunctionLike): boolean {
    return this.serialized.has(fn);
  }

  // ------------------------------------------------------------------------------------------

  private collect(): void {
    const sf = this.sourceFile;
    this.scopes.forEachNode((n) => {
      if (isFunctionLike(n)) {
        this.functions.push(n);
        if (isAsyncFunction(n) || (this.withSuspensions ? this.withSuspensions.has(n) : suspensionPointsOf(n).length > 0)) this.asyncish.add(n);
      }
      if (ts.isClassLike(n)) this.classes.push(n);
    });
    for (const s of sf.statements) {
      if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) && !s.moduleSpecifier) {
        for (const el of s.exportClause.elements) this.exportedNames.add((el.propertyName ?? el.name).text);
      } else if (ts.isExportAssignment(s)) {
        this.markExported(s.expression);
      } else if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        // CommonJS: `module.exports = …`, `exports.f = …`, `module.exports.f = …`.
        const left = s.expression.left.getText(sf);
        if (/^(module\.)?exports(\.|$)/.test(left)) this.markExported(s.expression.right);
      }
    }
  }

  /** Whether a top-level name is exported, by `export function X`, `export const X`, `export { X }` or CommonJS. */
  private isExportedName(name: string): boolean {
    if (this.exportedNames.has(name)) return true;
    return this.sourceFile.statements.some(
      (s) =>
        hasModifier(s, ts.SyntaxKind.ExportKeyword) &&
        ((ts.isFunctionDeclaration(s) && s.name?.text === name) || (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name))),
    );
  }

  /**
   * Whether an exported function hands out instances of a constructor of the file
   * (`exports.create = (opts) => new DiskStore(opts)`): callers hold them as long as they like.
   */
  private isMadeByExport(name: string): boolean {
    const known = this.madeByExport.get(name);
    if (known !== undefined) return known;
    let made = false;
    const visit = (n: ts.Node): void => {
      if (made) return;
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
        const f = enclosingFunction(n);
        if (!ts.isSourceFile(f)) {
          const holder = ts.isVariableDeclaration(f.parent) ? f.parent : f;
          if (this.exportedNodes.has(f) || this.isExportedDeclaration(holder)) made = true;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(this.sourceFile);
    this.madeByExport.set(name, made);
    return made;
  }

  private markExported(e: ts.Expression): void {
    const x = skipParens(e);
    if (ts.isIdentifier(x)) this.exportedNames.add(x.text);
    else if (ts.isObjectLiteralExpression(x)) {
      this.exportedNodes.add(x);
      for (const p of x.properties) {
        if (ts.isShorthandPropertyAssignment(p)) this.exportedNames.add(p.name.text);
        else if (ts.isPropertyAssignment(p) && ts.isIdentifier(skipParens(p.initializer))) this.exportedNames.add((skipParens(p.initializer) as ts.Identifier).text);
      }
    } else if (ts.isNewExpression(x) || ts.isCallExpression(x)) {
      this.exportedNodes.add(x);
      if (ts.isNewExpression(x) && ts.isIdentifier(x.expression)) this.exportedNames.add(x.expression.text);
    } else this.exportedNodes.add(x);
  }

  private isExportedDeclaration(node: ts.Node): boolean {
    if (this.exportedNodes.has(node)) return true;
    if (hasModifier(node, ts.SyntaxKind.ExportKeyword)) return true;
    if (ts.isVariableDeclaration(node)) {
      const stmt = node.parent?.parent;
      if (stmt && ts.isVariableStatement(stmt) && hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) return true;
      return ts.isIdentifier(node.name) && this.exportedNames.has(node.name.text) && ts.isSourceFile(stmt?.parent ?? node);
    }
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) return this.exportedNames.has(node.name.text) && ts.isSourceFile(node.parent);
    return false;
  }

  /** Whether instances of a class live long enough to be shared by concurrent calls. */
  isLongLived(c: ts.ClassLikeDeclaration): boolean {
    const known = this.longLived.get(c);
    if (known !== undefined) return known;
    this.longLived.set(c, false);
    let result = this.isExportedDeclaration(c) || (ts.canHaveDecorators(c) && (ts.getDecorators(c)?.length ?? 0) > 0);
    if (!result && c.name) {
      const name = c.name.text;
      const sf = this.sourceFile;
      const visit = (n: ts.Node): void => {
        if (result) return;
        if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
          // Per-call objects are `const x = new C()` inside a function, or `new C().m()`.
          const p = skipParens(n).parent;
          const inFunction = !ts.isSourceFile(enclosingFunction(n));
          const localVar = ts.isVariableDeclaration(p) && p.initializer !== undefined && skipParens(p.initializer) === n;
          const immediate = ts.isPropertyAccessExpression(p) && p.expression === n;
          if (!(inFunction && (localVar || immediate))) result = true;
        }
        if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n !== c && n.heritageClauses?.some((h) => h.types.some((t) => ts.isIdentifier(t.expression) && t.expression.text === name))) {
          if (this.isLongLived(n)) result = true;
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    this.longLived.set(c, result);
    return result;
  }

  /**
   * Whether a class maps rows of an ORM (sequelize-typescript's `@Table`, TypeORM's and
   * MikroORM's `@Entity`, a class extending sequelize's `Model` or TypeORM's `BaseEntity`): its
   * instances are made per query, not shared between the requests that load them.
   */
  private isOrmEntity(c: ts.ClassLikeDeclaration): boolean {
    const from = (name: string): string | undefined => this.importedFrom(name);
    const decorated = (ts.canHaveDecorators(c) ? ts.getDecorators(c) ?? [] : []).some((d) => {
      const e = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      return ts.isIdentifier(e) && ORM_ENTITY_DECORATORS.has(e.text) && ORM_MODULES.test(from(e.text) ?? '');
    });
    if (decorated) return true;
    return !!c.heritageClauses?.some(
      (h) => h.token === ts.SyntaxKind.ExtendsKeyword && h.types.some((t) => ts.isIdentifier(t.expression) && ORM_BASE_CLASSES.has(t.expression.text) && ORM_MODULES.test(from(t.expression.text) ?? '')),
    );
  }

  /** The module a top-level import binds `name` from (`import { Table } from 'sequelize-typescript'`). */
  private importedFrom(name: string): string | undefined {
    for (const s of this.sourceFile.statements) {
      if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !s.importClause) continue;
      const { name: def, namedBindings } = s.importClause;
      if (def?.text === name) return s.moduleSpecifier.text;
      if (namedBindings && ts.isNamedImports(namedBindings) && namedBindings.elements.some((el) => el.name.text === name)) return s.moduleSpecifier.text;
    }
    return undefined;
  }

  private setSelf(fn: FunctionLike, source: ConcurrencySource): boolean {
    if (!this.serialized.has(fn) && !ASSUMED_OVERLAP.has(source.kind) && source.kind !== 'caller') this.seenOverlapping.add(fn);
    if (!REACHABLE_ONLY.has(source.kind)) this.runBySomething.add(fn);
    // (Runs that overlap in this process replace runs that overlap only in other processes.)
    const known = this.self.get(fn);
    if (this.serialized.has(fn) || (known && !(overlapsOnlyOutOfProcess(known) && !overlapsOnlyOutOfProcess(source)))) return false;
    this.self.set(fn, source);
    return true;
  }

  private setTask(fn: FunctionLike, source: ConcurrencySource): boolean {
    if (!REACHABLE_ONLY.has(source.kind)) this.runBySomething.add(fn);
    if (this.serialized.has(fn) || this.self.has(fn) || this.task.has(fn)) return false;
    this.task.set(fn, source);
    return true;
  }

  private findRoots(): void {
    const sf = this.sourceFile;
    for (const fn of this.functions) {
      if (isContinuationCallback(fn)) continue;
      if (this.idioms.isSerializedCallback(fn)) this.serialized.add(fn);
    }
    for (const fn of this.functions) {
      if (this.serialized.has(fn) || isContinuationCallback(fn)) continue;
      const name = quoteName(fn);
      const p = fn.parent;
      // A function that moves the whole process into another directory (`process.chdir(root)`)
      // is a program's main routine: a second run at the same time would move the first one's
      // relative paths under it, so its callers run it once, and being exported says nothing.
      const main = this.changesDirectory(fn);
      // Exported functions.
      if (!main && ts.isFunctionDeclaration(fn) && this.isExportedDeclaration(fn)) {
        this.setSelf(fn, { kind: 'exported', site: fn.name ?? fn, description: `${name} is exported, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
        continue;
      }
      if (!main && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(p) && p.initializer && skipParens(p.initializer) === fn && this.isExportedDeclaration(p)) {
        this.setSelf(fn, { kind: 'exported', site: p.name, description: `${name} is exported, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
        continue;
      }
      if (!main && this.exportedNodes.has(fn)) {
        this.setSelf(fn, { kind: 'exported', site: fn, description: `${name} is exported, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
        continue;
      }
      // Methods of an exported constructor function: `export function Auth() {}` and
      // `Auth.prototype.getClient = function () {…}` (not `_private` ones).
      const proto = ts.isFunctionExpression(fn) ? prototypeMethodOf(fn) : undefined;
      if (proto && !proto.method.startsWith('_') && (this.isExportedName(proto.constructorName) || this.isMadeByExport(proto.constructorName))) {
        this.setSelf(fn, { kind: 'public-method', site: fn, description: `\`${proto.constructorName}.${proto.method}\` is a public method of an exported \`${proto.constructorName}\` type, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
        continue;
      }
      // A member put on an exported constructor or object at the top of the file: `Db.connect =
      // async function (url) {…}` with `module.exports = Db` (a static method written before classes).
      const member = p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === fn && ts.isPropertyAccessExpression(p.left) && ts.isIdentifier(p.left.expression) && ts.isExpressionStatement(p.parent) && ts.isSourceFile(p.parent.parent) ? p.left : undefined;
      const owner = member && (member.expression as ts.Identifier).text;
      if (member && owner && !/^(exports|module)$/.test(owner) && !member.name.text.startsWith('_') && this.isExportedName(owner)) {
        this.setSelf(fn, { kind: 'exported', site: member, description: `\`${owner}.${member.name.text}\` is a member of the exported \`${owner}\`, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
        continue;
      }
      // Public methods of long-lived classes, and methods of exported or module-level objects.
      const holder = ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn) ? fn : ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) ? p : undefined;
      if (holder && ts.isClassLike(holder.parent)) {
        const cls = holder.parent;
        if (!isPrivateMember(holder as ts.ClassElement) && this.isLongLived(cls)) {
          // An ORM entity's instance is one row as one query loaded it: concurrent requests each
          // load their own, so its fields are per-request data, while the rows and tables its
          // methods read and write are still shared.
          const perRow = !hasModifier(holder, ts.SyntaxKind.StaticKeyword) && this.isOrmEntity(cls);
          const description = perRow
            ? `${name} is a public method of the \`${cls.name?.text ?? 'entity'}\` model, so callers in concurrent requests may run it at once (each on the row it loaded)`
            : `${name} is a public method of a long-lived ${cls.name ? `\`${cls.name.text}\`` : 'class'} object, so callers may run it concurrently`;
          this.setSelf(fn, { kind: 'public-method', site: holder.name ?? fn, description, selfOverlap: true, sameInstance: !perRow });
          continue;
        }
      }
      if (holder && ts.isObjectLiteralExpression(holder.parent)) {
        const obj = holder.parent;
        const decl = obj.parent;
        const exported = this.exportedNodes.has(obj) || (ts.isVariableDeclaration(decl) && this.isExportedDeclaration(decl));
        // A migration (`module.exports = { up, down }`) runs once, by the migration tool.
        const migration = ['up', 'down'].every((m) => obj.properties.some((q) => memberName(q) === m));
        if (exported && !migration) {
          this.setSelf(fn, { kind: 'exported', site: holder.name ?? fn, description: `${name} is a method of an exported object, so callers may run it concurrently`, selfOverlap: true, sameInstance: true });
          continue;
        }
        // Vue `methods`, Pinia `actions`: the framework calls them on events, from any component.
        const options = optionsObjectOf(obj);
        if (options && options !== obj) {
          this.setSelf(fn, { kind: 'event-handler', site: holder.name ?? fn, description: `${name} is a method of a component or store, which the framework calls on events and from other components, even while a previous call awaits`, selfOverlap: true, sameInstance: true });
          continue;
        }
      }
      // Callbacks handed to something that calls them (not React's `useCallback(fn, deps)`, which
      // only keeps it: it runs where the value is used, see isReturned).
      if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(fn as ts.Expression) && !isKeptCallback(p)) {
        this.callbackSource(fn, p);
        continue;
      }
      // `<button onClick={async () => …}>`: the user can click again while it awaits.
      if (p && ts.isJsxExpression(p) && ts.isJsxAttribute(p.parent) && /^on[A-Z]/.test(p.parent.name.getText(sf))) {
        this.setSelf(fn, { kind: 'event-handler', site: p.parent, description: `${name} handles \`${p.parent.name.getText(sf)}\` events, which can arrive while it awaits`, selfOverlap: true, sameInstance: true });
        continue;
      }
      // `el.onmessage = async (e) => …`
      if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === fn && ts.isPropertyAccessExpression(p.left) && /^on[a-z]+$/.test(p.left.name.text)) {
        this.setSelf(fn, { kind: 'event-handler', site: p.left, description: `${name} handles \`${p.left.name.text}\` events, which can arrive while it awaits`, selfOverlap: true, sameInstance: true });
        continue;
      }
      // Closures returned to callers.
      if (this.isReturned(fn)) {
        this.setSelf(fn, { kind: 'returned-closure', site: fn, description: `${name} is returned to callers, who may run it concurrently`, selfOverlap: true, sameInstance: true });
      }
    }
    // Calls that start runs without waiting for them.
    const visit = (n: ts.Node): void => {
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments && n.arguments.length > 0 && mayRunCallbacks(n)) {
        // Handlers passed by reference: `worker.on('message', onResult)`, `emitter.on('data', this.onData)`.
        for (const a of n.arguments) {
          const ref = skipParens(a);
          if (!(ts.isIdentifier(ref) || ts.isPropertyAccessExpression(ref) || ts.isCallExpression(ref))) continue;
          const fn = this.resolveFunctionRef(ref);
          if (fn && !this.serialized.has(fn) && !this.idioms.isSerializedCallback(a)) this.callbackSource(fn, n, a);
        }
      }
      // `<button onClick={reload}>`
      if (ts.isJsxAttribute(n) && n.initializer && ts.isJsxExpression(n.initializer) && n.initializer.expression && /^on[A-Z]/.test(n.name.getText(sf))) {
        const fn = this.resolveFunctionRef(n.initializer.expression);
        if (fn) this.setSelf(fn, { kind: 'event-handler', site: n, description: `${quoteName(fn)} handles \`${n.name.getText(sf)}\` events, which can arrive while it awaits`, selfOverlap: true, sameInstance: true });
      }
      if (ts.isCallExpression(n)) {
        const { name, receiver } = callName(n);
        if (name && COMBINATORS.has(name) && receiver && ts.isIdentifier(skipParens(receiver)) && (skipParens(receiver) as ts.Identifier).text === 'Promise') {
          this.combinatorSources(n);
        }
        if (this.isInLoop(n)) {
          const callee = this.resolveCallee(n);
          if (callee && this.asyncish.has(callee) && !isAwaited(n, this.loopBodyOf(n)!)) {
            const site = n;
            this.setSelf(callee, { kind: 'unawaited-call', site, description: `${quoteName(callee)} is started in a loop without waiting for the previous run`, selfOverlap: true, sameInstance: true });
          }
        }
      }
      if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) this.overlappingStarts(n.statements);
    };
    this.scopes.forEachNode(visit);
  }

  /**
   * Async calls started one after another without waiting (`incrementOnce(); incrementOnce();`,
   * `const a = sellGrapes(); const b = sellOlives(); await a; await b;`): each run is still going
   * when the next one starts. The same function started twice overlaps itself; different ones
   * interleave with each other. A run counts as finished once its promise (or the variable
   * holding it) is awaited.
   */
  private overlappingStarts(statements: ts.NodeArray<ts.Statement>): void {
    if (statements.length < 2) return;
    const sf = this.sourceFile;
    const inFlight: { callee: FunctionLike; call: ts.CallExpression; name?: string }[] = [];
    const started = (e: ts.Expression | undefined): ts.CallExpression | undefined => {
      let x = e && skipParens(e);
      if (x && ts.isVoidExpression(x)) x = skipParens(x.expression);
      // `f().then(...)`, `f().catch(...)` start f just the same.
      while (x && ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['then', 'catch', 'finally'].includes(x.expression.name.text)) x = skipParens(x.expression.expression);
      return x && ts.isCallExpression(x) ? x : undefined;
    };
    const line = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    for (const stmt of statements) {
      // `await t1;`, `await Promise.all([t1, t2])`: those runs are over.
      const awaitedNames = new Set<string>();
      const collect = (n: ts.Node): void => {
        if (isFunctionLike(n)) return;
        if (ts.isAwaitExpression(n)) {
          const mark = (x: ts.Node): void => {
            if (ts.isIdentifier(x)) awaitedNames.add(x.text);
            ts.forEachChild(x, mark);
          };
          mark(n.expression);
        }
        ts.forEachChild(n, collect);
      };
      let call: ts.CallExpression | undefined;
      let name: string | undefined;
      let awaitedHere = false;
      if (ts.isExpressionStatement(stmt)) {
        const e = skipParens(stmt.expression);
        awaitedHere = ts.isAwaitExpression(e);
        call = started(awaitedHere ? (e as ts.AwaitExpression).expression : e);
      } else if (ts.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1) {
        const d = stmt.declarationList.declarations[0];
        const init = d.initializer && skipParens(d.initializer);
        awaitedHere = !!init && ts.isAwaitExpression(init);
        call = started(init && ts.isAwaitExpression(init) ? init.expression : init);
        if (!awaitedHere && ts.isIdentifier(d.name)) name = d.name.text;
      }
      const callee = call && this.resolveCallee(call);
      if (call && callee && this.asyncish.has(callee)) {
        for (const other of inFlight) {
          const description =
            other.callee === callee
              ? `${quoteName(callee)} is started again on line ${line(call)} while the run started on line ${line(other.call)} is still going`
              : `${quoteName(callee)} (line ${line(call)}) runs while ${quoteName(other.callee)} (started on line ${line(other.call)}) is still going`;
          const source: ConcurrencySource = { kind: 'unawaited-call', site: call, description, selfOverlap: other.callee === callee, sameInstance: true };
          if (other.callee === callee) this.setSelf(callee, source);
          else {
            this.setTask(callee, source);
            this.setTask(other.callee, { ...source, description: `${quoteName(other.callee)} (started on line ${line(other.call)}) is still going when ${quoteName(callee)} starts on line ${line(call)}` });
          }
        }
        // One entry per function (and promise variable) is enough to say what overlaps, and keeps
        // a file of thousands of `g();` statements linear.
        if (!awaitedHere && inFlight.length < 64 && !inFlight.some((f) => f.callee === callee && f.name === name)) inFlight.push({ callee, call, name });
      }
      if (inFlight.some((f) => f.name)) collect(stmt);
      for (let i = inFlight.length - 1; i >= 0; i--) {
        const f = inFlight[i];
        // (A run whose promise was dropped, `f();`, is never known to be over: other awaits only let it progress.)
        if (f.name && awaitedNames.has(f.name)) inFlight.splice(i, 1);
      }
    }
  }

  /** Whether a function's own body (not a nested function's) calls `process.chdir(…)`. */
  private changesDirectory(fn: FunctionLike): boolean {
    // (One look at the file's text per file, not a copy of every function's body.)
    if (!fn.body || !(this.mentionsChdir ??= this.sourceFile.text.includes('chdir'))) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found || (n !== fn && isFunctionLike(n))) return;
      if (ts.isCallExpression(n)) {
        const c = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(c) && c.name.text === 'chdir' && ts.isIdentifier(skipParens(c.expression)) && (skipParens(c.expression) as ts.Identifier).text === 'process') found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return found;
  }

  private isReturned(fn: FunctionLike): boolean {
    let n: ts.Node = fn;
    while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
    // A hook's `const remove = useCallback((k) => …, deps); return { remove }`: the callback is returned.
    if (ts.isCallExpression(n.parent) && n.parent.arguments[0] === n && isKeptCallback(n.parent)) n = n.parent;
    const p = n.parent;
    if (ts.isReturnStatement(p)) return true;
    // `const handler = async () => …; return handler;`, `function load() {…} return { items, load };`
    const named = ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name) ? p.name : ts.isFunctionDeclaration(fn) ? fn.name : undefined;
    if (named) {
      const owner = enclosingFunction(ts.isFunctionDeclaration(fn) ? fn : p);
      if (ts.isSourceFile(owner) || !owner.body) return false;
      return returnsName(owner, named.text);
    }
    if (ts.isArrowFunction(p) && p.body === n) return true;
    // Put into an object the function then returns: `actions[key] = async () => …; return [state, actions]`.
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && (ts.isPropertyAccessExpression(p.left) || ts.isElementAccessExpression(p.left))) {
      const holder = skipParens(p.left.expression);
      const b = ts.isIdentifier(holder) ? this.scopes.resolve(holder) : undefined;
      const owner = b && !ts.isSourceFile(b.owner) && ts.isVariableDeclaration(b.declaration) && ts.isIdentifier(b.declaration.name) ? b.owner : undefined;
      return !!owner && returnsName(owner, b!.name);
    }
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && ts.isObjectLiteralExpression(p.parent)) return isReturnedObject(p.parent);
    if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)) return isReturnedObject(fn.parent);
    return false;
  }

  /** `arg`: the argument that passes `fn` (the function itself, or a reference such as `this.onData`). */
  private callbackSource(fn: FunctionLike, call: ts.CallExpression | ts.NewExpression, arg: ts.Node = fn): void {
    const { name, receiver } = callName(call);
    if (!name) return;
    const fname = quoteName(fn);
    const args = call.arguments ?? [];
    const first = args[0] && skipParens(args[0]);
    const eventName = first && ts.isStringLiteralLike(first) ? first.text : undefined;
    if (ts.isCallExpression(call) && receiver && EVENT_METHODS.has(name)) {
      const from = receiverName(receiver);
      // Messages from other threads and processes arrive on their own schedule, one task each.
      const what =
        eventName === 'message' && /^(process|child|cluster)$|worker|parentPort|port$/i.test(from)
          ? `messages from ${from === 'process' ? 'another process' : /worker/i.test(from) && from !== 'parentPort' ? 'a worker thread' : 'another thread'}`
          : eventName
            ? `\`'${eventName}'\` events`
            : 'events';
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} handles ${what}, which can arrive while it awaits`, selfOverlap: true, sameInstance: true });
      return;
    }
    // Commands, handlers and hooks registered with a framework (`vscode.commands.registerCommand`,
    // `bot.command`, `ipcMain.handle`, `server.setRequestHandler`): it calls them whenever the user
    // or a peer asks.
    if (ts.isCallExpression(call) && receiver && (/^register[A-Z]\w*$/.test(name) || /^add[A-Z]\w*(Listener|Handler|Hook|Callback)$/.test(name) || /^set[A-Z]\w*(Handler|Listener)$/.test(name) || REGISTRATION_METHODS.has(name) || (name === 'command' && /bot|telegraf|client/i.test(receiverName(receiver))))) {
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} is registered with \`${name}\`${eventName ? ` for \`'${eventName}'\`` : ''}, and runs whenever it is invoked, even while a previous run awaits`, selfOverlap: true, sameInstance: true });
      return;
    }
    // A function wrapped as a handler whose result the module exports (`export default
    // defineEventHandler(async (event) => …)` in h3 and Nitro, `export const GET = apiHandler(…)`):
    // the framework registers what the wrapper returns, and runs it for each event or request.
    // (A wrapper whose result is not exported, `await withErrorHandler(async () => …)`, may only run it.)
    if (ts.isCallExpression(call) && /^[a-z]\w*Handler$/.test(name) && args[args.length - 1] === arg && isExportedValue(call)) {
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} is made a handler by \`${name}\`, and runs for each event or request, even while a previous run awaits`, selfOverlap: true, sameInstance: true });
      return;
    }
    // A function wrapped by a call whose result the module exports under an HTTP method's name
    // (`export const POST = withWorkspace(async ({ req }) => …)`): route files of Next.js, SvelteKit,
    // Astro and their kin export their request handlers so named, and the framework runs what the
    // wrapper returns, the function with it, for each request.
    const route = ts.isCallExpression(call) ? exportedRouteName(call) : undefined;
    if (route) {
      this.setSelf(fn, { kind: 'route-handler', site: call, description: `${fname} handles \`${route}\` requests (through \`${name}\`), and a server runs requests concurrently`, selfOverlap: true, sameInstance: true });
      return;
    }
    // (Also a function of that name called alone, `onInstalled(cb)`, Firebase's `onAuthStateChanged(auth,
    // cb)`: it subscribes the callback to the event. A component's lifecycle hook, `onMounted(cb)`,
    // runs it once per component.)
    if (ts.isCallExpression(call) && (receiver || !LIFECYCLE_HOOKS.test(name)) && /^on[A-Z]/.test(name)) {
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} handles \`${name}\` events, which can arrive while it awaits`, selfOverlap: true, sameInstance: true });
      return;
    }
    if (ts.isCallExpression(call) && receiver && ONCE_METHODS.has(name)) {
      this.setTask(fn, { kind: 'event-handler', site: call, description: `${fname} handles a one-time event, which can arrive at any time`, selfOverlap: false, sameInstance: true });
      return;
    }
    if (ts.isCallExpression(call) && receiver && ROUTE_METHODS.has(name)) {
      const pathLike = first && (ts.isStringLiteralLike(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first));
      if (pathLike || ROUTER_RECEIVER.test(receiverName(receiver))) {
        const route = eventName ? ` \`${name.toUpperCase()} ${eventName}\`` : '';
        this.setSelf(fn, { kind: 'route-handler', site: call, description: `${fname} handles requests${route}, and a server runs requests concurrently`, selfOverlap: true, sameInstance: true });
        return;
      }
    }
    if (SERVER_FACTORIES.has(name)) {
      this.setSelf(fn, { kind: 'route-handler', site: call, description: `${fname} handles requests, and a server runs requests concurrently`, selfOverlap: true, sameInstance: true });
      return;
    }
    // A job-queue consumer runs once per job, and jobs of a queue run at the same time: several
    // workers (processes) take jobs from one queue, and a worker may run several at once. So do
    // BullMQ's `new Worker(queueName, processor)` (a worker thread's `new Worker(file)` takes no callback).
    // A worker that takes one job at a time overlaps only with other processes (outOfProcess).
    const jobConsumer = ts.isCallExpression(call) ? !!receiver && JOB_METHODS.has(name) && JOB_RECEIVER.test(receiverName(receiver)) : name === 'Worker' && args.length >= 2 && args[1] === arg;
    if (jobConsumer && args.some((a) => a === arg)) {
      const via = ts.isCallExpression(call) ? `${receiverName(receiver)}.${name}` : 'new Worker';
      const atOnce = runsJobsAtOnce(name, args, arg);
      const how = atOnce ? 'this worker runs several jobs at once' : 'other workers take jobs of the same queue at the same time';
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} processes queue jobs (\`${via}(…)\`), and ${how}`, selfOverlap: true, sameInstance: true, outOfProcess: !atOnce });
      return;
    }
    // A Redux toolkit thunk's payload creator runs on every dispatch of the thunk; dispatches do
    // not wait for each other.
    if (name === 'createAsyncThunk' && args[1] === arg) {
      this.setSelf(fn, { kind: 'event-handler', site: call, description: `${fname} runs on every dispatch of its thunk (\`createAsyncThunk\`), and dispatches do not wait for each other`, selfOverlap: true, sameInstance: true });
      return;
    }
    // Scheduled jobs: a run can start before the previous one finishes.
    if (SCHEDULERS.has(name) && (!ts.isCallExpression(call) || receiver || name === 'cron')) {
      this.setSelf(fn, { kind: 'timer', site: call, description: `${fname} runs on a schedule (\`${name}\`), and a run can start before the previous one finishes`, selfOverlap: true, sameInstance: true });
      return;
    }
    if (name === 'setInterval') {
      this.setSelf(fn, { kind: 'timer', site: call, description: `${fname} runs on an interval, and a run can start before the previous one finishes`, selfOverlap: true, sameInstance: true });
      return;
    }
    if ((name === 'useEffect' || name === 'useLayoutEffect') && args[0] === arg) {
      this.setTask(fn, { kind: 'event-handler', site: call, description: `${fname} runs as an effect after renders, interleaved with event handlers`, selfOverlap: false, sameInstance: true });
      return;
    }
    if (name === 'setTimeout' || name === 'setImmediate' || name === 'queueMicrotask' || name === 'nextTick') {
      this.setTask(fn, { kind: 'timer', site: call, description: `${fname} runs from a timer, interleaved with other tasks`, selfOverlap: false, sameInstance: true });
      return;
    }
    if (ts.isCallExpression(call) && receiver && PARALLEL_METHODS.has(name) && args[0] === arg) {
      this.setSelf(fn, { kind: 'parallel-callback', site: call, description: `${fname} runs once per element of \`.${name}(…)\`, and the runs overlap`, selfOverlap: true, sameInstance: true });
      return;
    }
    if (ts.isCallExpression(call) && name === 'from' && receiver && receiverName(receiver) === 'Array' && args[1] === arg) {
      this.setSelf(fn, { kind: 'parallel-callback', site: call, description: `${fname} runs once per element of \`Array.from(…)\`, and the runs overlap`, selfOverlap: true, sameInstance: true });
      return;
    }
    // Handed to a function of the file that wraps it in a closure it returns, the wrapper's answer
    // returned in turn (`return makeHandler(path, async (update) => …)`, with `makeHandler` returning
    // `async (req, res) => { … await handler(update) }`): it runs whenever that closure does.
    const handedAt = ((call.arguments ?? []) as readonly ts.Node[]).indexOf(fn);
    if (arg === fn && this.wrapsInReturnedClosure(call, handedAt) && this.isReturnedCall(call)) {
      this.setSelf(fn, { kind: 'returned-closure', site: fn, description: `${fname} runs in the closure \`${name}\` wraps it in, which is returned to callers, who may run it concurrently`, selfOverlap: true, sameInstance: true });
    }
  }

  /** Whether a call is what its function returns: `return f(…)`, or an arrow's body. */
  private isReturnedCall(call: ts.CallExpression | ts.NewExpression): boolean {
    let n: ts.Node = call;
    while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
    return ts.isReturnStatement(n.parent) || (ts.isArrowFunction(n.parent) && n.parent.body === n);
  }

  /** Whether the callee, a function of the file, returns a function that calls its parameter at `index`. */
  private wrapsInReturnedClosure(call: ts.CallExpression | ts.NewExpression, index: number): boolean {
    if (!ts.isCallExpression(call) || index < 0) return false;
    const callee = this.resolveCallee(call);
    const param = callee?.parameters[index];
    if (!callee?.body || !param || !ts.isIdentifier(param.name)) return false;
    const pname = param.name.text;
    const callsParam = (f: ts.Node): boolean => {
      let found = false;
      const visit = (x: ts.Node): void => {
        if (found) return;
        if (ts.isCallExpression(x) && ts.isIdentifier(skipParens(x.expression)) && (skipParens(x.expression) as ts.Identifier).text === pname) found = true;
        ts.forEachChild(x, visit);
      };
      visit(f);
      return found;
    };
    const returned = (e: ts.Expression | undefined): boolean => {
      const x = e && skipParens(e);
      return !!x && (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) && callsParam(x);
    };
    if (!ts.isBlock(callee.body)) return returned(callee.body);
    let found = false;
    const visit = (x: ts.Node): void => {
      if (found || (isFunctionLike(x) && x !== callee)) return;
      if (ts.isReturnStatement(x) && returned(x.expression)) found = true;
      ts.forEachChild(x, visit);
    };
    visit(callee.body);
    return found;
  }

  private combinatorSources(call: ts.CallExpression): void {
    const arg = call.arguments[0] && skipParens(call.arguments[0]);
    if (!arg || !ts.isArrayLiteralExpression(arg)) return;
    const callees = new Map<FunctionLike, number>();
    for (const el of arg.elements) {
      const e = skipParens(ts.isSpreadElement(el) ? el.expression : el);
      let target: ts.Expression | undefined = e;
      if (ts.isAwaitExpression(target)) continue;
      // `f().then(...)` starts f.
      while (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression) && ['then', 'catch', 'finally'].includes(target.expression.name.text)) target = target.expression.expression;
      if (!ts.isCallExpression(target)) continue;
      const callee = this.resolveCallee(target);
      if (callee) callees.set(callee, (callees.get(callee) ?? 0) + 1);
      // An inline async IIFE: `Promise.all([(async () => …)(), …])`.
      const c = skipParens(target.expression);
      if ((ts.isArrowFunction(c) || ts.isFunctionExpression(c)) && !callee) callees.set(c, (callees.get(c) ?? 0) + 1);
    }
    const method = (callName(call).name ?? 'all') as string;
    if (callees.size > 1) this.combinedGroups.push([...callees.keys()]);
    for (const [callee, count] of callees) {
      const source: ConcurrencySource = {
        kind: 'promise-combinator',
        site: call,
        description: `${quoteName(callee)} runs inside \`Promise.${method}\`, concurrently with the other promises there`,
        selfOverlap: count > 1,
        sameInstance: true,
      };
      if (count > 1) this.setSelf(callee, source);
      else this.setTask(callee, source);
    }
  }

  private loopBodyOf(n: ts.Node): ts.Node | undefined {
    for (let p = n.parent; p; p = p.parent) {
      if (isFunctionLike(p) || ts.isSourceFile(p)) return undefined;
      if (ts.isIterationStatement(p, false)) return p.statement;
    }
    return undefined;
  }

  private isInLoop(n: ts.Node): boolean {
    const body = this.loopBodyOf(n);
    return !!body && isWithin(n, body);
  }

  /** The function of this file a call runs, when it can be told without types. */
  resolveCallee(call: ts.CallExpression | ts.NewExpression): FunctionLike | undefined {
    return this.resolveFunctionRef(call.expression);
  }

  /**
   * The function of this file an expression refers to: `save`, `this.save`, `repo.save`,
   * `this.save.bind(this)`.
   */
  resolveFunctionRef(expr: ts.Expression): FunctionLike | undefined {
    let c = skipParens(expr);
    if (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'bind') c = skipParens(c.expression.expression);
    if (ts.isIdentifier(c)) return this.functionOfBinding(this.scopes.resolve(c));
    if (!ts.isPropertyAccessExpression(c)) return undefined;
    const member = c.name.text;
    const recv = skipParens(c.expression);
    if (recv.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = this.thisClass(recv);
      if (cls) return this.findMember(cls, member);
      const obj = this.thisObjectLiteral(recv);
      return obj && this.findProperty(obj, member);
    }
    if (recv.kind === ts.SyntaxKind.SuperKeyword) {
      const cls = this.thisClass(recv);
      const base = cls && this.baseClass(cls);
      return base && this.findMember(base, member);
    }
    if (ts.isIdentifier(recv)) {
      const b = this.scopes.resolve(recv);
      if (!b) return undefined;
      if (b.kind === 'class' && ts.isClassLike(b.declaration)) return this.findMember(b.declaration, member);
      const init = b.initializer && skipParens(b.initializer);
      if (init && ts.isNewExpression(init)) {
        const cls = this.classOfNew(init);
        return cls && this.findMember(cls, member);
      }
      if (init && ts.isObjectLiteralExpression(init)) return this.findProperty(init, member);
      // An object a factory of the file made (`const log = await createLog(storage)`, `const api =
      // makeApi()`), the factory handing back one object literal: its members are the functions
      // named there (`return { append, heads }`).
      if (init && b.kind === 'const') {
        const made = ts.isAwaitExpression(init) ? skipParens(init.expression) : init;
        const factory = ts.isCallExpression(made) && ts.isIdentifier(skipParens(made.expression)) ? this.functionOfBinding(this.scopes.resolve(skipParens(made.expression) as ts.Identifier)) : undefined;
        const returned = factory ? returnedValues(factory) : [];
        const obj = returned.length === 1 ? skipParens(returned[0]) : undefined;
        if (obj && ts.isObjectLiteralExpression(obj)) return this.findProperty(obj, member);
      }
      // A parameter or variable typed with a class of the file (`initiator: ContextInitiator`), as a typed field is.
      const decl = b.declaration;
      const type = (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) && !init ? decl.type : undefined;
      if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
        const t = this.scopes.resolveName(type.typeName.text, recv);
        if (t?.kind === 'class' && ts.isClassLike(t.declaration)) return this.findMember(t.declaration, member);
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(recv) && skipParens(recv.expression).kind === ts.SyntaxKind.ThisKeyword) {
      // `this.repo.save()` with `repo = new Repo()` or `private repo: Repo`.
      const cls = this.thisClass(recv);
      const field = cls && this.fieldClass(cls, recv.name.text);
      return field && this.findMember(field, member);
    }
    if (ts.isNewExpression(recv)) {
      const cls = this.classOfNew(recv);
      return cls && this.findMember(cls, member);
    }
    return undefined;
  }

  /** Whether a call's receiver is a fresh object per run (`new C().m()`, a local `const x = new C()`). */
  isFreshReceiver(call: ts.CallExpression): boolean {
    const c = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(c)) return false;
    const recv = skipParens(c.expression);
    if (ts.isNewExpression(recv)) return true;
    if (!ts.isIdentifier(recv)) return false;
    const b = this.scopes.resolve(recv);
    if (!b || ts.isSourceFile(b.owner)) return false;
    const init = b.initializer && skipParens(b.initializer);
    return !!init && ts.isNewExpression(init) && b.owner === enclosingFunction(call);
  }

  private functionOfBinding(b: Binding | undefined): FunctionLike | undefined {
    if (!b) return undefined;
    if (b.kind === 'function' && isFunctionLike(b.declaration)) return b.declaration;
    const init = b.initializer && skipParens(b.initializer);
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
    return undefined;
  }

  private thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n)) continue;
      if (ts.isClassLike(n)) return n;
      if (isFunctionLike(n)) {
        const p = n.parent;
        if ((ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) && ts.isClassLike(p)) return p;
        return undefined;
      }
    }
    return undefined;
  }

  private thisObjectLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n)) continue;
      if (isFunctionLike(n)) return ts.isMethodDeclaration(n) && ts.isObjectLiteralExpression(n.parent) ? n.parent : undefined;
    }
    return undefined;
  }

  private classOfNew(n: ts.NewExpression): ts.ClassLikeDeclaration | undefined {
    if (!ts.isIdentifier(n.expression)) return undefined;
    const b = this.scopes.resolve(n.expression);
    return b && b.kind === 'class' && ts.isClassLike(b.declaration) ? b.declaration : undefined;
  }

  private baseClass(c: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    const ext = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!ext || !ts.isIdentifier(ext.expression)) return undefined;
    const b = this.scopes.resolve(ext.expression);
    return b && b.kind === 'class' && ts.isClassLike(b.declaration) ? b.declaration : undefined;
  }

  private findMember(c: ts.ClassLikeDeclaration, name: string, depth = 0): FunctionLike | undefined {
    for (const m of c.members) {
      if (memberName(m) === name) {
        const f = memberFunction(m) ?? (ts.isPropertyDeclaration(m) && !m.initializer ? this.boundInConstructor(c, name) : undefined);
        if (f) return f;
      }
    }
    const base = depth < 5 ? this.baseClass(c) : undefined;
    return base && this.findMember(base, name, depth + 1);
  }

  /**
   * The function a field declared without a value holds when the constructor gives it one and
   * nothing else in the class assigns it: `this.onTick = this.tick.bind(this)`, `this.onData =
   * (d) => …`. Handlers are often registered through such a field (`emitter.on('tick', this.onTick)`).
   */
  private boundInConstructor(c: ts.ClassLikeDeclaration, name: string): FunctionLike | undefined {
    // (One walk of the class collects every field assignment, whatever name is asked.)
    let fields = this.fieldAssignments.get(c);
    if (!fields) {
      const found = new Map<string, { count: number; value?: ts.Expression }>();
      fields = found;
      this.fieldAssignments.set(c, found);
      const ctor = c.members.find(ts.isConstructorDeclaration);
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
          const left = skipParens(n.left);
          // (A computed key on `this` may be any field.)
          const field = ts.isPropertyAccessExpression(left) ? left.name.text : ts.isElementAccessExpression(left) && skipParens(left.expression).kind === ts.SyntaxKind.ThisKeyword ? '*' : undefined;
          if (field) {
            const entry = found.get(field) ?? { count: 0 };
            entry.count++;
            if (ts.isPropertyAccessExpression(left) && skipParens(left.expression).kind === ts.SyntaxKind.ThisKeyword && ts.isExpressionStatement(n.parent) && !!ctor?.body && n.parent.parent === ctor.body) entry.value = n.right;
            found.set(field, entry);
          }
        }
        ts.forEachChild(n, visit);
      };
      for (const m of c.members) visit(m);
    }
    const entry = fields.get(name);
    if (!entry || entry.count !== 1 || !entry.value || fields.has('*')) return undefined;
    let v = skipParens(entry.value);
    if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) return v;
    if (!ts.isCallExpression(v) || !ts.isPropertyAccessExpression(v.expression) || v.expression.name.text !== 'bind' || v.arguments.length !== 1 || skipParens(v.arguments[0]).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    v = skipParens(v.expression.expression);
    if (!ts.isPropertyAccessExpression(v) || skipParens(v.expression).kind !== ts.SyntaxKind.ThisKeyword || v.name.text === name) return undefined;
    const bound = v.name.text;
    const m = c.members.find((x) => memberName(x) === bound);
    return m && memberFunction(m);
  }

  private findProperty(o: ts.ObjectLiteralExpression, name: string): FunctionLike | undefined {
    for (const p of o.properties) {
      if (memberName(p) !== name) continue;
      // A property naming a function of the file (`{ getAppService: getNativeAppService }`,
      // `{ load }`) calls that function.
      const named = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) && ts.isIdentifier(skipParens(p.initializer)) ? (skipParens(p.initializer) as ts.Identifier) : undefined;
      return memberFunction(p) ?? (named && this.functionOfBinding(this.scopes.resolve(named)));
    }
    return undefined;
  }

  private fieldClass(c: ts.ClassLikeDeclaration, field: string): ts.ClassLikeDeclaration | undefined {
    const byType = (t: ts.TypeNode | undefined) => {
      if (!t || !ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName)) return undefined;
      const b = this.scopes.resolveName(t.typeName.text, c);
      return b && b.kind === 'class' && ts.isClassLike(b.declaration) ? b.declaration : undefined;
    };
    for (const m of c.members) {
      if (ts.isPropertyDeclaration(m) && memberName(m) === field) {
        const init = m.initializer && skipParens(m.initializer);
        if (init && ts.isNewExpression(init)) return this.classOfNew(init);
        return byType(m.type);
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === field && ts.isParameterPropertyDeclaration(p, m)) return byType(p.type);
      }
    }
    return undefined;
  }

  /**
   * A function that only being reachable makes concurrent (exported, public, handed back) while
   * every call the file makes of it runs inside a serialized callback (`lock.runExclusive(() =>
   * this.flush())`, `queue.add(() => save(x))`): the file shows the function is meant to run under
   * that lock, and its runs do not overlap. (One pass over the file's nodes: calls counted per callee.)
   */
  private serializeLockedByAllCallers(): void {
    const candidates = new Set<FunctionLike>();
    for (const [fn, source] of this.self) if (REACHABLE_ONLY.has(source.kind) && !this.runBySomething.has(fn) && !this.task.has(fn)) candidates.add(fn);
    if (candidates.size === 0) return;
    // (Only calls by a candidate's name are resolved.)
    const names = new Set<string>();
    for (const fn of candidates) {
      const holder: ts.Node = (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !fn.name ? fn.parent : fn;
      const id = ts.isVariableDeclaration(holder) || ts.isFunctionDeclaration(holder) || ts.isFunctionExpression(holder) || ts.isMethodDeclaration(holder) || ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder) ? holder.name : undefined;
      const name = id && (ts.isIdentifier(id) || ts.isPrivateIdentifier(id) || ts.isStringLiteral(id)) ? id.text : undefined;
      // (An anonymous one has no calls to find: it stays concurrent.)
      if (name) names.add(name);
    }
    const calls = new Map<FunctionLike, { all: number; locked: number }>();
    // (A call runs inside the lock when a function around it is a serialized callback.)
    const inLock = (n: ts.Node): boolean => {
      for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p) && this.serialized.has(p)) return true;
      return false;
    };
    this.scopes.forEachNode((n) => {
      if (ts.isCallExpression(n) && names.has(callName(n).name ?? '')) {
        const callee = this.resolveCallee(n);
        if (callee && candidates.has(callee) && enclosingFunction(n) !== callee) {
          const c = calls.get(callee) ?? { all: 0, locked: 0 };
          c.all++;
          if (inLock(n)) c.locked++;
          calls.set(callee, c);
        }
      }
    });
    for (const [fn, c] of calls) {
      if (c.all === 0 || c.locked !== c.all) continue;
      this.serialized.add(fn);
      this.self.delete(fn);
    }
  }

  /** Flows concurrency down the call graph: what a concurrent function calls is concurrent too. */
  private propagate(): void {
    // Call sites per function (own body only, inline `.then` callbacks and plain Promise executors
    // included: an executor runs in place, as part of the function that creates the promise).
    const callsOf = new Map<FunctionLike, ts.CallExpression[]>();
    for (const fn of this.functions) if (!isContinuationCallback(fn) && !isPromiseExecutor(fn)) callsOf.set(fn, []);
    // Whether a function's calls are its enclosing function's too: it runs in place, and not as a
    // callback queued on a lock (what that calls runs one at a time: `chain.then(() => this.apply(u))`).
    const inPlace = new Map<ts.Node, boolean>();
    const runsInPlace = (f: ts.Node): boolean => {
      let known = inPlace.get(f);
      if (known === undefined) inPlace.set(f, (known = runsInEnclosingFunction(f) && !this.idioms.isSerializedCallback(f)));
      return known;
    };
    // (Each call, in walk order, goes to the function whose body holds it, and up through those
    // that run in place: one pass over the file's nodes, not a walk of each function's body.)
    this.scopes.forEachNode((n) => {
      if (!ts.isCallExpression(n)) return;
      let child: ts.Node = n;
      for (let p = n.parent; p; child = p, p = p.parent) {
        if (!isFunctionLike(p)) continue;
        if (child === p.body) callsOf.get(p)?.push(n);
        if (!runsInPlace(p)) break;
      }
    });
    this.callsOf = callsOf;
    this.serializeLockedByAllCallers();
    // Sync callbacks of `.map/.forEach` start their calls concurrently: `xs.map((x) => save(x))`.
    for (const fn of this.functions) {
      const p = fn.parent;
      if (this.self.has(fn) || !p || !ts.isCallExpression(p) || p.arguments[0] !== fn) continue;
      const { name, receiver } = callName(p);
      if (!receiver || !name || !PARALLEL_METHODS.has(name)) continue;
      for (const call of callsOf.get(fn) ?? []) {
        if (isAwaited(call, fn)) continue;
        const callee = this.resolveCallee(call);
        if (callee && this.asyncish.has(callee)) {
          this.setSelf(callee, { kind: 'parallel-callback', site: p, description: `${quoteName(callee)} runs once per element of \`.${name}(…)\`, and the runs overlap`, selfOverlap: true, sameInstance: !this.isFreshReceiver(call) });
        }
      }
    }
    // An async executor (a function of its own, see isPromiseExecutor) starts inside the function
    // that creates the promise, as part of its run.
    const executorsOf = new Map<FunctionLike, Array<{ fn: FunctionLike; what: string }>>();
    for (const fn of this.functions) {
      if (isPromiseExecutor(fn)) continue;
      let n: ts.Node = fn;
      while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
      const p = n.parent;
      // (So does work a request handler schedules with Next.js's `after(cb)` from 'next/server':
      // it runs once for each request, after its response, as part of that request's run.)
      const scheduled = !!p && ts.isCallExpression(p) && p.arguments[0] === n && ts.isIdentifier(p.expression) && /^(unstable_)?after$/.test(p.expression.text) && this.importedFrom(p.expression.text) === 'next/server';
      if (!scheduled && (!p || !ts.isNewExpression(p) || p.arguments?.[0] !== n || !ts.isIdentifier(p.expression) || p.expression.text !== 'Promise')) continue;
      const outer = enclosingFunction(p);
      if (ts.isSourceFile(outer)) continue;
      executorsOf.set(outer, [...(executorsOf.get(outer) ?? []), { fn, what: scheduled ? `the work ${quoteName(outer)} schedules with \`after(…)\`` : 'the Promise executor' }]);
    }
    const work = [...this.self.keys(), ...this.task.keys()];
    while (work.length > 0) {
      const fn = work.pop()!;
      const source = this.self.get(fn) ?? this.task.get(fn);
      if (!source) continue;
      for (const { fn: executor, what } of executorsOf.get(fn) ?? []) {
        const inherited: ConcurrencySource = { ...source, description: `${what} runs as part of ${quoteName(fn)}, and ${source.description}` };
        const added = source.selfOverlap ? this.setSelf(executor, inherited) : this.setTask(executor, inherited);
        if (added) work.push(executor);
      }
      for (const call of callsOf.get(fn) ?? []) {
        const callee = this.resolveCallee(call);
        if (!callee || callee === fn) continue;
        // (Started only when no run is in flight, its promise kept for the callers that come meanwhile,
        // or only by the run that claimed a flag the other callers are turned away by.)
        if (this.idioms.isSingleFlight(call) || this.idioms.isStartedUnderClaim(call, callee)) continue;
        // (Called while this run holds a lock it took just before, `const release = await
        // mutex.acquire(); try { await this.apply(u) } finally { release() }`: one run at a time
        // gets there, as from a `runExclusive` callback.)
        if (this.idioms.isHeldUnderLock(call)) continue;
        const fresh = this.isFreshReceiver(call);
        const inherited: ConcurrencySource = {
          kind: 'caller',
          site: call,
          description: `${quoteName(callee)} is called from ${quoteName(fn)}, and ${source.description}`,
          selfOverlap: source.selfOverlap,
          sameInstance: source.sameInstance && !fresh,
          via: source,
        };
        const added = source.selfOverlap ? this.setSelf(callee, inherited) : this.setTask(callee, inherited);
        if (added) work.push(callee);
      }
    }
  }
}

/** Whether the runs a source describes overlap only in other processes (see ConcurrencySource.outOfProcess). */
export function overlapsOnlyOutOfProcess(source: ConcurrencySource): boolean {
  let root = source;
  while (root.via) root = root.via;
  return !!root.outOfProcess;
}

/**
 * Whether an object literal is handed back to the caller: returned (or an arrow's body), or kept
 * in a const of a function that returns that const (`const api = { … }; return api`), as
 * `return { … }` would, or a group of members inside such an object (`return { id, settings: {
 * get, set } }`): the caller holds the inner object as long as the outer one.
 */
export function isReturnedObject(obj: ts.ObjectLiteralExpression): boolean {
  let o: ts.Node = obj;
  while (ts.isParenthesizedExpression(o.parent)) o = o.parent;
  if (ts.isReturnStatement(o.parent) || (ts.isArrowFunction(o.parent) && o.parent.body === o)) return true;
  if (ts.isPropertyAssignment(o.parent) && o.parent.initializer === o && ts.isObjectLiteralExpression(o.parent.parent)) return isReturnedObject(o.parent.parent);
  const d = o.parent;
  if (!ts.isVariableDeclaration(d) || d.initializer !== o || !ts.isIdentifier(d.name) || !(d.parent.flags & ts.NodeFlags.Const)) return false;
  const owner = enclosingFunction(d);
  return !ts.isSourceFile(owner) && !!owner.body && ts.isBlock(owner.body) && returnsName(owner, d.name.text);
}

/** Whether a function returns a name: itself, or in a returned object or array (`return { items, load }`). */
function returnsName(owner: FunctionLike, name: string): boolean {
  const names = (e: ts.Expression | undefined): boolean => {
    const x = e && skipParens(e);
    if (!x) return false;
    if (ts.isIdentifier(x)) return x.text === name;
    if (ts.isObjectLiteralExpression(x)) return x.properties.some((q) => (ts.isShorthandPropertyAssignment(q) && q.name.text === name) || (ts.isPropertyAssignment(q) && names(q.initializer)));
    if (ts.isArrayLiteralExpression(x)) return x.elements.some((el) => names(el));
    return false;
  };
  if (!owner.body) return false;
  if (!ts.isBlock(owner.body)) return names(owner.body);
  let returned = false;
  const visit = (x: ts.Node): void => {
    if (returned || (isFunctionLike(x) && x !== owner)) return;
    if (ts.isReturnStatement(x) && names(x.expression)) returned = true;
    ts.forEachChild(x, visit);
  };
  visit(owner.body);
  return returned;
}

/** `useCallback(fn, deps)` / `React.useCallback(fn, deps)`: keeps the callback for the component, calls nothing. */
function isKeptCallback(call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = skipParens(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return name === 'useCallback';
}
