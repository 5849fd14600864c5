// A forward data-flow walk over one function body, in JavaScript's evaluation order.
//
// Race analyses need to know what was evaluated before and after each suspension point (`await`,
// `yield`, a `for await` step, a `.then` callback), on every path: an await in one branch only, an
// await in a loop body that separates iteration N's write from iteration N+1's read, a `finally`
// that runs after a rejected await. Instead of building a control-flow graph, this walker
// interprets the AST structurally: it evaluates expressions operand by operand (`x += await y`
// reads `x` before the await; `x = (await y) + x` reads it after), forks the analysis state at
// branches, joins it where paths meet, iterates loops to a fixed point and routes
// break/continue/return/throw through try/finally. Analyses plug in a state (a join semilattice)
// and a transfer function over the events below; the walker owns nothing else.
//
// Nested functions are not entered: each is its own flow, except inline callbacks of
// `.then`/`.catch`/`.finally`, which are walked in place as the continuation they are (after a
// `suspend` event, on a copy of the state that is then dropped, since the code after the call runs
// first), and plain callbacks a call runs before it returns (`runInAction(() => …)`,
// `xs.forEach(…)`), which are walked where the call is. A Promise executor is walked in place (it
// runs before `new Promise` returns), and a completion handler put on an object just made
// (`req.onsuccess = () => …`) as a continuation that runs after the statement that sets it (inside
// an executor, after the statement that creates the promise).
import { ts } from 'ts-morph';
import { skipOuter as skipParens } from '../syntax';
import { isAsyncFunction, isFunctionLike, type Binding, type FunctionLike } from './scopes';

/**
 * `timer`: entering a timer's callback (`setTimeout(() => …)`). Other tasks have run since the
 * call, but the caller went on without waiting: only a value as old as the closure (a render's
 * copy of its state) is known to be stale there, so analyses other than that one ignore it.
 */
export type SuspensionReason = 'await' | 'yield' | 'for-await' | 'then' | 'timer';

export type WriteOperator =
  /** `x = v` */
  | 'assign'
  /** `x += v` (the target was read first, with a `read` event) */
  | 'compound'
  /** `x++`, `--x` */
  | 'update'
  /** `delete x.y` */
  | 'delete'
  /** `const x = v`, `let x;` */
  | 'declare'
  /** `x ??= v`, `x ||= v`, `x &&= v` (the target was read and tested first) */
  | 'logical'
  /** the variable of a `for…of`/`for…in` */
  | 'iterate'
  /** the parameter of an inline `.then` callback */
  | 'parameter';

export type FlowEvent =
  /** About to evaluate a statement or expression (before its operands). */
  | { kind: 'enter'; node: ts.Node }
  /** A value read of an identifier, property or element access, after its operands. */
  | { kind: 'read'; node: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression }
  /** A store. `target` is an identifier, property/element access, or a declared name. */
  | { kind: 'write'; node: ts.Node; target: ts.Expression; value: ts.Expression | undefined; operator: WriteOperator }
  /** A call, after its callee's object and its arguments were evaluated. */
  | { kind: 'call'; node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression }
  /** Other tasks may run here. For `then`, `node` is the `.then(...)` call and `callback` the continuation. */
  | { kind: 'suspend'; node: ts.Node; reason: SuspensionReason; callback?: FunctionLike }
  /** Entering the branch where `node` (an atom of a condition) evaluated to `outcome`. */
  | { kind: 'condition'; node: ts.Expression; outcome: boolean; statement: ts.Node };

export interface FlowAnalysis<S> {
  clone(state: S): S;
  join(a: S, b: S): S;
  equals(a: S, b: S): boolean;
  /** Applies an event to the state, in place. */
  transfer(event: FlowEvent, state: S): void;
  /**
   * Combines the two arms of an `if` or `?:` (either may be unreachable). Default: `join`.
   * Lets an analysis forget facts that only held inside the arms.
   */
  joinBranches?(statement: ts.IfStatement | ts.ConditionalExpression | ts.BinaryExpression, whenTrue: S | undefined, whenFalse: S | undefined): S | undefined;
  /** Adjusts the state entering a `catch` (from any throw point of the `try` block), in place. */
  enterCatch?(statement: ts.TryStatement, state: S): void;
}

type Jump = { kind: 'break' | 'continue'; label?: string } | { kind: 'return' } | { kind: 'throw' };

type Frame<S> =
  | { kind: 'function'; exits: S | undefined }
  | { kind: 'breakable'; labels: string[]; loop: boolean; switchOrLoop: boolean; breaks: S | undefined; continues: S | undefined }
  | { kind: 'try'; phase: 'try' | 'catch'; hasCatch: boolean; hasFinally: boolean; throws: S | undefined; pending: Array<{ jump: Jump; state: S }> };

type LoopFrame<S> = Frame<S> & { kind: 'breakable' };

const MAX_LOOP_PASSES = 6;

const THEN_METHODS = new Set(['then', 'catch', 'finally']);

const ERROR_PARAM = /^_*(err|error|er|ex)\d*$|^_*err[A-Z_]|[a-z]Err(or)?\d*$/;
/** `e` is an error only before a result parameter (`(e, stats) => …`); alone it is usually an event. */
const SHORT_ERROR_PARAM = /^e\d*$/;
/** Callback-style reads whose result callback runs later: `storage.get(key, (items) => …)`, `fs.stat(p, cb)`. */
const CALLBACK_READS = /^(get|read|load|fetch|find|findOne|query|stat|lstat|access|exists|readFile|readdir|readJson|hget|hgetall)$/;
const ROUTE_LIKE_RECEIVER = /^(app|router|server|api|fastify|routes?|koa|hono|express|r)$/i;

const TIMERS = /^(setTimeout|setInterval|requestAnimationFrame|requestIdleCallback)$/;
const TIMER_OWNERS = /^(window|globalThis|self|global)$/;

/** `setTimeout(cb, ms)`, `window.setTimeout(cb)`, `requestAnimationFrame(cb)`: a callback run on a later turn. */
function isTimerCall(node: ts.CallExpression): boolean {
  const callee = skipParens(node.expression);
  if (ts.isIdentifier(callee)) return TIMERS.test(callee.text);
  return ts.isPropertyAccessExpression(callee) && TIMERS.test(callee.name.text) && ts.isIdentifier(callee.expression) && TIMER_OWNERS.test(callee.expression.text);
}

