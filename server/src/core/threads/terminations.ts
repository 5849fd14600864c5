// Shared memory reset right after `worker.terminate()`. Terminating a worker only asks the engine
// to stop it: in browsers terminate() returns at once and the worker runs on until the engine
// interrupts it, in Node it returns a promise that settles once the thread has stopped. Code
// that terminates a worker and then clears or reuses the memory it shares with it (zeroing a
// register file, a status block, a ring) races with the worker's last writes: the reset can be
// overwritten, or half of it land before the old worker's final store. Only memory the other
// side writes matters, so the finding needs Atomics on that memory as evidence (an atomic read
// here means another thread writes it; an atomic write elsewhere is that thread). Left alone:
// `await worker.terminate()` (and writes in a `.then` after it), writes to a view given a new
// buffer after the terminate (the fix: a fresh SharedArrayBuffer the old worker never saw), and
// writes before the terminate.
import { ts } from 'ts-morph';
import type { MemoryAccesses, PlainAccess } from './memoryAccesses';
import { calleeName, enclosingFunction, isFunctionNode, skipParentsUp, typeNameOf, type SharedBufferModel } from './sharedBuffers';
import { skipOuter } from '../syntax';

export interface WriteAfterTerminate {
  /** The `worker.terminate()` call. */
  terminate: ts.CallExpression;
  /** The first plain write after it to memory the worker also holds (`view[i] = 0`, or a `view.fill(...)` call). */
  write: ts.Expression;
  /** The view written, as written there. */
  view: ts.Expression;
  /** The index written, for a plain element write (none for fill/set). */
  index?: ts.Expression;
  /** The model's key of that view. */
  viewKey: string;
  /** An Atomics access of the same memory that shows another thread writes it. */
  evidence: ts.CallExpression;
}

/** Whether the terminate call's promise is awaited or chained, so code after it runs once the worker has stopped. */
function isWaitedFor(call: ts.CallExpression): boolean {
  const parent = skipParentsUp(call);
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return true;
  // `worker.terminate().then(...)`, `Promise.all([w.terminate(), ...])`, `const done = w.terminate()`: the result is kept.
  return !ts.isExpressionStatement(parent) && !(ts.isVoidExpression(parent) && ts.isExpressionStatement(parent.parent));
}

/** `worker.terminate()` calls whose promise nobody waits for, on a value typed Worker (the DOM's or worker_threads'). */
function unawaitedTerminations(sf: ts.SourceFile, checker: ts.TypeChecker): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.arguments.length === 0 && calleeName(n.expression) === 'terminate') {
      const callee = skipOuter(n.expression);
      if (ts.isPropertyAccessExpression(callee) && typeNameOf(callee.expression, checker) === 'Worker' && !isWaitedFor(n)) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Whether `node` is in the body of `fn` itself (not in a function nested in it). */
function directlyIn(node: ts.Node, fn: ts.Node | undefined): boolean {
  return enclosingFunction(node) === fn;
}

/** `view.fill(...)` / `view.set(...)` calls of the function `fn` after `after`, on views the model keys: whole-view plain writes. */
function bulkWritesAfter(after: ts.Node, fn: ts.Node | undefined, model: SharedBufferModel): Array<{ call: ts.CallExpression; view: ts.Expression; viewKey: string }> {
  const out: Array<{ call: ts.CallExpression; view: ts.Expression; viewKey: string }> = [];
  const body = fn ?? after.getSourceFile();
  const visit = (n: ts.Node): void => {
    if (n !== body && isFunctionNode(n)) return;
    if (ts.isCallExpression(n) && n.getStart() > after.getEnd() && /^(fill|set)$/.test(calleeName(n.expression) ?? '')) {
      const callee = skipOuter(n.expression);
      const viewKey = ts.isPropertyAccessExpression(callee) ? model.locationKeyOf(callee.expression) : undefined;
      if (viewKey && ts.isPropertyAccessExpression(callee)) out.push({ call: n, view: callee.expression, viewKey });
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

/** Whether the view named by `viewKey` is given a new value between `from` and `to` (`this.regs = new Uint8Array(fresh)`). */
function replacedBetween(view: ts.Expression, from: ts.Node, to: ts.Node, fn: ts.Node | undefined): boolean {
  const text = skipOuter(view).getText();
  let replaced = false;
  const visit = (n: ts.Node): void => {
    if (replaced) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.getStart() > from.getEnd() && n.getEnd() < to.getStart() && skipOuter(n.left).getText() === text) replaced = true;
    ts.forEachChild(n, visit);
  };
  visit(fn ?? from.getSourceFile());
  return replaced;
}

/**
 * Writes that follow an un-awaited `worker.terminate()` in the same function and hit memory that
 * other code accesses with Atomics: the first one per terminate call. Whether the memory is
 * actually shared with another thread is the caller's to decide (the rule's race witness).
 */
export function findWritesAfterTerminate(sf: ts.SourceFile, model: SharedBufferModel, accesses: MemoryAccesses, checker: ts.TypeChecker): WriteAfterTerminate[] {
  const terminations = unawaitedTerminations(sf, checker);
  if (terminations.length === 0) return [];
  const out: WriteAfterTerminate[] = [];
  const bufferOf = (p: { location: PlainAccess['location'] }) => p.location.bytes?.bufferKey;
  for (const terminate of terminations) {
    const fn = enclosingFunction(terminate);
    // Atomics on the same memory that show another thread writes it: an atomic read or wait here
    // (this side reads what the other side writes), or an atomic write in other code.
    const evidenceFor = (viewKey: string, buffer: string | undefined): ts.CallExpression | undefined =>
      accesses.atomic.find((a) => (a.location.viewKey === viewKey || (!!buffer && a.location.bytes?.bufferKey === buffer)) && (a.op === 'load' || a.op === 'wait' || a.op === 'waitAsync' || (a.op !== 'notify' && a.fn !== fn)))?.call;
    const candidates: Array<Omit<WriteAfterTerminate, 'terminate'>> = [];
    for (const p of accesses.plain) {
      if (p.kind === 'read' || !p.writer || p.element.getStart() <= terminate.getEnd() || !directlyIn(p.element, fn)) continue;
      const evidence = evidenceFor(p.location.viewKey, bufferOf(p));
      if (evidence) candidates.push({ write: p.writer, view: p.view, index: p.index, viewKey: p.location.viewKey, evidence });
    }
    for (const b of bulkWritesAfter(terminate, fn, model)) {
      const evidence = evidenceFor(b.viewKey, undefined);
      if (evidence) candidates.push({ write: b.call, view: b.view, viewKey: b.viewKey, evidence });
    }
    const first = candidates
      .filter((c) => !replacedBetween(c.view, terminate, c.write, fn))
      .sort((a, b) => a.write.getStart() - b.write.getStart())[0];
    if (first) out.push({ terminate, ...first });
  }
  return out;
}
