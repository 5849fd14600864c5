// When an access to shared memory can actually overlap another thread's: not before the
// memory is handed over, not inside a lock, not after the other threads have finished.
// Every test here answers "is it safe?" conservatively in the quiet direction: when the code
// shows any sign of ordering (a lock, a join, a wait), the access is left alone.
import { ts } from 'ts-morph';
import { atomicsOp, calleeName, enclosingFunction, isFunctionNode, isLoop, type SharingPoint, type TrackedValue } from './sharedBuffers';

const LOCK_CALLBACK = /^(runExclusive|withLock|synchronized|exclusive|request|lock|acquire)$/;
const LOCK_OBJECT = /(lock|mutex|semaphore)\w*$/i;
const ACQUIRE = /^(lock|acquire|tryLock|lockSync|acquireSync|enter|wait(For)?Lock|take)$/;
const RELEASE = /^(unlock|release|unlockSync|releaseSync|leave|exit|give)$/;
const JOIN_AWAIT = /exit|once\(|terminate|join|Promise\.all|allSettled|finished|done|close/i;
const FINISH_EVENTS = new Set(['exit', 'close', 'error', 'messageerror']);
const MESSAGE_EVENTS = new Set(['message', 'online']);

function skipAwait(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isAwaitExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
  return ts.isCallExpression(x) ? x.expression : x;
}

/** The function body (or file) whose statements run in order with `node`. */
function bodyOf(node: ts.Node): ts.Node {
  return enclosingFunction(node) ?? node.getSourceFile();
}

/** Calls in the same function as `node` (not in nested functions), in source order. */
export function callsInBody(body: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (n !== body && isFunctionNode(n)) return;
    if (ts.isCallExpression(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

/** The callback argument `fn` is passed as, if it is one: (call, event name when the first argument is a string). */
function callbackOf(fn: ts.Node): { call: ts.CallExpression; event?: string } | undefined {
  let child = fn;
  let parent = fn.parent;
  while (ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) return undefined;
  const first = parent.arguments[0];
  return { call: parent, event: first && ts.isStringLiteralLike(first) ? first.text : undefined };
}

/**
 * Whether an access runs under a lock: inside a callback given to `mutex.runExclusive`,
 * `navigator.locks.request` and the like, or after an acquire (a `lock()` call, an
 * Atomics.compareExchange/exchange on another location) with a release after it in the
 * same function.
 */
export function isLockProtected(node: ts.Node, ownLocation?: (call: ts.CallExpression) => boolean): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isFunctionNode(n)) continue;
    const cb = callbackOf(n);
    if (cb) {
      const name = calleeName(cb.call.expression);
      if (name && LOCK_CALLBACK.test(name)) return true;
      // `lock.run(() => ...)`, `this.mutex.exec(fn)`: a callback handed to a lock object.
      const callee = cb.call.expression;
      if (ts.isPropertyAccessExpression(callee) && LOCK_OBJECT.test(callee.expression.getText())) return true;
    }
  }
  // `using held = mutex.lock()`: released when the block ends, so the rest of the block is held.
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n) && !isFunctionNode(n); n = n.parent) {
    if (!ts.isBlock(n)) continue;
    for (const st of n.statements) {
      if (st.getStart() >= node.getStart()) break;
      if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Using) {
        if (st.declarationList.declarations.some((d) => d.initializer && ACQUIRE.test(calleeName(skipAwait(d.initializer)) ?? ''))) return true;
      }
    }
  }
  const body = bodyOf(node);
  const at = node.getStart();
  let acquired = false;
  for (const call of callsInBody(body)) {
    const name = calleeName(call.expression);
    const op = atomicsOp(call);
    const isAcquire = (op === 'compareExchange' || op === 'exchange') ? !ownLocation?.(call) : !!name && !op && ACQUIRE.test(name);
    const isRelease = op === 'store' || op === 'exchange' || op === 'compareExchange' || (!!name && !op && RELEASE.test(name));
    if (call.getEnd() <= at && isAcquire) acquired = true;
    if (acquired && call.getStart() > node.getEnd() && isRelease) return true;
  }
  // A release in a `finally` after a `try` that holds the access.
  return false;
}

/**
 * Whether the other threads are known to be done (or to have handed over) when `node` runs:
 * in an 'exit' handler, after awaiting their exit, after Atomics.wait. With `forReads`, a
 * 'message' handler counts too: the worker's writes before it posted are visible.
 * `waitsHandOver: false` leaves Atomics.wait out: a wait hands over the data a flag guards, never
 * the flag word itself, which the other thread keeps accessing with Atomics.
 */
