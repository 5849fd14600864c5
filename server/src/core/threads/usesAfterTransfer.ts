// Transferred objects used afterwards. `postMessage(msg, [buf])`, `structuredClone(x, { transfer })`,
// a Worker's `transferList` and `buf.transfer()` move an ArrayBuffer (or a MessagePort, a
// stream...) to its new owner and detach it here: a detached buffer has byteLength 0 and its
// views read `undefined` and drop writes, a transferred port no longer delivers here. A later use
// in the same function (or in the next iteration of a loop, or in a closure created after the
// transfer) is a bug that stays silent in tests that send once. (The transfers themselves are
// found in transferSites.)
import { ts } from 'ts-morph';
import { isHandlerProperty, runsLater } from './callbackRuns';
import { calleeName, enclosingFunction, isFunctionNode, isLoop, typeNameOf, type SharedBufferModel } from './sharedBuffers';
import { skipOuter, skipOuterParents } from '../syntax';
import { HANDED_BACK, isPromiseExecutor, MAPPED_LISTS, runsUnconditionally, transferSites } from './transferSites';
import { TYPED_ARRAY_NAMES } from './typedArrays';

export interface TransferredUse {
  /** The expression that uses the transferred object (or a view of it). */
  use: ts.Expression;
  /** The name as written (`buf`, `view`, `this.port`). */
  name: string;
  /** The transfer list entry. */
  transferred: ts.Expression;
  /** The call that transfers it. */
  transfer: ts.CallExpression | ts.NewExpression;
  /** What the object is, for the message: 'ArrayBuffer', 'view', 'MessagePort', or a type name. */
  what: string;
  /** Where the receiving thread is, when known. */
  receiver?: string;
  /** When `transfer` is a call of a same-file helper: its name and the transfer inside it. */
  via?: { helper: string; inner: ts.CallExpression | ts.NewExpression };
  /** Whether the helper transfers the ArrayBuffer under `transferred` (a view) rather than the object itself. */
  ofBuffer?: boolean;
  /** When the helper transfers a part of `transferred` (`job.pixels` of `job`): that part, as the caller would write it. */
  part?: string;
  /** When the use is in a listener or promise reaction registered before the transfer: that callback (it runs after the transfer). */
  laterCallback?: ts.Node;
  /** When the use hands the object whose part was transferred on whole to a function that takes that part: the part's name and the call. */
  handedWhole?: { part: string; call: ts.CallExpression };
  /** When the transfer is in a promise executor or an awaited call's callback and the use comes after that: the expression that ran it. */
  runBy?: ts.Node;
}

/**
 * Names that become unusable when the ArrayBuffer behind the view `view` is transferred (a view
 * handed to a helper that transfers `param.buffer`): a view made on the spot
 * (`new Uint8Array(source)`) takes `source` and its other views with it.
 */
function viewBufferNames(view: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker): Array<{ key: string; what: string }> {
  const v = skipOuter(view);
  if (ts.isNewExpression(v) && TYPED_ARRAY_NAMES.has(calleeName(v.expression) ?? '')) {
    const base = v.arguments?.[0];
    const baseType = base && checker.getNonNullableType(checker.getTypeAtLocation(base)).symbol?.name;
    // `new Uint8Array(view)` copies; only a view over an ArrayBuffer shares its memory.
    return base && baseType === 'ArrayBuffer' ? detachedNames(base, sf, checker) : [];
  }
  if (ts.isIdentifier(v) || ts.isPropertyAccessExpression(v)) {
    const type = checker.getNonNullableType(checker.getTypeAtLocation(v)).symbol?.name ?? '';
    if (!TYPED_ARRAY_NAMES.has(type) && type !== 'DataView' && type !== 'Buffer') return detachedNames(v, sf, checker);
    return bufferNames(v, sf, checker);
  }
  return [];
}