function firstParamName(fn: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  const p = fn.parameters[0];
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

/**
 * The answer for the calls most code makes, with no function literal among their arguments: not
 * cached (the caches live as long as the program's trees, and an entry per call of every linted
 * file was 5-9 MB of a theia-core lint's peak). Never modified.
 */
const NO_CALLBACKS: never[] = [];

function hasFunctionArgument(call: ts.CallExpression): boolean {
  return call.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
}

const continuationCache = new WeakMap<ts.Node, Array<{ callback: ts.ArrowFunction | ts.FunctionExpression; resultParam?: number; timer?: boolean }>>();

/**
 * The inline callbacks of a call that run later, as a continuation of the caller:
 * `.then/.catch/.finally` callbacks, error-first callbacks (`(err, doc) => …`), and result
 * callbacks of reads (`chrome.storage.sync.get(key, (items) => …)`). For each, which parameter
 * receives the call's result (if any).
 */
/** `resultParam` -1: every parameter carries the result (error-first callbacks). Cached per call. */
export function continuationsOf(node: ts.Node): Array<{ callback: ts.ArrowFunction | ts.FunctionExpression; resultParam?: number; timer?: boolean }> {
  if (!ts.isCallExpression(node) || !hasFunctionArgument(node)) return NO_CALLBACKS;
  let found = continuationCache.get(node);
  if (!found) {
    found = findContinuations(node);
    continuationCache.set(node, found);
  }
  return found;
}

function findContinuations(node: ts.CallExpression): Array<{ callback: ts.ArrowFunction | ts.FunctionExpression; resultParam?: number; timer?: boolean }> {
  const callee = skipParens(node.expression);
  const inline = node.arguments.filter((a): a is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
  if (inline.length === 0) return [];
  if (ts.isPropertyAccessExpression(callee) && THEN_METHODS.has(callee.name.text)) {
    return inline.map((callback) => ({ callback, resultParam: callee.name.text === 'then' && node.arguments[0] === callback ? 0 : undefined }));
  }
  // A timer's callback runs after the caller has returned and other tasks have run:
  // `setTimeout(() => setItems(items.filter(keep)), 400)` writes a copy 400 ms old. (Walked as a
  // later segment of the caller, but no suspension of it: see SuspensionReason 'timer'.)
  // (A callback with suspensions of its own, `setInterval(async () => …)`, is a task of its own.)
  if (isTimerCall(node) && node.arguments[0] === inline[0] && !containsSuspension(inline[0])) return [{ callback: inline[0], timer: true }];
  const last = node.arguments[node.arguments.length - 1];
  if (!ts.isArrowFunction(last) && !ts.isFunctionExpression(last)) return [];
  const first = firstParamName(last);
  // Both the error and the result of an error-first callback come from the call.
  if (first && (ERROR_PARAM.test(first) || (SHORT_ERROR_PARAM.test(first) && last.parameters.length >= 2)) && !ts.isNewExpression(node)) return [{ callback: last, resultParam: -1 }];
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  // A function of this file that takes a completion callback: `mkdirp(parent, () => fs.mkdir(dir, cb))`.
  if (ts.isIdentifier(callee) && takesCompletionCallback(node.getSourceFile(), name, node.arguments.length)) return [{ callback: last }];
  if (CALLBACK_READS.test(name) && last.parameters.length === 1 && node.arguments.length >= 2) {
    const recv = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : undefined;
    const recvName = recv && ts.isIdentifier(recv) ? recv.text : recv && ts.isPropertyAccessExpression(recv) ? recv.name.text : '';
    const firstArg = skipParens(node.arguments[0]);
    if (!ROUTE_LIKE_RECEIVER.test(recvName) && !(ts.isStringLiteralLike(firstArg) && firstArg.text.startsWith('/') && name === 'get' && !recvName)) {
      return [{ callback: last, resultParam: 0 }];
    }
  }
  return [];
}

/**
 * Calls that run a callback synchronously, before they return: MobX/Solid/Preact batching
 * (`runInAction(() => { this.todos = prev })`), React's `flushSync`/`startTransition`, immer's
 * `produce`, and the array methods.
 */
const INLINE_INVOKERS = new Set([
  'runInAction', 'transaction', 'batch', 'untracked', 'startTransition', 'flushSync', 'unstable_batchedUpdates', 'produce',
  'forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce', 'reduceRight', 'flatMap',
]);

function containsSuspension(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (isFunctionLike(n) && n !== fn)) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || isContinuationCall(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

const inlineCache = new WeakMap<ts.Node, Array<ts.ArrowFunction | ts.FunctionExpression>>();

/**
 * The inline callbacks a call runs before it returns, walked in place as part of the caller's
 * segment: plain (not async) callbacks without suspension points of their own. Cached per call.
 */
export function inlineCallbacksOf(node: ts.Node): Array<ts.ArrowFunction | ts.FunctionExpression> {
  if (!ts.isCallExpression(node) || !hasFunctionArgument(node)) return NO_CALLBACKS;
  let found = inlineCache.get(node);
  if (!found) {
    found = findInlineCallbacks(node);
    inlineCache.set(node, found);
  }
  return found;
}

function findInlineCallbacks(node: ts.CallExpression): Array<ts.ArrowFunction | ts.FunctionExpression> {
  const callee = skipParens(node.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (!INLINE_INVOKERS.has(name)) return [];
  return node.arguments.filter(
    (a): a is ts.ArrowFunction | ts.FunctionExpression =>
      (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) && !isAsyncFunction(a) && !a.asteriskToken && !containsSuspension(a),
  );
}

/** Whether `fn` is an inline callback walked as part of the function that calls it. */
export function isInlineCallback(fn: ts.Node): boolean {
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !!fn.parent && inlineCallbacksOf(fn.parent).includes(fn);
}

const COMPLETION_PARAM = /^(cb|callback|done|next|cont|continuation|onDone|onComplete|complete|finish)$/;

/** Functions named for taking a lock: `lock`, `lockAsync`, `acquireLock`, `lockFile`. */
export const LOCK_FUNCTIONS = /^(lock|acquireLock|lockFile|obtainLock)(Async)?$/;

/**
 * Calls awaited to take a lock in a lock helper: a lock function (`lockfile.lock(p)`,
 * `lockAsync(p)`) or an `acquire` (`mutex.acquire()`, `redlock.acquire([k], ttl)`). Narrower than
 * SafeIdioms.isAcquire, which also knows the receivers and release handles of the code it is in.
 */
const isLockTaking = (name: string): boolean => LOCK_FUNCTIONS.test(name) || /^acquire(Async)?$/.test(name);

/**
 * Whether a function awaits a lock (`await lockfile.lock(path)`, `const release = await
 * mutex.acquire()`) before it calls its parameter `param`: a lock helper (`withFileLock(path,
 * callback)`), whose callback runs inside the lock, one run at a time, and is neither a completion
 * callback nor part of the caller's own run.
 */
export function locksAroundCallback(fn: ts.FunctionLikeDeclaration, param: string): boolean {
  let locked = false;
  let calledLocked = false;
  const visit = (n: ts.Node): void => {
    if (calledLocked || (ts.isFunctionLike(n) && n !== fn)) return;
    if (ts.isAwaitExpression(n)) {
      const e = skipParens(n.expression);
      if (ts.isCallExpression(e)) {
        const c = skipParens(e.expression);
        const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
        if (isLockTaking(name)) {
          locked = true;
          return;
        }
      }
    }
    if (ts.isCallExpression(n) && ts.isIdentifier(skipParens(n.expression)) && (skipParens(n.expression) as ts.Identifier).text === param) {
      calledLocked = locked;
      if (!locked) return;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return calledLocked;
}
const completionFunctions = new WeakMap<ts.SourceFile, Map<string, number>>();

/**
 * Whether `name` is a module-level function of the file whose last parameter (of `arity`) is a
 * completion callback it calls: its callback argument runs later, as a continuation.
 */
function takesCompletionCallback(sf: ts.SourceFile, name: string, arity: number): boolean {
  let table = completionFunctions.get(sf);
  if (!table) {
    table = new Map();
    completionFunctions.set(sf, table);
    for (const st of sf.statements) {
      const fns: Array<[string, ts.FunctionLikeDeclaration]> = [];
      if (ts.isFunctionDeclaration(st) && st.name && st.body) fns.push([st.name.text, st]);
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          const init = d.initializer && skipParens(d.initializer);
          if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) fns.push([d.name.text, init]);
        }
      }
      for (const [fname, fn] of fns) {
        const lastParam = fn.parameters[fn.parameters.length - 1];
        if (!lastParam || !ts.isIdentifier(lastParam.name) || !COMPLETION_PARAM.test(lastParam.name.text)) continue;
        const cbName = lastParam.name.text;
        // (Called under a lock the function takes first, the callback is the lock's critical section.)
        if (locksAroundCallback(fn, cbName)) continue;
        let called = false;
        const visit = (n: ts.Node): void => {
          if (called) return;
          if ((ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === cbName) || (ts.isIdentifier(n) && n.text === cbName && n.parent && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n))) called = true;
          else ts.forEachChild(n, visit);
        };
        if (fn.body) visit(fn.body);
        if (called) table.set(fname, fn.parameters.length);
      }
    }
  }
  return table.get(name) === arity;
}

/**
 * The whole promise chain a call starts, as it is used: `call.then(…).catch(…)`, through
 * parentheses and `as` (what is stored or returned is this, not the call).
 */
export function promiseChainTop(call: ts.CallExpression): ts.Expression {
  let top: ts.Expression = call;
  for (;;) {
    const p = top.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === top && ['then', 'catch', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent)) top = p.parent;
    else if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p)) top = p;
    else break;
  }
  return top;
}

