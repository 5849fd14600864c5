// When a callback runs, compared with the code that hands it over. A promise reaction, a timer
// or a listener runs after the current task: after a transfer the registering code goes on to
// make, and while an entry it removes from a cache is still there for other callers. Iteration
// callbacks, listeners, `onX` handler properties and route handlers run again and again: an
// object from outside them is handed over on every run. Shared by the transfer checks.
import { ts } from 'ts-morph';
import { calleeName, isFunctionNode, isLoop } from './sharedBuffers';
import { skipOuter, skipOuterParents } from '../syntax';

// Callbacks run again and again: array iteration, listeners, timers, and route handlers (one run per request).
const REPEATING_CALLBACKS = /^(map|forEach|flatMap|filter|reduce|some|every|on|addListener|addEventListener|setInterval|subscribe|get|post|put|patch|delete|all|use|route|handle)$/;

/** The innermost loop or repeatedly called callback around `node` in its function chain. */
export function repeatingContext(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (isLoop(n)) return n;
    if (isFunctionNode(n)) {
      const call = n.parent;
      if ((ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression)) || (ts.isCallExpression(call) && call.arguments.some((a) => skipOuter(a) === n))) {
        const name = calleeName(call.expression);
        if (name && REPEATING_CALLBACKS.test(name)) return n;
      }
      // An event handler property (`port.onmessage = (e) => ...`): runs once per event.
      const assigned = skipOuterParents(n);
      if (ts.isBinaryExpression(assigned.parent) && assigned.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && assigned.parent.right === assigned && ts.isPropertyAccessExpression(skipOuter(assigned.parent.left)) && /^on[a-z]+$/.test((skipOuter(assigned.parent.left) as ts.PropertyAccessExpression).name.text)) return n;
      return undefined;
    }
  }
  return undefined;
}

/** Whether `node` runs in a callback run again and again: a listener, an `onX` handler property, an iteration callback. */
export function inRepeatedCallback(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isFunctionNode(n)) continue;
    const outer = skipOuterParents(n);
    const call = outer.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(outer as ts.Expression) && REPEATING_CALLBACKS.test(calleeName(call.expression) ?? '')) return true;
    if (ts.isBinaryExpression(call) && call.operatorToken.kind === ts.SyntaxKind.EqualsToken && call.right === outer && ts.isPropertyAccessExpression(skipOuter(call.left)) && /^on[a-z]+$/.test((skipOuter(call.left) as ts.PropertyAccessExpression).name.text)) return true;
  }
  return false;
}

const DEFERRING_CALLS = /^(then|catch|finally|setTimeout|setImmediate|queueMicrotask|nextTick|on|once|addEventListener|addListener|subscribe)$/;

/** Whether the function `fn` is a callback that runs after the current task: a promise reaction, a timer, a listener. */
export function runsLater(fn: ts.Node): boolean {
  const call = fn.parent;
  return ts.isCallExpression(call) && call.arguments.some((a) => skipOuter(a) === fn) && DEFERRING_CALLS.test(calleeName(call.expression) ?? '');
}

/** `port.onmessage = (e) => ...`, `req.onload = function () {...}`: an event handler property, called when the event comes. */
export function isHandlerProperty(fn: ts.Node): boolean {
  let child: ts.Node = fn;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  return ts.isBinaryExpression(parent) && parent.right === child && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left) && /^on[a-z]+$/.test(parent.left.name.text);
}