function keyOf(x: ts.Expression, checker: ts.TypeChecker): string | undefined {
  const y = skipOuter(x);
  if (ts.isIdentifier(y)) {
    const sym = checker.getSymbolAtLocation(y);
    return sym ? `s:${symbolId(sym)}` : undefined;
  }
  return pathKey(y, checker);
}

/** Names that become unusable when `view.buffer` is transferred: the view, and the buffer it was made over with its other views. */
function bufferNames(view: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker, depth = 0): Array<{ key: string; what: string }> {
  const out: Array<{ key: string; what: string }> = [];
  const k = keyOf(view, checker);
  if (k) out.push({ key: k, what: 'view' });
  if (depth > 3) return out;
  // `body.buffer` where `body = new Uint8Array(buf, 8)`: `buf` and every other view of it go too.
  const viewDecl = ts.isIdentifier(skipOuter(view)) ? checker.getSymbolAtLocation(skipOuter(view))?.valueDeclaration : undefined;
  const init = viewDecl && ts.isVariableDeclaration(viewDecl) && viewDecl.initializer ? skipOuter(viewDecl.initializer) : undefined;
  const base = init && ts.isNewExpression(init) && TYPED_ARRAY_NAMES.has(calleeName(init.expression) ?? '') ? init.arguments?.[0] : undefined;
  if (base && ts.isIdentifier(skipOuter(base)) && typeNameOf(base, checker) === 'ArrayBuffer') out.push(...detachedNames(base, sf, checker));
  // A view over another view's memory (`big.subarray(a, b)`, `new Uint8Array(big.buffer, a, n)`):
  // its buffer is the whole of `big`'s, so transferring it detaches `big` too.
  const baseView =
    init && ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'subarray'
      ? init.expression.expression
      : base && ts.isPropertyAccessExpression(skipOuter(base)) && (skipOuter(base) as ts.PropertyAccessExpression).name.text === 'buffer'
        ? (skipOuter(base) as ts.PropertyAccessExpression).expression
        : undefined;
  if (baseView && (ts.isIdentifier(skipOuter(baseView)) || ts.isPropertyAccessExpression(skipOuter(baseView)))) out.push(...bufferNames(baseView, sf, checker, depth + 1));
  return out;
}

