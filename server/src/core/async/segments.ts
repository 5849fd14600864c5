// Async segments: the stretches of a function that run without another task getting in.
//
// A function is split at each suspension point: `await`, `yield` (async or not: the caller may do
// anything between two `next()` calls), each step of `for await`, and the callbacks of
// `.then/.catch/.finally` (which run as a later segment of the function that chains them).
// Within a segment no other JavaScript runs; between two segments anything may. Which segment a
// node is in depends on the path taken (an await in one branch, an await in a loop body), so the
// model answers path questions — "can a suspension happen after A and before B?" — by running the
// flow walker of ./flow.ts rather than by numbering segments.
import { ts } from 'ts-morph';
import { completionHandlerOf, continuationsOf, isContinuationCall, isInlineCallback, isPromiseExecutor, runFlow, type FlowAnalysis } from './flow';
import { isAsyncFunction, isFunctionLike, type FunctionLike } from './scopes';

export interface AsyncFunction {
  node: FunctionLike;
  isAsync: boolean;
  isGenerator: boolean;
  /** Suspension points in its own body (not in nested functions; inline `.then` callbacks included). */
  suspensions: ts.Node[];
}

/** Whether `fn` is an inline callback of `.then/.catch/.finally` (walked as part of its caller). */
export function isContinuationCallback(fn: ts.Node): boolean {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !fn.parent) return false;
  // `req.onsuccess = () => …` on an object just made: see flow.ts completionHandlerOf.
  if (ts.isBinaryExpression(fn.parent)) return completionHandlerOf(fn.parent) === fn;
  return continuationsOf(fn.parent).some((c) => c.callback === fn);
}

/**
 * Whether `fn` runs as part of the function it is written in, not as a function of its own: an
 * inline `.then` callback or completion handler (a later step of it), a synchronous callback of
 * `.forEach`/`.map` and the like, or a plain Promise executor (both run in place).
 */
export function runsInEnclosingFunction(fn: ts.Node): boolean {
  return isContinuationCallback(fn) || isInlineCallback(fn) || isPromiseExecutor(fn);
}

/**
 * Whether a node inside `fn` is another function's or class's, not part of `fn`'s own run (its
 * inline `.then` callbacks, completion handlers and plain Promise executors are part of it).
 */
function isOutsideRunOf(n: ts.Node, fn: FunctionLike): boolean {
  return (isFunctionLike(n) && n !== fn && !isContinuationCallback(n) && !isPromiseExecutor(n)) || ts.isClassLike(n);
}

/** Whether a node suspends its run: `await`, `yield`, `for await`, a `.then` chain, a completion handler set on an object just made. */
function isSuspensionPoint(n: ts.Node): boolean {
  return ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (ts.isForOfStatement(n) && !!n.awaitModifier) || isContinuationCall(n) || (ts.isBinaryExpression(n) && !!completionHandlerOf(n));
}

/** Suspension points directly in `fn`'s body, including those inside its inline `.then` callbacks. */
export function suspensionPointsOf(fn: FunctionLike): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (isOutsideRunOf(n, fn)) return;
    if (isSuspensionPoint(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

/**
 * Every function of the file that has at least one suspension point of its own, in source order.
 * Inline `.then` callbacks are not listed on their own: they belong to the function that chains them.
 *
 * One walk of the file: each node is looked at once, for the function whose own run it is part of
 * (the nodes suspensionPointsOf walks), rather than the file and then each function's body again;
 * every file the race rules see pays for this, async or not. A function with no suspension point
 * is listed when it hands a timer a callback of its own body (`setTimeout(() => …)`, see
 * continuationsOf): its timer callbacks are walked as its later segments.
 *
 * `walkOrder`, when given, receives every node of the file in the order the walk visits them (see
 * Scopes.nodes), so that no other walk is needed to list them.
 */
export function findAsyncFunctions(sf: ts.SourceFile, walkOrder?: ts.Node[]): AsyncFunction[] {
  const found: Array<{ node: FunctionLike; suspensions: ts.Node[]; timer: boolean }> = [];
  // The run the node being visited is part of (undefined outside every function's own run).
  let run: { suspensions: ts.Node[]; timer: boolean } | undefined;
  const visit = (n: ts.Node): void => {
    walkOrder?.push(n);
    // (A Promise executor belongs to the function that creates the promise, as it runs there.)
    if (isFunctionLike(n) && !isContinuationCallback(n) && !isPromiseExecutor(n)) {
      // A function's own run is its body; its name, parameters and decorators are no part of it.
      const body = n.body;
      const own = body ? { node: n, suspensions: [] as ts.Node[], timer: false } : undefined;
      if (own) found.push(own);
      const outer = run;
      run = undefined;
      ts.forEachChild(n, (c) => {
        if (c !== body) return visit(c);
        run = own;
        visit(c);
        run = undefined;
      });
      run = outer;
      return;
    }
    if (ts.isClassLike(n)) {
      const outer = run;
      run = undefined;
      ts.forEachChild(n, visit);
      run = outer;
      return;
    }
    if (run) {
      if (isSuspensionPoint(n)) run.suspensions.push(n);
      // (See SuspensionReason 'timer'.)
      if (!run.timer && ts.isCallExpression(n) && continuationsOf(n).some((c) => c.timer)) run.timer = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found
    .filter((f) => f.suspensions.length > 0 || f.timer)
    .map(({ node, suspensions }) => ({ node, isAsync: isAsyncFunction(node), isGenerator: !!(node as ts.FunctionDeclaration).asteriskToken, suspensions }));
}

type Between = { seen: 'no' | 'fresh'; by?: ts.Node };

/**
 * Path queries over one function's segments. Each distinct `from` node costs one walk of the
 * function; answers are cached.
 */
export class SegmentQueries {
  private readonly cache = new Map<ts.Node, Map<ts.Node, ts.Node | null>>();

  constructor(readonly fn: FunctionLike) {}

  /**
   * A suspension point that can run after `from` is evaluated and before `to` is, on some path of
   * one activation of the function (including the next iteration of a loop); undefined if `to`
   * always runs in the same segment as the latest evaluation of `from`. Both nodes must be
   * statements or expressions the walker evaluates (not type nodes or declarations names).
   */
  suspensionBetween(from: ts.Node, to: ts.Node): ts.Node | undefined {
    let answers = this.cache.get(from);
    if (!answers) {
      answers = this.walkFrom(from);
      this.cache.set(from, answers);
    }
    return answers.get(to) ?? undefined;
  }

  private walkFrom(from: ts.Node): Map<ts.Node, ts.Node | null> {
    const answers = new Map<ts.Node, ts.Node | null>();
    const analysis: FlowAnalysis<Between> = {
      clone: (s) => ({ ...s }),
      join: (a, b) => {
        if (a.by || b.by) return { seen: 'fresh', by: a.by ?? b.by };
        return { seen: a.seen === 'fresh' || b.seen === 'fresh' ? 'fresh' : 'no' };
      },
      equals: (a, b) => a.seen === b.seen && !!a.by === !!b.by,
      transfer(event, s) {
        if (event.kind === 'enter') {
          if (s.seen === 'fresh' && s.by && !answers.get(event.node)) answers.set(event.node, s.by);
          else if (!answers.has(event.node)) answers.set(event.node, null);
          if (event.node === from) {
            s.seen = 'fresh';
            s.by = undefined;
          }
        } else if (event.kind === 'suspend' && event.reason !== 'timer' && s.seen === 'fresh' && !s.by) {
          s.by = event.node;
        }
      },
    };
    runFlow(this.fn, { seen: 'no' }, analysis);
    return answers;
  }
}
