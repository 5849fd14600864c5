// Read-modify-writes through the API of an object that lives in shared memory. Libraries that
// keep a map or a counter in a SharedArrayBuffer (a shared hash map, a shared store) make each
// call atomic on its own, and offer a lock for anything longer: `m.set(k, m.get(k) + 1)` run by
// two threads reads the same value twice and stores one increment. Only objects that are
// visibly between threads (received through workerData or a message) and whose type says it is
// built for that (it declares lock/unlock methods, or holds a SharedArrayBuffer) are looked at;
// a plain Map sent to a worker is copied, and its get/set touch one thread's copy only.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, isFunctionNode, type SharedBufferModel } from './sharedBuffers';
import { isLockProtected } from './synchronization';
import { skipOuter } from '../syntax';

export interface SharedObjectUpdate {
  /** The read: `m.get(k)`. */
  read: ts.CallExpression;
  /** The write from it: `m.set(k, v)`. */
  write: ts.CallExpression;
  /** The object, as written. */
  object: ts.Expression;
  /** Where the object comes from another thread (`workerData.metrics`), when one expression shows it. */
  receivedAt?: ts.Node;
  /** The object's lock methods, for the message (`lockExclusive`, `unlockExclusive`). */
  lock?: { acquire: string; release?: string };
}

const READS = /^(get|read|load)$/;
const WRITES = /^(set|write|store|put)$/;
const ACQUIRE_METHOD = /^(lock|acquire)\w*$/i;
const RELEASE_METHOD = /^(unlock|release)\w*$/i;

/** The lock methods of a type, or whether it holds a SharedArrayBuffer: what marks it as made to be shared between threads. */
function threadSafeApi(type: ts.Type, checker: ts.TypeChecker): { lock?: { acquire: string; release?: string } } | undefined {
  const props = checker.getPropertiesOfType(type);
  if (props.length === 0) return undefined;
  const names = props.map((p) => p.name);
  const acquire = names.find((n) => ACQUIRE_METHOD.test(n) && /exclusive|write/i.test(n)) ?? names.find((n) => ACQUIRE_METHOD.test(n));
  if (acquire) {
    const stem = acquire.replace(/^(lock|acquire)/i, '');
    const release = names.find((n) => RELEASE_METHOD.test(n) && n.replace(/^(unlock|release)/i, '') === stem);
    if (release) return { lock: { acquire, release } };
  }
  for (const p of props) {
    const decl = p.valueDeclaration;
    if (!decl) continue;
    const t = checker.getTypeOfSymbolAtLocation(p, decl);
    if (t.symbol?.name === 'SharedArrayBuffer') return {};
  }
  return undefined;
}

/** Whether `expr` uses the value of `read`: the call itself, or a variable computed from it (a few steps: `after = before + n`). */
function dependsOn(expr: ts.Node, read: ts.CallExpression, checker: ts.TypeChecker, depth = 0): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n === read) found = true;
    else if (ts.isIdentifier(n) && depth < 3) {
      const decl = checker.getSymbolAtLocation(n)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && dependsOn(decl.initializer, read, checker, depth + 1)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

/** `get` then `set` of the same key on an object shared with other threads, with no lock of the object held around the pair. */
export function findSharedObjectUpdates(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): SharedObjectUpdate[] {
  // Candidate pairs first, by text alone: `X.get(K)` and `X.set(K, ...)` in one function body.
  const reads = new Map<ts.Node, ts.CallExpression[]>();
  const writes: Array<{ write: ts.CallExpression; fn: ts.Node }> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.arguments.length >= 1) {
      const name = n.expression.name.text;
      const isRead = READS.test(name);
      const isWrite = WRITES.test(name) && n.arguments.length >= 2;
      const fn = isRead || isWrite ? enclosingFunction(n) : undefined;
      if (fn && isRead) {
        const list = reads.get(fn);
        if (list) list.push(n);
        else reads.set(fn, [n]);
      }
      if (fn && isWrite) writes.push({ write: n, fn });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const out: SharedObjectUpdate[] = [];
  const apiOf = new Map<string, ReturnType<typeof threadSafeApi> | null>();
  for (const { write, fn } of writes) {
    const target = (write.expression as ts.PropertyAccessExpression).expression;
    const objectText = skipOuter(target).getText(sf);
    const keyText = write.arguments[0].getText(sf);
    const read = (reads.get(fn) ?? []).find(
      (r) => r.getEnd() <= write.getEnd() && skipOuter((r.expression as ts.PropertyAccessExpression).expression).getText(sf) === objectText && r.arguments[0].getText(sf) === keyText && dependsOn(write.arguments[1], r, checker),
    );
    if (!read) continue;
    // Shared with another thread: received through workerData or a message.
    const received = receivedFromThread(target, model, checker);
    if (!received) continue;
    let api = apiOf.get(objectText);
    if (api === undefined) {
      api = threadSafeApi(checker.getNonNullableType(checker.getTypeAtLocation(target)), checker) ?? null;
      apiOf.set(objectText, api);
    }
    if (!api) continue;
    if (isLockProtected(read) || lockedBefore(read, objectText, fn, sf)) continue;
    out.push({ read, write, object: target, receivedAt: received.at, lock: api.lock });
  }
  return out;
}

/**
 * Whether `e` holds what another thread sent: received data as the model tracks it, or a name
 * bound to a path into workerData (`const m = workerData.metrics`; when this file also starts the
 * workers, the model follows workerData to what is sent, an object it does not track).
 */
function receivedFromThread(e: ts.Expression, model: SharedBufferModel, checker: ts.TypeChecker): { at?: ts.Node } | undefined {
  const x = skipOuter(e);
  let decl: ts.Node | undefined = ts.isIdentifier(x) ? checker.getSymbolAtLocation(x)?.valueDeclaration : undefined;
  // `const { table } = workerData`: the declaration whose initializer it is taken from.
  while (decl && ts.isBindingElement(decl) && !decl.dotDotDotToken) decl = decl.parent.parent;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    let init = skipOuter(decl.initializer);
    while (ts.isPropertyAccessExpression(init) && !model.isWorkerDataRef(init)) init = skipOuter(init.expression);
    if (model.isWorkerDataRef(init)) return { at: skipOuter(decl.initializer) };
  }
  return model.isReceivedData(e) ? {} : undefined;
}

/** Whether the function takes a lock of the object (`m.lockExclusive()`, `m.acquire()`) or any lock object before the read. */
function lockedBefore(read: ts.CallExpression, objectText: string, fn: ts.Node, sf: ts.SourceFile): boolean {
  let locked = false;
  const visit = (n: ts.Node): void => {
    if (locked || n.getStart() >= read.getStart()) return;
    if (n !== fn && isFunctionNode(n)) return;
    if (ts.isCallExpression(n) && ACQUIRE_METHOD.test(calleeName(n.expression) ?? '')) {
      const callee = skipOuter(n.expression);
      if (!ts.isPropertyAccessExpression(callee) || skipOuter(callee.expression).getText(sf) === objectText || /lock|mutex|semaphore/i.test(callee.expression.getText(sf))) locked = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return locked;
}