/** Names that become unusable when `entry` is transferred: the entry, and views over the buffer. */
function detachedNames(entry: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker): Array<{ key: string; what: string }> {
  const e = skipOuter(entry);
  const out: Array<{ key: string; what: string }> = [];
  const entryType = typeNameOf(e, checker);
  if (entryType === 'SharedArrayBuffer') return [];
  const what = entryType === 'ArrayBuffer' ? 'ArrayBuffer' : entryType === 'MessagePort' ? 'MessagePort' : TYPED_ARRAY_NAMES.has(entryType) ? 'view' : entryType || 'object';
  const bufferExpr = ts.isPropertyAccessExpression(e) && e.name.text === 'buffer' ? e.expression : undefined;
  if (bufferExpr) {
    out.push(...bufferNames(bufferExpr, sf, checker));
  } else {
    const k = keyOf(e, checker);
    if (k) out.push({ key: k, what });
  }
  // Views made over the transferred buffer: `const bytes = new Uint8Array(buf)`.
  const bufferKey = bufferExpr ? undefined : keyOf(e, checker);
  if (bufferKey && what === 'ArrayBuffer') {
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
        const init = skipOuter(n.initializer);
        if (ts.isNewExpression(init) && TYPED_ARRAY_NAMES.has(calleeName(init.expression) ?? '') && init.arguments?.[0] && keyOf(init.arguments[0], checker) === bufferKey) {
          const sym = checker.getSymbolAtLocation(n.name);
          if (sym) out.push({ key: `s:${symbolId(sym)}`, what: 'view' });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** A key for `this.port`, `channel.port2`, `state.frames.buffer`: the root's identity and the names. */
function pathKey(e: ts.Expression, checker: ts.TypeChecker): string | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) {
    const sym = checker.getSymbolAtLocation(x);
    return sym ? `s:${symbolId(sym)}` : undefined;
  }
  if (x.kind === ts.SyntaxKind.ThisKeyword) return 't';
  if (ts.isPropertyAccessExpression(x)) {
    const base = pathKey(x.expression, checker);
    return base ? `${base}.${x.name.text}` : undefined;
  }
  return undefined;
}

const symbolIds = new WeakMap<ts.Symbol, number>();
let nextSymbolId = 1;
function symbolId(sym: ts.Symbol): number {
  let id = symbolIds.get(sym);
  if (id === undefined) {
    id = nextSymbolId++;
    symbolIds.set(sym, id);
  }
  return id;
}

function isInside(node: ts.Node, outer: ts.Node): boolean {
  return outer.getStart() <= node.getStart() && node.getEnd() <= outer.getEnd();
}

/** Whether a use is a harmless look at a possibly detached object (`buf.detached`, `buf.byteLength === 0`, `expect(buf.byteLength).toBe(0)`). */
function isDetachCheck(use: ts.Expression): boolean {
  const parent = use.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === use) {
    if (parent.name.text === 'detached') return true;
    if (parent.name.text === 'byteLength' && ts.isBinaryExpression(parent.parent)) return true;
    // A test asserting the transfer: `expect(ab.byteLength).toBe(0)`, `assert.equal(ab.byteLength, 0)`.
    const call = parent.parent;
    if ((parent.name.text === 'byteLength' || parent.name.text === 'length') && ts.isCallExpression(call) && call.arguments.includes(parent) && /^(expect|assert|equal|strictEqual|deepEqual|ok|is|same)$/.test(calleeName(call.expression) ?? '')) return true;
  }
  if (ts.isTypeOfExpression(parent)) return true;
  return false;
}

function isAssignmentTarget(use: ts.Expression): boolean {
  const parent = use.parent;
  return ts.isBinaryExpression(parent) && parent.left === use && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** Whether a `return`/`throw` after the transfer, before the branch point, keeps control from reaching the use. */
function exitsBefore(transfer: ts.Node, use: ts.Node): boolean {
  let n: ts.Node = transfer;
  while (n.parent && !isInside(use, n.parent)) {
    const parent = n.parent;
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const statements = parent.statements as ts.NodeArray<ts.Statement>;
      const i = statements.indexOf(n as ts.Statement);
      if (i >= 0 && statements.slice(i + 1).some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s))) return true;
    }
    if ((ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) && parent.parent && isInside(use, parent.parent)) {
      // Transfer in one branch, use in the other branch of the same `if`.
      const other = ts.isIfStatement(parent) ? (parent.thenStatement === n ? parent.elseStatement : parent.thenStatement) : undefined;
      if (other && isInside(use, other)) return true;
    }
    if (isFunctionNode(parent)) return false;
    n = parent;
  }
  const common = n.parent;
  if (common && ts.isIfStatement(common)) {
    const tBranch = isInside(transfer, common.thenStatement) ? common.thenStatement : common.elseStatement;
    if (tBranch && !isInside(use, tBranch) && !isInside(use, common.expression)) return true;
  }
  return false;
}