/** Whether a call has continuation callbacks (see continuationsOf). */
export function isContinuationCall(node: ts.Node): node is ts.CallExpression {
  return continuationsOf(node).some((c) => !c.timer);
}


/** Whether an operator assigns: `=`, `+=`, `??=` and the rest. */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * The default of `x = x || v` / `x = x ?? v` (`v`), when the right side falls back on the very
 * reference assigned (the same text).
 */
function selfDefault(target: ts.Expression, right: ts.Expression): ts.Expression | undefined {
  const r = skipParens(right);
  if (!ts.isBinaryExpression(r) || (r.operatorToken.kind !== ts.SyntaxKind.BarBarToken && r.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken)) return undefined;
  const text = (n: ts.Node) => n.getText().replace(/\s+/g, '');
  return text(skipParens(r.left)) === text(target) ? r.right : undefined;
}

function isLogicalAssignment(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken;
}

/**
 * The calls an awaited `Promise.all([…])` / `Promise.allSettled([…])` waits for, by position
 * (undefined from the first spread on, where positions are no longer known).
 */
function awaitedParts(value: ts.Expression | undefined): (ts.Expression | undefined)[] | undefined {
  let v = value && skipParens(value);
  if (v && ts.isAwaitExpression(v)) v = skipParens(v.expression);
  if (!v || !ts.isCallExpression(v) || v.arguments.length !== 1) return undefined;
  const callee = skipParens(v.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Promise' || !/^(all|allSettled)$/.test(callee.name.text)) return undefined;
  const list = skipParens(v.arguments[0]);
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  const spread = list.elements.findIndex((e) => ts.isSpreadElement(e));
  return list.elements.map((e, i) => (spread >= 0 && i >= spread ? undefined : e));
}

/**
 * `new Promise((resolve, reject) => …)` with an inline, plain executor: it runs synchronously, as
 * part of the function that creates the promise (what it starts finishes later, in callbacks).
 */
function promiseExecutorOf(ne: ts.NewExpression): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const callee = skipParens(ne.expression);
  const fn = ne.arguments?.[0] && skipParens(ne.arguments[0]);
  if (!ts.isIdentifier(callee) || callee.text !== 'Promise' || !fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  if (isAsyncFunction(fn) || fn.asteriskToken) return undefined;
  return fn;
}

const resolvedReadsCache = new WeakMap<ts.NewExpression, ts.CallExpression[]>();

/**
 * The reads a promise made around a callback API resolves with: in `new Promise((resolve) =>
 * storage.get(key, (data) => resolve(data[key] || [])))`, what is awaited is what `storage.get`
 * handed its callback. The calls whose result callback (see continuationsOf) passes its result
 * on to the executor's `resolve`, as the value or in an expression of it. Cached per promise.
 */
export function readsResolvedBy(ne: ts.NewExpression): ts.CallExpression[] {
  let found = resolvedReadsCache.get(ne);
  if (found) return found;
  found = [];
  resolvedReadsCache.set(ne, found);
  const executor = promiseExecutorOf(ne);
  const resolve = executor?.parameters[0]?.name;
  if (!executor || !resolve || !ts.isIdentifier(resolve)) return found;
  const out = found;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.arguments.length > 0) {
      const callee = skipParens(n.expression);
      if (ts.isIdentifier(callee) && callee.text === resolve.text) {
        // The nearest callback around it: a result callback of a call, whose result it passes on.
        for (let f: ts.Node | undefined = n.parent; f && f !== executor; f = f.parent) {
          if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) continue;
          const cb = f;
          const c = cb.parent ? continuationsOf(cb.parent).find((x) => x.callback === cb) : undefined;
          if (c && c.resultParam !== undefined && ts.isCallExpression(cb.parent)) {
            const params = c.resultParam === -1 ? cb.parameters.slice(1) : [cb.parameters[c.resultParam]];
            const names = new Set(params.flatMap((p) => (p && ts.isIdentifier(p.name) ? [p.name.text] : [])));
            if (mentionsName(n.arguments[0], names) && !out.includes(cb.parent)) out.push(cb.parent);
          }
          break;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(executor.body);
  return found;
}

function mentionsName(e: ts.Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isIdentifier(n) && names.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return hit;
}

/** Whether `fn` is an inline Promise executor (walked in place by the function that creates the promise). */
export function isPromiseExecutor(fn: ts.Node): boolean {
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !!fn.parent && ts.isNewExpression(fn.parent) && promiseExecutorOf(fn.parent) === fn;
}

// The events that end what an object started, once: a load, an open, a request's success or
// failure. (`onmessage`, `onprogress`, `ondata` fire again and again: each is an event of its own.)
const HANDLER_PROPERTY = /^on(load|loadend|success|error|open|close|complete|abort|timeout|readystatechange|upgradeneeded|blocked)$/;

/**
 * `req.onsuccess = () => …`, `img.onload = function () { … }`, `ws.onopen = …`: a completion handler put on
 * an object the function has just made (`const req = indexedDB.open(…)`, `this.ws = new
 * WebSocket(url)`) is called when what that object started ends, after the function has gone on
 * and other tasks have run: a later step of the function, as a callback passed to
 * `addEventListener` or `.then` is. A handler on an object the function did not make (a
 * long-lived port or `window`) is an ordinary function of its own. Handlers with suspensions of
 * their own are tasks of their own.
 */
export function completionHandlerOf(assign: ts.BinaryExpression): ts.ArrowFunction | ts.FunctionExpression | undefined {
  // (Most assignments are not `x.onload = () => …`: answered at once, without a cache entry.)
  const target = skipParens(assign.left);
  const fn = skipParens(assign.right);
  if (!ts.isPropertyAccessExpression(target) || !HANDLER_PROPERTY.test(target.name.text) || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  if (!handlerCache.has(assign)) handlerCache.set(assign, isCompletionHandler(target, fn, assign) ? fn : undefined);
  return handlerCache.get(assign);
}

const handlerCache = new WeakMap<ts.BinaryExpression, ts.ArrowFunction | ts.FunctionExpression | undefined>();

/** Whether `target = fn` (a handler property given a function literal) sets a completion handler of an object made just before. */
function isCompletionHandler(target: ts.PropertyAccessExpression, fn: ts.ArrowFunction | ts.FunctionExpression, assign: ts.BinaryExpression): boolean {
  if (isAsyncFunction(fn) || containsSuspension(fn)) return false;
  return isMadeBefore(skipParens(target.expression), assign);
}

/** Whether `object` (a local or a `this` field) was given a new object or a call's result earlier in the function that holds `at`. */
function isMadeBefore(object: ts.Expression, at: ts.Node): boolean {
  const text = ts.isIdentifier(object) ? object.text : ts.isPropertyAccessExpression(object) && object.expression.kind === ts.SyntaxKind.ThisKeyword ? object.getText() : undefined;
  if (!text) return false;
  let scope: ts.Node | undefined = at.parent;
  while (scope && !isFunctionLike(scope)) scope = scope.parent;
  if (!scope) return false;
  const made = (v: ts.Expression | undefined): boolean => {
    const x = v && skipParens(v);
    return !!x && (ts.isNewExpression(x) || ts.isCallExpression(x));
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= at.pos) return;
    if (isFunctionLike(n) && n !== scope) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === text && made(n.initializer)) found = true;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipParens(n.left).getText() === text && made(n.right)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

class Walker<S> {
  state: S | undefined;
  private readonly frames: Frame<S>[] = [];
  /** Continuations met in the current statement: they run after it (after the current segment, really). */
  private pending: Array<{ call: ts.CallExpression | ts.BinaryExpression; callback: ts.ArrowFunction | ts.FunctionExpression; settled?: ts.Expression }> = [];

  /** Inside a Promise executor: its continuations run after the statement that creates the promise. */
  private held: Walker<S>['pending'] | undefined;

  constructor(private readonly analysis: FlowAnalysis<S>) {}

  private emit(event: FlowEvent): void {
    if (this.state !== undefined) this.analysis.transfer(event, this.state);
  }

  private join(a: S | undefined, b: S | undefined): S | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return this.analysis.join(a, b);
  }

  private fork(): S | undefined {
    return this.state === undefined ? undefined : this.analysis.clone(this.state);
  }

  // ------------------------------------------------------------------------------------------
  // Functions and jumps

  runFunction(fn: FunctionLike): S | undefined {
    const frame: Frame<S> = { kind: 'function', exits: undefined };
    this.frames.push(frame);
    const body = fn.body;
    if (body) {
      if (ts.isBlock(body)) this.statement(body);
      else {
        const outer = this.pending;
        this.pending = [];
        this.expression(body);
        this.flushContinuations();
        this.pending = outer;
      }
    }
    this.frames.pop();
    return this.join(frame.exits, this.state);
  }

  private deliver(jump: Jump, state: S, from = this.frames.length - 1): void {
    for (let i = from; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'function') {
        if (jump.kind === 'return' || jump.kind === 'throw') f.exits = this.join(f.exits, state);
        return;
      }
      if (f.kind === 'try') {
        if (jump.kind === 'throw' && f.phase === 'try' && f.hasCatch) {
          f.throws = this.join(f.throws, state);
          return;
        }
        if (f.hasFinally) {
          f.pending.push({ jump, state });
          return;
        }
        continue;
      }
      if (jump.kind === 'break') {
        if (jump.label ? f.labels.includes(jump.label) : f.switchOrLoop) {
          f.breaks = this.join(f.breaks, state);
          return;
        }
      } else if (jump.kind === 'continue') {
        if (f.loop && (!jump.label || f.labels.includes(jump.label))) {
          f.continues = this.join(f.continues, state);
          return;
        }
      }
    }
  }

  private jump(jump: Jump): void {
    if (this.state !== undefined) this.deliver(jump, this.state);
    this.state = undefined;
  }

  /** Any statement or awaited promise inside a `try` may throw to its `catch`. */
  private noteThrowPoint(): void {
    if (this.state === undefined) return;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'function') return;
      if (f.kind === 'try' && f.phase === 'try' && f.hasCatch) {
        f.throws = this.join(f.throws, this.analysis.clone(this.state));
        return;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  statement(node: ts.Statement, labels: string[] = []): void {
    if (this.state === undefined) return;
    const outer = this.pending;
    this.pending = [];
    this.statementBody(node, labels);
    this.flushContinuations();
    this.pending = outer;
  }

  /** Walks the continuations queued by the statement just evaluated, each on a copy of the state. */
  private flushContinuations(state = this.state): void {
    const queued = this.pending;
    this.pending = [];
    if (this.held) {
      this.held.push(...queued);
      return;
    }
    if (state === undefined) return;
    for (const c of queued) this.continuation(c.call, c.callback, c.settled, state);
  }

  private statementBody(node: ts.Statement, labels: string[]): void {
    this.emit({ kind: 'enter', node });
    switch (node.kind) {
      case ts.SyntaxKind.Block:
        for (const s of (node as ts.Block).statements) this.statement(s);
        return;
      case ts.SyntaxKind.VariableStatement:
        this.declarations((node as ts.VariableStatement).declarationList);
        this.noteThrowPoint();
        return;
      case ts.SyntaxKind.ExpressionStatement:
        this.expression((node as ts.ExpressionStatement).expression);
        this.noteThrowPoint();
        return;
      case ts.SyntaxKind.IfStatement:
        return this.ifStatement(node as ts.IfStatement);
      case ts.SyntaxKind.WhileStatement: {
        const s = node as ts.WhileStatement;
        return this.loop(s, labels, { condition: s.expression, body: s.statement });
      }
      case ts.SyntaxKind.DoStatement:
        return this.doLoop(node as ts.DoStatement, labels);
      case ts.SyntaxKind.ForStatement: {
        const s = node as ts.ForStatement;
        if (s.initializer) {
          if (ts.isVariableDeclarationList(s.initializer)) this.declarations(s.initializer);
          else this.expression(s.initializer);
        }
        return this.loop(s, labels, { condition: s.condition, body: s.statement, incrementor: s.incrementor });
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const s = node as ts.ForOfStatement | ts.ForInStatement;
        this.expression(s.expression);
        const isAwait = ts.isForOfStatement(s) && !!s.awaitModifier;
        return this.loop(s, labels, { body: s.statement, iterate: s, awaitEach: isAwait });
      }
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStatement(node as ts.SwitchStatement, labels);
      case ts.SyntaxKind.TryStatement:
        return this.tryStatement(node as ts.TryStatement);
      case ts.SyntaxKind.LabeledStatement: {
        const s = node as ts.LabeledStatement;
        const inner = s.statement;
        const all = [...labels, s.label.text];
        if (ts.isIterationStatement(inner, false) || ts.isSwitchStatement(inner) || ts.isLabeledStatement(inner)) {
          return this.statement(inner, all);
        }
        const frame: Frame<S> = { kind: 'breakable', labels: all, loop: false, switchOrLoop: false, breaks: undefined, continues: undefined };
        this.frames.push(frame);
        this.statement(inner);
        this.frames.pop();
        this.state = this.join(this.state, frame.breaks);
        return;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const e = (node as ts.ReturnStatement).expression;
        if (e) this.expression(e);
        this.flushContinuations();
        return this.jump({ kind: 'return' });
      }
      case ts.SyntaxKind.ThrowStatement:
        this.expression((node as ts.ThrowStatement).expression);
        this.flushContinuations();
        return this.jump({ kind: 'throw' });
      case ts.SyntaxKind.BreakStatement:
        return this.jump({ kind: 'break', label: (node as ts.BreakStatement).label?.text });
      case ts.SyntaxKind.ContinueStatement:
        return this.jump({ kind: 'continue', label: (node as ts.ContinueStatement).label?.text });
      case ts.SyntaxKind.WithStatement:
        this.expression((node as ts.WithStatement).expression);
        return this.statement((node as ts.WithStatement).statement);
      default:
        // Declarations of functions, classes, types, enums, imports: nothing runs here.
        return;
    }
  }

  private declarations(list: ts.VariableDeclarationList): void {
    for (const d of list.declarations) {
      if (d.initializer) this.expression(d.initializer);
      this.bindName(d.name, d, d.initializer, 'declare');
    }
  }

  private bindName(name: ts.BindingName, node: ts.Node, value: ts.Expression | undefined, operator: WriteOperator): void {
    if (ts.isIdentifier(name)) {
      this.emit({ kind: 'write', node, target: name, value, operator });
      return;
    }
    // `const [a, b] = await Promise.all([readA(), readB()])`: each name holds what its own call gave.
    const parts = ts.isArrayBindingPattern(name) ? awaitedParts(value) : undefined;
    name.elements.forEach((el, i) => {
      if (ts.isOmittedExpression(el)) return;
      if (el.initializer) this.expression(el.initializer);
      const part = parts && !el.dotDotDotToken ? parts[i] : undefined;
      this.bindName(el.name, node, part ?? value, operator);
    });
  }

  private ifStatement(node: ts.IfStatement): void {
    const { whenTrue, whenFalse } = this.condition(node.expression, node);
    this.state = whenTrue;
    this.statement(node.thenStatement);
    const thenOut = this.state;
    this.state = whenFalse;
    if (node.elseStatement) this.statement(node.elseStatement);
    const elseOut = this.state;
    this.state = this.analysis.joinBranches ? this.analysis.joinBranches(node, thenOut, elseOut) : this.join(thenOut, elseOut);
  }

  private loop(
    node: ts.IterationStatement,
    labels: string[],
    parts: { condition?: ts.Expression; body: ts.Statement; incrementor?: ts.Expression; iterate?: ts.ForOfStatement | ts.ForInStatement; awaitEach?: boolean },
  ): void {
    this.toFixedPoint(labels, (frame, exit) => {
      if (parts.awaitEach) this.emit({ kind: 'suspend', node, reason: 'for-await' });
      let body: S | undefined;
      if (parts.condition) {
        const c = this.condition(parts.condition, node);
        exit(c.whenFalse);
        body = c.whenTrue;
      } else if (parts.iterate) {
        exit(this.fork());
        body = this.state;
      } else {
        body = this.state;
      }
      this.state = body;
      if (parts.iterate) {
        const init = parts.iterate.initializer;
        if (ts.isVariableDeclarationList(init)) {
          for (const d of init.declarations) this.bindName(d.name, d, parts.iterate.expression, 'iterate');
        } else {
          this.assignTarget(init as ts.Expression, parts.iterate, parts.iterate.expression, 'iterate');
        }
      }
      this.loopBody(frame, parts.body);
      if (parts.incrementor) this.expression(parts.incrementor);
      return this.state;
    });
  }

  private doLoop(node: ts.DoStatement, labels: string[]): void {
    this.toFixedPoint(labels, (frame, exit) => {
      this.loopBody(frame, node.statement);
      const c = this.condition(node.expression, node);
      exit(c.whenFalse);
      return c.whenTrue;
    });
  }

  /**
   * Runs a loop until the state at its head no longer changes (at most MAX_LOOP_PASSES passes).
   * `pass` walks the loop once from the head's state, hands each state that leaves the loop to
   * `exit` (when it leaves: the order of joins is kept), and returns the state that goes round
   * again, which joins the entry's to make the next head. After the loop: what left it, and its breaks.
   */
  private toFixedPoint(labels: string[], pass: (frame: LoopFrame<S>, exit: (state: S | undefined) => void) => S | undefined): void {
    const entry = this.state;
    if (entry === undefined) return;
    const frame: LoopFrame<S> = { kind: 'breakable', labels, loop: true, switchOrLoop: true, breaks: undefined, continues: undefined };
    this.frames.push(frame);
    let head: S = this.analysis.clone(entry);
    let exits: S | undefined;
    const exit = (state: S | undefined): void => {
      exits = this.join(exits, state);
    };
    for (let n = 0; n < MAX_LOOP_PASSES; n++) {
      this.state = this.analysis.clone(head);
      const back = pass(frame, exit);
      const next = back === undefined ? head : this.analysis.join(this.analysis.clone(entry), back);
      if (this.analysis.equals(next, head)) break;
      head = next;
    }
    this.frames.pop();
    this.state = this.join(exits, frame.breaks);
  }

  /** A loop's body: a `continue` goes on to what follows the body. */
  private loopBody(frame: LoopFrame<S>, body: ts.Statement): void {
    frame.continues = undefined;
    this.statement(body);
    this.state = this.join(this.state, frame.continues);
  }

  private switchStatement(node: ts.SwitchStatement, labels: string[]): void {
    this.expression(node.expression);
    const entry = this.state;
    if (entry === undefined) return;
    const frame: Frame<S> = { kind: 'breakable', labels, loop: false, switchOrLoop: true, breaks: undefined, continues: undefined };
    this.frames.push(frame);
    let fall: S | undefined;
    let hasDefault = false;
    for (const clause of node.caseBlock.clauses) {
      this.state = this.join(this.analysis.clone(entry), fall);
      if (ts.isCaseClause(clause)) this.expression(clause.expression);
      else hasDefault = true;
      for (const s of clause.statements) this.statement(s);
      fall = this.state;
    }
    this.frames.pop();
    this.state = this.join(this.join(fall, frame.breaks), hasDefault ? undefined : entry);
  }

  private tryStatement(node: ts.TryStatement): void {
    const entry = this.state;
    if (entry === undefined) return;
    const frame: Frame<S> & { kind: 'try' } = {
      kind: 'try',
      phase: 'try',
      hasCatch: !!node.catchClause,
      hasFinally: !!node.finallyBlock,
      throws: node.catchClause ? this.analysis.clone(entry) : undefined,
      pending: [],
    };
    this.frames.push(frame);
    this.statement(node.tryBlock);
    const tryOut = this.state;
    let catchOut: S | undefined;
    if (node.catchClause) {
      frame.phase = 'catch';
      this.state = frame.throws;
      if (this.state !== undefined) this.analysis.enterCatch?.(node, this.state);
      const v = node.catchClause.variableDeclaration;
      if (v) this.bindName(v.name, v, undefined, 'declare');
      this.statement(node.catchClause.block);
      catchOut = this.state;
    }
    this.frames.pop();
    if (!node.finallyBlock) {
      this.state = this.join(tryOut, catchOut);
      return;
    }
    const normal = this.join(tryOut, catchOut);
    let start = normal;
    for (const p of frame.pending) start = this.join(start, p.state);
    this.state = start;
    this.statement(node.finallyBlock);
    const out = this.state;
    if (out !== undefined) {
      for (const p of frame.pending) this.deliver(p.jump, this.analysis.clone(out));
    }
    this.state = normal === undefined ? undefined : out;
  }

  // ------------------------------------------------------------------------------------------
  // Conditions

  /** Evaluates a test, returning the states where it was truthy and falsy. */
  condition(e: ts.Expression, statement: ts.Node): { whenTrue: S | undefined; whenFalse: S | undefined } {
    if (this.state === undefined) return { whenTrue: undefined, whenFalse: undefined };
    const inner = skipParens(e);
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
      this.emit({ kind: 'enter', node: inner });
      const r = this.condition(inner.operand, statement);
      return { whenTrue: r.whenFalse, whenFalse: r.whenTrue };
    }
    if (ts.isBinaryExpression(inner)) {
      const op = inner.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        this.emit({ kind: 'enter', node: inner });
        const a = this.condition(inner.left, statement);
        this.state = a.whenTrue;
        const b = this.condition(inner.right, statement);
        return { whenTrue: b.whenTrue, whenFalse: this.join(a.whenFalse, b.whenFalse) };
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        this.emit({ kind: 'enter', node: inner });
        const a = this.condition(inner.left, statement);
        this.state = a.whenFalse;
        const b = this.condition(inner.right, statement);
        return { whenTrue: this.join(a.whenTrue, b.whenTrue), whenFalse: b.whenFalse };
      }
    }
    this.expression(inner);
    if (this.state === undefined) return { whenTrue: undefined, whenFalse: undefined };
    const whenTrue = this.state;
    const whenFalse = this.analysis.clone(whenTrue);
    this.state = undefined;
    if (inner.kind === ts.SyntaxKind.TrueKeyword) return { whenTrue, whenFalse: undefined };
    if (inner.kind === ts.SyntaxKind.FalseKeyword) return { whenTrue: undefined, whenFalse };
    this.analysis.transfer({ kind: 'condition', node: inner, outcome: true, statement }, whenTrue);
    this.analysis.transfer({ kind: 'condition', node: inner, outcome: false, statement }, whenFalse);
    return { whenTrue, whenFalse };
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  expression(e: ts.Expression): void {
    if (this.state === undefined) return;
    this.emit({ kind: 'enter', node: e });
    switch (e.kind) {
      case ts.SyntaxKind.Identifier:
        this.emit({ kind: 'read', node: e as ts.Identifier });
        return;
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.SpreadElement:
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
        return this.expression((e as ts.ParenthesizedExpression).expression);
      case ts.SyntaxKind.PropertyAccessExpression:
        this.expression((e as ts.PropertyAccessExpression).expression);
        this.emit({ kind: 'read', node: e as ts.PropertyAccessExpression });
        return;
      case ts.SyntaxKind.ElementAccessExpression: {
        const ea = e as ts.ElementAccessExpression;
        this.expression(ea.expression);
        this.expression(ea.argumentExpression);
        this.emit({ kind: 'read', node: ea });
        return;
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(e as ts.CallExpression);
      case ts.SyntaxKind.NewExpression: {
        const ne = e as ts.NewExpression;
        this.expression(ne.expression);
        for (const a of ne.arguments ?? []) this.expression(a);
        const executor = promiseExecutorOf(ne);
        if (executor) this.executor(executor);
        this.emit({ kind: 'call', node: ne });
        this.noteThrowPoint();
        return;
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const tt = e as ts.TaggedTemplateExpression;
        this.expression(tt.tag);
        this.expression(tt.template);
        this.emit({ kind: 'call', node: tt });
        return;
      }
      case ts.SyntaxKind.AwaitExpression:
        this.expression((e as ts.AwaitExpression).expression);
        this.emit({ kind: 'suspend', node: e, reason: 'await' });
        this.noteThrowPoint();
        return;
      case ts.SyntaxKind.YieldExpression: {
        const y = e as ts.YieldExpression;
        if (y.expression) this.expression(y.expression);
        this.emit({ kind: 'suspend', node: e, reason: 'yield' });
        this.noteThrowPoint();
        return;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(e as ts.BinaryExpression);
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const u = e as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) {
          const target = skipParens(u.operand);
          this.targetOperands(target);
          if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
            this.emit({ kind: 'read', node: target });
          }
          this.emit({ kind: 'write', node: u, target, value: undefined, operator: 'update' });
          return;
        }
        return this.expression(u.operand);
      }
      case ts.SyntaxKind.DeleteExpression: {
        const target = skipParens((e as ts.DeleteExpression).expression);
        this.targetOperands(target);
        this.emit({ kind: 'write', node: e, target, value: undefined, operator: 'delete' });
        return;
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        const { whenTrue, whenFalse } = this.condition(c.condition, c);
        this.state = whenTrue;
        this.expression(c.whenTrue);
        const a = this.state;
        this.state = whenFalse;
        this.expression(c.whenFalse);
        const b = this.state;
        this.state = this.analysis.joinBranches ? this.analysis.joinBranches(c, a, b) : this.join(a, b);
        return;
      }
      case ts.SyntaxKind.TemplateExpression:
        for (const span of (e as ts.TemplateExpression).templateSpans) this.expression(span.expression);
        return;
      case ts.SyntaxKind.ArrayLiteralExpression:
        for (const el of (e as ts.ArrayLiteralExpression).elements) this.expression(el);
        return;
      case ts.SyntaxKind.ObjectLiteralExpression:
        for (const p of (e as ts.ObjectLiteralExpression).properties) {
          if (p.name && ts.isComputedPropertyName(p.name)) this.expression(p.name.expression);
          if (ts.isPropertyAssignment(p)) this.expression(p.initializer);
          else if (ts.isShorthandPropertyAssignment(p)) this.emit({ kind: 'read', node: p.name });
          else if (ts.isSpreadAssignment(p)) this.expression(p.expression);
        }
        return;
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.ClassExpression:
        return;
      default:
        // JSX and anything newer: evaluate operand expressions in source order.
        ts.forEachChild(e, (child) => {
          if (isFunctionLike(child) || ts.isClassLike(child)) return;
          if (ts.isExpression(child)) this.expression(child);
          else if (ts.isJsxExpression(child) && child.expression) this.expression(child.expression);
          else if (ts.isJsxAttributes(child) || ts.isJsxOpeningElement(child) || ts.isJsxClosingElement(child) || ts.isJsxAttribute(child) || ts.isJsxSpreadAttribute(child)) {
            ts.forEachChild(child, (g) => {
              if (ts.isExpression(g)) this.expression(g);
              else if (ts.isJsxAttribute(g) && g.initializer && ts.isJsxExpression(g.initializer) && g.initializer.expression) this.expression(g.initializer.expression);
              else if (ts.isJsxExpression(g) && g.expression) this.expression(g.expression);
            });
          }
        });
        return;
    }
  }

  /** Evaluates what a store target needs before the value: the object and the key. */
  private targetOperands(target: ts.Expression): void {
    if (ts.isPropertyAccessExpression(target)) this.expression(target.expression);
    else if (ts.isElementAccessExpression(target)) {
      this.expression(target.expression);
      this.expression(target.argumentExpression);
    }
  }

  private assignTarget(target: ts.Expression, node: ts.Node, value: ts.Expression | undefined, operator: WriteOperator): void {
    const t = skipParens(target);
    if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isPropertyAssignment(p)) this.assignTarget(p.initializer, node, value, operator);
        else if (ts.isShorthandPropertyAssignment(p)) this.emit({ kind: 'write', node, target: p.name, value, operator });
        else if (ts.isSpreadAssignment(p)) this.assignTarget(p.expression, node, value, operator);
      }
      return;
    }
    if (ts.isArrayLiteralExpression(t)) {
      for (const el of t.elements) this.assignTarget(ts.isSpreadElement(el) ? el.expression : el, node, value, operator);
      return;
    }
    if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // A default in a destructuring pattern: `[a = 1] = xs`.
      this.expression(t.right);
      this.assignTarget(t.left, node, value, operator);
      return;
    }
    if (ts.isOmittedExpression(t)) return;
    this.targetOperands(t);
    this.emit({ kind: 'write', node, target: t, value, operator });
  }

  private binary(e: ts.BinaryExpression): void {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const { whenTrue, whenFalse } = this.condition(e.left, e);
      const and = op === ts.SyntaxKind.AmpersandAmpersandToken;
      const [evaluates, skips] = and ? [whenTrue, whenFalse] : [whenFalse, whenTrue];
      this.state = evaluates;
      this.expression(e.right);
      // A test whose value is thrown away (`this.timer && clearTimeout(this.timer);`) decides only
      // its right operand: both outcomes go on to the next statement, as both arms of an `if` do.
      let outer: ts.Node = e;
      while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      if (this.analysis.joinBranches && ts.isExpressionStatement(outer.parent)) this.state = and ? this.analysis.joinBranches(e, this.state, skips) : this.analysis.joinBranches(e, skips, this.state);
      else this.state = this.join(this.state, skips);
      return;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken) {
      this.expression(e.left);
      const skips = this.fork();
      this.emit({ kind: 'condition', node: skipParens(e.left), outcome: false, statement: e });
      this.expression(e.right);
      this.state = this.join(this.state, skips);
      return;
    }
    if (isAssignmentOperator(op)) {
      const target = skipParens(e.left);
      if (op === ts.SyntaxKind.EqualsToken) {
        if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) {
          this.expression(e.right);
          this.assignTarget(target, e, e.right, 'assign');
          return;
        }
        // `x = x || v`, `x = x ?? v`: the spelled-out `x ||= v` / `x ??= v`, walked as that (the
        // write of `x` to itself when it is set changes nothing).
        const defaulted = selfDefault(target, e.right);
        if (defaulted && (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))) {
          this.targetOperands(target);
          this.emit({ kind: 'read', node: target });
          const skips = this.fork();
          this.emit({ kind: 'condition', node: target, outcome: false, statement: e });
          this.expression(defaulted);
          this.emit({ kind: 'write', node: e, target, value: defaulted, operator: 'logical' });
          this.state = this.join(this.state, skips);
          return;
        }
        this.targetOperands(target);
        this.expression(e.right);
        this.emit({ kind: 'write', node: e, target, value: e.right, operator: 'assign' });
        const handler = completionHandlerOf(e);
        if (handler) this.pending.push({ call: e, callback: handler });
        return;
      }
      this.targetOperands(target);
      if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
        this.emit({ kind: 'read', node: target });
      }
      if (isLogicalAssignment(op)) {
        const skips = this.fork();
        this.emit({ kind: 'condition', node: target, outcome: op === ts.SyntaxKind.AmpersandAmpersandEqualsToken, statement: e });
        this.expression(e.right);
        this.emit({ kind: 'write', node: e, target, value: e.right, operator: 'logical' });
        this.state = this.join(this.state, skips);
        return;
      }
      this.expression(e.right);
      this.emit({ kind: 'write', node: e, target, value: e.right, operator: 'compound' });
      return;
    }
    // Plain operators: left then right. Long left-nested chains (`a + b + c + ...`) are walked
    // without recursion so that generated code cannot exhaust the stack.
    const chain: ts.Expression[] = [];
    let left: ts.Expression = e;
    while (
      ts.isBinaryExpression(left) &&
      !isAssignmentOperator(left.operatorToken.kind) &&
      left.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken &&
      left.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
      left.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken
    ) {
      chain.push(left.right);
      left = left.left;
      if (ts.isBinaryExpression(left)) this.emit({ kind: 'enter', node: left });
    }
    this.expression(left);
    for (let i = chain.length - 1; i >= 0; i--) this.expression(chain[i]);
  }

  private call(e: ts.CallExpression): void {
    const callee = skipParens(e.expression);
    if (ts.isPropertyAccessExpression(callee)) this.expression(callee.expression);
    else if (ts.isElementAccessExpression(callee)) {
      this.expression(callee.expression);
      this.expression(callee.argumentExpression);
    } else if (!ts.isIdentifier(callee)) this.expression(callee);
    for (const a of e.arguments) this.expression(a);
    for (const cb of inlineCallbacksOf(e)) this.inline(cb);
    this.emit({ kind: 'call', node: e });
    this.noteThrowPoint();
    for (const c of continuationsOf(e)) {
      const isThen = ts.isPropertyAccessExpression(callee) && THEN_METHODS.has(callee.name.text);
      // What the result parameter holds: the promise's value (`x.then(v => …)`), or the call's result.
      const settled = c.resultParam === undefined ? undefined : isThen ? (callee as ts.PropertyAccessExpression).expression : e;
      this.pending.push({ call: e, callback: c.callback, settled });
    }
  }

  /** Walks a callback the call runs before returning, in place (it may run more than once: join with skipping it). */
  private inline(callback: ts.ArrowFunction | ts.FunctionExpression): void {
    if (this.state === undefined) return;
    const skipped = this.analysis.clone(this.state);
    const savedPending = this.pending;
    this.pending = [];
    callback.parameters.forEach((p) => this.bindName(p.name, p, undefined, 'parameter'));
    const out = this.runFunction(callback);
    this.pending = savedPending;
    this.state = this.join(out, skipped);
  }

  /** Walks a Promise executor in place: it runs once, before `new Promise` returns. */
  private executor(fn: ts.ArrowFunction | ts.FunctionExpression): void {
    if (this.state === undefined) return;
    const before = this.analysis.clone(this.state);
    const savedPending = this.pending;
    const savedHeld = this.held;
    this.pending = [];
    // What the executor starts finishes after the statement that creates the promise (which may
    // store it, `pending = new Promise(…)`): its continuations join that statement's queue.
    this.held = savedHeld ?? savedPending;
    fn.parameters.forEach((p) => this.bindName(p.name, p, undefined, 'parameter'));
    // A `return` in the executor ends the executor, not the function that creates the promise.
    this.state = this.runFunction(fn) ?? before;
    this.held.push(...this.pending);
    this.held = savedHeld;
    this.pending = savedPending;
  }

  /** Walks a continuation callback as the later segment it is, on a copy of `from`. */
  private continuation(call: ts.CallExpression | ts.BinaryExpression, callback: ts.ArrowFunction | ts.FunctionExpression, settledValue: ts.Expression | undefined, from: S): void {
    const saved = this.state;
    const savedPending = this.pending;
    this.pending = [];
    this.state = this.analysis.clone(from);
    const found = continuationsOf(call).find((c) => c.callback === callback);
    this.emit({ kind: 'suspend', node: call, reason: found?.timer ? 'timer' : 'then', callback });
    const resultIndex = found?.resultParam;
    callback.parameters.forEach((p, i) => this.bindName(p.name, p, i === resultIndex || resultIndex === -1 ? settledValue : undefined, 'parameter'));
    this.runFunction(callback);
    this.state = saved;
    this.pending = savedPending;
  }
}

/**
 * Runs a flow analysis over one function's body from `entry`; returns the state at its exits
 * (normal completion, return or throw), or undefined when no exit is reachable.
 */
export function runFlow<S>(fn: FunctionLike, entry: S, analysis: FlowAnalysis<S>): S | undefined {
  const walker = new Walker(analysis);
  walker.state = entry;
  return walker.runFunction(fn);
}

/** What an expression is under its parentheses and assertions (the async model's name for skipOuter). */
export { skipParens };

/** The function a binding holds (a declaration, or a variable initialised with one). */
export function functionOfBinding(b: Binding): FunctionLike | undefined {
  if (b.kind === 'function' && isFunctionLike(b.declaration)) return b.declaration;
  const init = b.initializer && skipParens(b.initializer);
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}