export function isAfterHandOver(node: ts.Node, forReads: boolean, waitsHandOver = true): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isFunctionNode(n)) continue;
    const cb = callbackOf(n);
    if (cb?.event && FINISH_EVENTS.has(cb.event)) return true;
    if (forReads && cb?.event && MESSAGE_EVENTS.has(cb.event)) return true;
    if (forReads && cb && /^(then|finally)$/.test(calleeName(cb.call.expression) ?? '')) return true;
    const assigned = n.parent;
    if (forReads && ts.isBinaryExpression(assigned) && assigned.left.getText().endsWith('onmessage')) return true;
    break;
  }
  const body = bodyOf(node);
  const at = node.getStart();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.getStart() >= at) return;
    if (n !== body && isFunctionNode(n)) return;
    if (ts.isAwaitExpression(n) && n.getEnd() <= at && (forReads || JOIN_AWAIT.test(n.expression.getText()))) found = true;
    if (ts.isCallExpression(n) && n.getEnd() <= at) {
      const op = atomicsOp(n);
      if (waitsHandOver && (op === 'wait' || op === 'waitAsync')) found = true;
      if (forReads && (calleeName(n.expression) === 'receiveMessageOnPort')) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function isInside(inner: ts.Node, outer: ts.Node): boolean {
  return outer.getStart() <= inner.getStart() && inner.getEnd() <= outer.getEnd();
}

function containsPosition(outer: ts.Node, inner: ts.Node): boolean {
  return outer.getStart() <= inner.getStart() && inner.getEnd() <= outer.getEnd();
}

/** Whether `a` can run after `b` in the same function: later in the text, or both in one loop. */
export function mayRunAfter(a: ts.Node, b: ts.Node): boolean {
  if (a.getStart() >= b.getEnd()) return true;
  for (let n: ts.Node | undefined = a.parent; n && !ts.isSourceFile(n) && !isFunctionNode(n); n = n.parent) {
    if (isLoop(n) && containsPosition(n, b)) return true;
  }
  return false;
}

/**
 * The sharing point that makes `node` concurrent with another thread, if any: received and
 * declared memory always is; memory created here is only once shared, and code of the same
 * function that runs before it is shared (initialization) is not.
 */
export function otherThreadAt(values: readonly TrackedValue[], node: ts.Node, callSitesOf: (fn: ts.Node) => readonly ts.Node[]): SharingPoint | undefined {
  for (const v of values) {
    if (v.root.kind !== 'created') return v.root.sharing[0];
  }
  for (const v of values) {
    for (const point of v.root.sharing) {
      if (!runsBeforeShared(node, point, callSitesOf) || sharedAgainLater(node, point, v.root.node)) return point;
    }
  }
  return undefined;
}

/**
 * Whether code that runs before `point` in one call can still run after an earlier call shared
 * the memory: the sharing function (a method or function, not a constructor) runs once per
 * handshake, while the memory was created once, outside it (at module scope or as a field). The
 * second handshake's "initialising" write then lands on memory the other thread may still be
 * waiting on or updating.
 */
function sharedAgainLater(node: ts.Node, point: SharingPoint, creation: ts.Node): boolean {
  const fn = enclosingFunction(point.node);
  if (!fn || enclosingFunction(node) !== fn || ts.isConstructorDeclaration(fn)) return false;
  if (isInside(creation, fn)) return false;
  const creator = enclosingFunction(creation);
  if (!creator) {
    // A module-level view, or a field initializer of the class whose method shares it.
    const field = creation.parent && ts.findAncestor(creation, ts.isPropertyDeclaration);
    return !field || (ts.isMethodDeclaration(fn) && field.parent === fn.parent);
  }
  // Created in the constructor of the class whose method shares it.
  return ts.isConstructorDeclaration(creator) && ts.isMethodDeclaration(fn) && creator.parent === fn.parent;
}

function runsBeforeShared(node: ts.Node, point: SharingPoint, callSitesOf: (fn: ts.Node) => readonly ts.Node[], depth = 0): boolean {
  const fn = enclosingFunction(node);
  const pointFn = enclosingFunction(point.node);
  if (point.kind === 'escape' && !pointFn) {
    // Exported at module level: other modules get it only after this module has run.
    return !fn;
  }
  if (fn === pointFn) return !mayRunAfter(node, point.node);
  // The memory is shared from a callback inside this function (`ids.map(() => new Worker(...))`):
  // code of this function before that point runs before the callback can.
  if (isInside(point.node, fn ?? node.getSourceFile())) return !mayRunAfter(node, point.node);
  // A helper called only before the memory is shared (e.g. `fill(view)` then `new Worker`).
  if (fn && depth < 2 && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn))) {
    const sites = callSitesOf(fn);
    return sites.length > 0 && sites.every((s) => runsBeforeShared(s, point, callSitesOf, depth + 1));
  }
  return false;
}