/** The first use of each transferred object after its transfer, per transfer. */
export function findUsesAfterTransfer(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): TransferredUse[] {
  const out: TransferredUse[] = [];
  for (const t of transferSites(sf, model, checker)) {
    const fn = enclosingFunction(t.call) ?? sf;
    // Where the transfer is also done for the code around it: a `new Promise` executor runs at
    // once, a callback handed to an awaited call (`await pool.queue((w) => w.run(Transfer(buf)))`)
    // runs before the await returns. Uses after that expression in the enclosing function follow
    // the transfer too.
    const outer = enclosingRun(t.call, fn);
    for (const entry of t.entries) {
      if (MAPPED_LISTS.has(entry) || HANDED_BACK.has(entry)) continue;
      const part = t.pathOf?.get(entry);
      const path = part?.path;
      const base = path && keyOf(entry, checker);
      // A part of the argument (`arg.pixels`): uses of that part, not of the rest of the object.
      const names = path ? (base ? [{ key: `${base}.${path.join('.')}`, what: part.buffer ? 'view' : 'object' }] : []) : t.bufferOf?.has(entry) ? viewBufferNames(entry, sf, checker) : detachedNames(entry, sf, checker);
      if (names.length === 0) continue;
      const keys = new Map(names.map((n) => [n.key, n.what]));
      // The object the transferred memory is a part of (`image` for `image.data.buffer`, or the
      // argument a helper takes `.data` from): handing it on whole hands on the detached part.
      const whole = wholeOfPart(entry, path, checker);
      type Use = { use: ts.Expression; what: string; key: string; handedWhole?: { part: string; call: ts.CallExpression }; later?: ts.Node; anchor: ts.Node };
      // The first use after `anchor` (the transfer, or the expression that runs it) within `scope`.
      const firstUse = (scope: ts.Node, anchor: ts.Node): Use | undefined => {
        const uses: Use[] = [];
        const reassigned = new Map<string, ts.Node[]>();
        const visit = (n: ts.Node): void => {
          let key: string | undefined;
          if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !ts.isPropertyAssignment(n.parent)) {
            const sym = checker.getSymbolAtLocation(n);
            if (sym) key = `s:${symbolId(sym)}`;
          } else if (ts.isPropertyAccessExpression(n)) {
            key = pathKey(n, checker);
          }
          // A new object given to an owner of the transferred part (`task.input = …` for `task.input.data`) replaces it too.
          if (key && path && isAssignmentTarget(n as ts.Expression)) {
            for (const k of keys.keys()) if (k.startsWith(`${key}.`)) reassigned.set(k, [...(reassigned.get(k) ?? []), n]);
          }
          if (key && keys.has(key)) {
            const use = n as ts.Expression;
            if (isAssignmentTarget(use) || (ts.isVariableDeclaration(n.parent) && n.parent.name === n)) reassigned.set(key, [...(reassigned.get(key) ?? []), use]);
            else if (!isInside(use, anchor)) uses.push({ use, what: keys.get(key)!, key, anchor });
            return;
          }
          if (key && whole && key === whole.key && (isAssignmentTarget(n as ts.Expression) || (ts.isVariableDeclaration(n.parent) && n.parent.name === n))) {
            // A new object in the name: its part is not the one transferred.
            reassigned.set(whole.partKey, [...(reassigned.get(whole.partKey) ?? []), n]);
          } else if (key && whole && key === whole.key && !isInside(n, anchor)) {
            const call = handedOnWhole(n as ts.Expression, whole.part, checker);
            if (call) uses.push({ use: n as ts.Expression, what: 'object', key: whole.partKey, handedWhole: { part: whole.part, call }, anchor });
          }
          ts.forEachChild(n, visit);
        };
        visit(scope);
        const reaches = ({ use, key }: Use) => reachesAfter(use, anchor, scope, reassigned.get(key) ?? []) || !!laterCallbackOf(use, anchor, scope, reassigned.get(key) ?? []);
        const first = uses
          .filter(reaches)
          .filter(({ use }) => !isDetachCheck(use) && !exitsBefore(anchor, use))
          .sort((a, b) => runOrder(a.use, anchor) - runOrder(b.use, anchor))[0];
        if (first && first.use.getStart() < anchor.getStart()) first.later = laterCallbackOf(first.use, anchor, scope, reassigned.get(first.key) ?? []);
        return first;
      };
      const first = firstUse(fn, t.call) ?? (outer ? firstUse(outer.scope, outer.anchor) : undefined);
      if (first) {
        out.push({ use: first.use, name: first.use.getText(sf), transferred: entry, transfer: t.call, what: first.handedWhole ? 'object' : path ? partKind(first.use, first.what, checker) : first.what, receiver: t.receiver, via: t.via, ofBuffer: !!t.bufferOf?.has(entry), part: path ? `${skipOuter(entry).getText(sf)}.${path.join('.')}` : undefined, laterCallback: first.later, handedWhole: first.handedWhole, runBy: first.anchor === t.call ? undefined : first.anchor });
      }
    }
  }
  return out;
}

/**
 * The expression that runs the function holding a transfer before the code after it goes on,
 * and the function that code is in: a `new Promise` executor (run at once by the constructor),
 * or a callback handed to a call that is awaited (`await pool.queue((w) => ...)`, `await
 * lock.runExclusive(() => ...)`: the await returns after the callback ran). Only when the
 * transfer runs on every run of that callback.
 */
function enclosingRun(transfer: ts.Node, fn: ts.Node): { scope: ts.Node; anchor: ts.Node } | undefined {
  if (ts.isSourceFile(fn) || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !runsUnconditionally(transfer, fn)) return undefined;
  const holder = skipOuterParents(fn).parent;
  let anchor: ts.Node | undefined;
  if (isPromiseExecutor(fn)) anchor = fn.parent;
  else if (ts.isCallExpression(holder) && holder.arguments.some((a) => skipOuter(a) === fn)) {
    const awaited = skipOuterParents(holder).parent;
    if (ts.isAwaitExpression(awaited)) anchor = awaited;
  }
  if (!anchor) return undefined;
  return { scope: enclosingFunction(anchor) ?? anchor.getSourceFile(), anchor };
}

/**
 * The object that holds the transferred memory as a property, when the transfer takes only that
 * part of it: `image` (part `data`) for a list entry `image.data.buffer` or `image.data`, or for
 * an argument `image` of a helper that transfers `param.data.buffer`. Its key, the part's name,
 * and the part's key (whose reassignment gives the object a new part).
 */
function wholeOfPart(entry: ts.Expression, path: string[] | undefined, checker: ts.TypeChecker): { key: string; part: string; partKey: string } | undefined {
  if (path && path.length > 0) {
    const key = keyOf(entry, checker);
    return key ? { key, part: path[0], partKey: `${key}.${path[0]}` } : undefined;
  }
  let e = skipOuter(entry);
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'buffer') e = skipOuter(e.expression);
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
  // Memory only: a buffer or view held in a property (`image.data`), not a port or a stream.
  const type = typeNameOf(e, checker);
  if (!TYPED_ARRAY_NAMES.has(type) && type !== 'ArrayBuffer' && type !== 'Buffer' && type !== 'DataView') return undefined;
  const holder = skipOuter(e.expression);
  const key = keyOf(holder, checker);
  return key ? { key, part: e.name.text, partKey: `${key}.${e.name.text}` } : undefined;
}

// Calls that keep or pass on a reference without reading the memory: collections, promise settlement, logging.
const BOOKKEEPING_CALLS = /^(set|add|push|unshift|splice|has|get|delete|resolve|reject|log|info|warn|error|debug|trace|assert|emit|dispatchEvent|then|catch|finally)$/;

/**
 * The call that `use` (the object whose part was transferred) is handed to as an argument,
 * when that call's parameter expects the part (`encodeJpeg(image)` with `image: { data: Uint8Array }`):
 * the callee gets an object whose `data` is detached. Not collections, promise settlement or logging.
 */
function handedOnWhole(use: ts.Expression, part: string, checker: ts.TypeChecker): ts.CallExpression | undefined {
  let arg: ts.Node = use;
  while (ts.isParenthesizedExpression(arg.parent) || ts.isAsExpression(arg.parent) || ts.isNonNullExpression(arg.parent)) arg = arg.parent;
  const call = arg.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(arg as ts.Expression) || BOOKKEEPING_CALLS.test(calleeName(call.expression) ?? '')) return undefined;
  const expected = checker.getContextualType(arg as ts.Expression);
  if (!expected || expected.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const prop = checker.getNonNullableType(expected).getProperty(part);
  if (!prop) return undefined;
  // The parameter's part must be memory (a view or an ArrayBuffer), not a same-named other field.
  const partType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, call));
  const name = partType.symbol?.name ?? '';
  return TYPED_ARRAY_NAMES.has(name) || name === 'ArrayBuffer' || name === 'Buffer' || name === 'DataView' ? call : undefined;
}

/** What a used part of a partly transferred argument is, for the message: a view, an ArrayBuffer, or an object. */
function partKind(use: ts.Expression, known: string, checker: ts.TypeChecker): string {
  const type = typeNameOf(use, checker);
  return TYPED_ARRAY_NAMES.has(type) || type === 'DataView' || type === 'Buffer' ? 'view' : type === 'ArrayBuffer' || type === 'MessagePort' ? type : known;
}

/** Sort key: uses after the transfer first, in text order; then wrap-around uses in a loop. */
function runOrder(use: ts.Node, transfer: ts.Node): number {
  return use.getStart() >= transfer.getEnd() ? use.getStart() : 1e12 + use.getStart();
}

/**
 * Whether `use` can run after `transfer` without the name being given a new object first:
 * later in the function (or in a closure created later), or earlier in a loop that also holds
 * the transfer when the name lives outside that loop.
 */
function reachesAfter(use: ts.Node, transfer: ts.Node, fn: ts.Node, reassigned: ts.Node[]): boolean {
  if (use.getStart() >= transfer.getEnd()) {
    // A new object assigned between the transfer and the use replaces the detached one.
    return !reassigned.some((r) => r.getStart() > transfer.getEnd() && r.getStart() < use.getStart() && sameBody(r, use));
  }
  for (let n: ts.Node | undefined = transfer.parent; n && n !== fn; n = n.parent) {
    if (isLoop(n) && isInside(use, n)) {
      // Reassigned (or declared) inside the loop before the use: a fresh object each iteration.
      const fresh = reassigned.some((r) => isInside(r, n!) && r.getStart() < use.getStart());
      return !fresh;
    }
    if (isFunctionNode(n)) return false;
  }
  return false;
}

/**
 * The callback holding `use` when it is a listener, timer or promise reaction that `fn` registers
 * before the transfer (`worker.onmessage = (e) => view.set(...)`, then `worker.postMessage(buf,
 * [buf])`): such a callback runs only after the current task, so after the transfer that this
 * run of `fn` goes on to make. Not when the callback (or `fn` after the transfer) gives the name
 * a new object, as a handler does that takes the buffer the worker sends back.
 */
function laterCallbackOf(use: ts.Node, transfer: ts.Node, fn: ts.Node, reassigned: ts.Node[]): ts.Node | undefined {
  if (use.getStart() >= transfer.getStart() || enclosingFunction(transfer) !== (ts.isSourceFile(fn) ? undefined : fn)) return undefined;
  let callback: ts.Node | undefined;
  for (let n: ts.Node | undefined = use.parent; n && n !== fn; n = n.parent) if (isFunctionNode(n)) callback = n;
  if (!callback || callback.getEnd() > transfer.getStart() || !(runsLater(callback) || isHandlerProperty(callback))) return undefined;
  // Registered in a loop or a branch that the transfer is not in: another run's registration.
  for (let n: ts.Node | undefined = callback.parent; n && n !== fn; n = n.parent) {
    if ((isLoop(n) || ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isTryStatement(n) || ts.isSwitchStatement(n)) && !isInside(transfer, n)) return undefined;
  }
  if (reassigned.some((r) => isInside(r, callback!) || r.getStart() > transfer.getEnd())) return undefined;
  return callback;
}

function sameBody(a: ts.Node, b: ts.Node): boolean {
  return enclosingFunction(a) === enclosingFunction(b);
}
