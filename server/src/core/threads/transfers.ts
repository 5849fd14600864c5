// Transferred objects used afterwards. `postMessage(msg, [buf])`, `structuredClone(x, { transfer })`,
// a Worker's `transferList` and `buf.transfer()` move an ArrayBuffer (or a MessagePort, a
// stream...) to its new owner and detach it here: a detached buffer has byteLength 0 and its
// views read `undefined` and drop writes, a transferred port no longer delivers here. A later use
// in the same function (or in the next iteration of a loop, or in a closure created after the
// transfer) is a bug that stays silent in tests that send once.
import { ts } from 'ts-morph';
import { calleeName, enclosingFunction, isFunctionNode, isLoop, lineOf, skipOuter, typeNameOf, type SharedBufferModel } from './sharedBuffers';
import { constInitializer } from './memoryAccesses';
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

/** The entries of a transfer list argument (`[a, b]`, `{ transfer: [a] }`, or a const naming one). */
function transferEntries(arg: ts.Expression | undefined, checker: ts.TypeChecker, depth = 0): ts.Expression[] {
  if (!arg || depth > 2) return [];
  const e = skipOuter(arg);
  if (ts.isArrayLiteralExpression(e)) return e.elements.filter((x) => !ts.isSpreadElement(x) && !ts.isOmittedExpression(x));
  if (ts.isObjectLiteralExpression(e)) {
    const list = transferListOf(e);
    return list === e ? [] : transferEntries(list, checker, depth + 1);
  }
  const mapped = mappedBuffers(e);
  if (mapped) {
    MAPPED_LISTS.add(mapped);
    return [mapped];
  }
  if (ts.isIdentifier(e)) {
    const sym = valueSymbol(e, checker);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.getSourceFile() === e.getSourceFile()) {
      const list = decl.parent;
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) {
        const entries = transferEntries(decl.initializer, checker, depth + 1);
        // A list built up before the send: `const trans = []; trans.push(data.buffer)`.
        if (ts.isArrayLiteralExpression(skipOuter(decl.initializer))) entries.push(...pushedInto(sym!, enclosingFunction(decl) ?? decl.getSourceFile(), checker));
        return entries;
      }
    }
    // A list a task handler returns with its result: `const { value, transferList } = await handler(...args)`.
    if (decl && ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent) && decl.parent.parent.initializer) {
      const property = (decl.propertyName ?? decl.name).getText();
      return returnedLists(decl.parent.parent.initializer, property, checker, depth);
    }
  }
  return [];
}

/**
 * The entries of the list that the functions a call may run hand back under `property`
 * (`return { value, transferList: [hash] }`, or `resolve({ value, transferList: [buffer] })` in
 * a promise they return): a same-file function, or any function of a const object literal the
 * callee is looked up in (`const handler = handlers[message.method]`), the way worker task
 * dispatchers pick the handler by name.
 */
function returnedLists(init: ts.Expression, property: string, checker: ts.TypeChecker, depth: number): ts.Expression[] {
  let call = skipOuter(init);
  if (ts.isAwaitExpression(call)) call = skipOuter(call.expression);
  if (!ts.isCallExpression(call)) return [];
  const targets: ts.Node[] = [];
  const direct = calledFunction(call, checker);
  if (direct) targets.push(direct);
  else {
    const callee = skipOuter(call.expression);
    const d = ts.isIdentifier(callee) ? checker.getSymbolAtLocation(callee)?.valueDeclaration : undefined;
    const picked = d && ts.isVariableDeclaration(d) && d.initializer ? skipOuter(d.initializer) : undefined;
    const table = picked && ts.isElementAccessExpression(picked) ? skipOuter(picked.expression) : undefined;
    const tableDecl = table && ts.isIdentifier(table) ? checker.getSymbolAtLocation(table)?.valueDeclaration : undefined;
    const literal = tableDecl && ts.isVariableDeclaration(tableDecl) && tableDecl.initializer ? skipOuter(tableDecl.initializer) : undefined;
    if (literal && ts.isObjectLiteralExpression(literal)) {
      for (const p of literal.properties) {
        const value = ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : ts.isMethodDeclaration(p) ? p : undefined;
        if (value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isMethodDeclaration(value))) targets.push(value);
      }
    }
  }
  const entries: ts.Expression[] = [];
  for (const fn of targets) {
    if (fn.getSourceFile() !== call.getSourceFile()) continue;
    const objects: ts.ObjectLiteralExpression[] = [];
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (body && !ts.isBlock(body) && ts.isObjectLiteralExpression(skipOuter(body))) objects.push(skipOuter(body) as ts.ObjectLiteralExpression);
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression && ts.isObjectLiteralExpression(skipOuter(n.expression)) && enclosingFunction(n) === fn) objects.push(skipOuter(n.expression) as ts.ObjectLiteralExpression);
      if (ts.isCallExpression(n) && calleeName(n.expression) === 'resolve' && n.arguments.length === 1 && ts.isObjectLiteralExpression(skipOuter(n.arguments[0]))) objects.push(skipOuter(n.arguments[0]) as ts.ObjectLiteralExpression);
      ts.forEachChild(n, visit);
    };
    if (body) visit(body);
    for (const o of objects) {
      for (const p of o.properties) {
        if (!p.name || p.name.getText() !== property) continue;
        if (ts.isPropertyAssignment(p)) entries.push(...transferEntries(p.initializer, checker, depth + 1));
        else if (ts.isShorthandPropertyAssignment(p)) entries.push(...transferEntries(p.name, checker, depth + 1));
      }
    }
  }
  for (const e of entries) HANDED_BACK.add(e);
  return entries;
}

/**
 * Entries a task handler hands back in its result (see returnedLists). Each run of the handler
 * makes its own, so they say nothing about loops, callers or uses around the send; only where
 * their memory comes from (a pooled Buffer, a window into a larger buffer) is judged.
 */
const HANDED_BACK = new WeakSet<ts.Node>();

/** Whether a transfer entry was handed back by a task handler (see HANDED_BACK). */
export function isHandedBack(entry: ts.Node): boolean {
  return HANDED_BACK.has(entry);
}

/**
 * Arrays whose elements' memory a transfer list built with `.map` takes (`feeds` in
 * `postMessage(msg, feeds.map((t) => t.data.buffer))`). Such an entry stands for every element's
 * buffer, not for the array: it tells who owns the memory (a parameter, a cache, a loop's array),
 * while a later use of the array itself (`feeds.length`) is no use of detached memory.
 */
const MAPPED_LISTS = new WeakSet<ts.Node>();

/** `list.map((x) => x.buffer)` (or `x.data.buffer`, or `x` when the elements are buffers): the mapped array. */
function mappedBuffers(e: ts.Expression): ts.Expression | undefined {
  if (!ts.isCallExpression(e) || e.arguments.length !== 1 || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'map') return undefined;
  const fn = skipOuter(e.arguments[0]);
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.length < 1 || !ts.isIdentifier(fn.parameters[0].name)) return undefined;
  const param = fn.parameters[0].name.text;
  let body: ts.Expression | undefined = ts.isBlock(fn.body) ? undefined : fn.body;
  if (ts.isBlock(fn.body) && fn.body.statements.length === 1) {
    const only = fn.body.statements[0];
    if (ts.isReturnStatement(only) && only.expression) body = only.expression;
  }
  if (!body) return undefined;
  // Down a property chain to the parameter: `x.buffer`, `x.data.buffer`, or `x` itself.
  let x = skipOuter(body);
  const endsInBuffer = ts.isPropertyAccessExpression(x) && x.name.text === 'buffer';
  while (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
  if (!ts.isIdentifier(x) || x.text !== param || (!endsInBuffer && x !== skipOuter(body))) return undefined;
  return skipOuter(e.expression.expression);
}

/** Whether a transfer entry stands for the buffers of an array's elements (see MAPPED_LISTS). */
export function isMappedList(entry: ts.Node): boolean {
  return MAPPED_LISTS.has(entry);
}

/** The variable a name refers to, also for the name of a shorthand property (`{ transfer }`). */
function valueSymbol(id: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id);
}

/** The transfer list inside an options argument (`{ transfer: list }`, `{ transfer }`), or the argument itself. */
function transferListOf(arg: ts.Expression): ts.Expression {
  const e = skipOuter(arg);
  if (!ts.isObjectLiteralExpression(e)) return arg;
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'transfer' || p.name.text === 'transferList')) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && (p.name.text === 'transfer' || p.name.text === 'transferList')) return p.name;
  }
  return arg;
}

/** The arguments of `list.push(...)` calls in `scope` (not in nested functions). */
function pushedInto(list: ts.Symbol, scope: ts.Node, checker: ts.TypeChecker): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (n !== scope && isFunctionNode(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'push' && ts.isIdentifier(n.expression.expression) && checker.getSymbolAtLocation(n.expression.expression) === list) {
      out.push(...n.arguments.filter((a) => !ts.isSpreadElement(a)));
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

export interface Transfer {
  call: ts.CallExpression | ts.NewExpression;
  entries: ts.Expression[];
  receiver?: string;
  /** For a call of a same-file helper that transfers its parameter: the helper's name and its own transfer. */
  via?: { helper: string; inner: ts.CallExpression | ts.NewExpression };
  /** Entries whose ArrayBuffer is transferred rather than the entry itself (a view passed to a helper that transfers `param.buffer`). */
  bufferOf?: Set<ts.Expression>;
  /**
   * Entries of which only a part is transferred: a helper that transfers memory reached from its
   * parameter (`job.pixels.buffer`, `frame.data`) takes `arg.pixels` (and the buffer under it) away
   * from its caller, while `arg` itself stays usable. The property names from the entry down, and
   * whether the helper transfers the ArrayBuffer under that part.
   */
  pathOf?: Map<ts.Expression, { path: string[]; buffer: boolean }>;
  /** The transfer-list arguments as written (`trans` in `postMessage(msg, trans)`), for helpers that take the list as a parameter. */
  lists?: ts.Expression[];
  /** A messaging wrapper from another module called with a transfer list (`handler.send(name, data, [data.buffer])`). */
  wrapper?: boolean;
}

/**
 * Whether `call` runs every time `fn` runs: only statements of its body lead to it (no branch,
 * loop, try or closure), except a `new Promise` executor (run at once) and a `worker && ...`
 * existence guard on the channel itself.
 */
function runsUnconditionally(call: ts.Node, fn: ts.Node): boolean {
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (p === fn) return true;
    if (ts.isBlock(p) && (p.parent === fn || isPromiseExecutor(p.parent))) continue;
    if (isPromiseExecutor(p)) continue;
    if (ts.isNewExpression(p) && calleeName(p.expression) === 'Promise') continue;
    if (ts.isExpressionStatement(p) || ts.isReturnStatement(p) || ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isVoidExpression(p)) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === n && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && skipOuter(p.left).getText() === skipOuter(call.expression.expression).getText()) continue;
    return false;
  }
  return false;
}

function isPromiseExecutor(n: ts.Node): boolean {
  return (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isNewExpression(n.parent) && calleeName(n.parent.expression) === 'Promise' && n.parent.arguments?.[0] === n;
}

/** The declaration a call resolves to, when it is a function of this file: `send(x)`, `this.send(x)`, `const send = (x) => ...`. */
function calledFunction(call: ts.CallExpression, checker: ts.TypeChecker): ts.Node | undefined {
  const callee = skipOuter(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  const decl = nameNode && checker.getSymbolAtLocation(nameNode)?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) {
    const init = decl.initializer && skipOuter(decl.initializer);
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  }
  return isFunctionNode(decl) ? decl : undefined;
}

/**
 * Calls of same-file helpers that transfer one of their parameters on every run
 * (`send(buf) { this.port.postMessage({ buf }, [buf]) }`): at the call site, the argument is
 * transferred just as if the caller had called postMessage itself. Wrappers of wrappers are
 * followed a few levels.
 */
function helperTransfers(sf: ts.SourceFile, direct: Transfer[], checker: ts.TypeChecker): Transfer[] {
  // fn → parameter index → the transfer inside fn (and whether it transfers `param.buffer`, or a part of the parameter: `param.pixels.buffer`).
  const summaries = new Map<ts.Node, Map<number, { inner: ts.CallExpression | ts.NewExpression; receiver?: string; buffer: boolean; list?: boolean; path?: string[] }>>();
  const summarise = (transfers: Transfer[]): boolean => {
    let grew = false;
    for (const t of transfers) {
      let fn: ts.Node | undefined = enclosingFunction(t.call);
      // A send inside a `new Promise` executor belongs to the function that creates the promise.
      while (fn && isPromiseExecutor(fn)) fn = enclosingFunction(fn);
      if (!fn || !runsUnconditionally(t.call, fn)) continue;
      // The transfer list itself is a parameter (`#send(msg, trans) { worker.postMessage(msg, trans) }`).
      for (const listArg of t.lists ?? []) {
        const l = skipOuter(listArg);
        const decl = ts.isIdentifier(l) ? valueSymbol(l, checker)?.valueDeclaration : undefined;
        if (!decl || !ts.isParameter(decl) || decl.parent !== fn || decl.dotDotDotToken) continue;
        const index = (fn as ts.SignatureDeclaration).parameters.indexOf(decl);
        const byIndex = summaries.get(fn) ?? new Map();
        if (!byIndex.has(index)) {
          byIndex.set(index, { inner: t.via?.inner ?? t.call, receiver: t.receiver, buffer: false, list: true });
          summaries.set(fn, byIndex);
          grew = true;
        }
      }
      for (const entry of t.entries) {
        const e = skipOuter(entry);
        const ofBuffer = (ts.isPropertyAccessExpression(e) && e.name.text === 'buffer') || !!t.bufferOf?.has(entry) || !!t.pathOf?.get(entry)?.buffer;
        let root = ts.isPropertyAccessExpression(e) && e.name.text === 'buffer' ? skipOuter(e.expression) : e;
        // Memory reached from the parameter by a property path (`job.pixels.buffer`, `req.frame`):
        // the caller's argument loses that part.
        const path = [...(t.pathOf?.get(entry)?.path ?? [])];
        while (ts.isPropertyAccessExpression(root) && root.expression.kind !== ts.SyntaxKind.ThisKeyword && path.length < 4) {
          path.unshift(root.name.text);
          root = skipOuter(root.expression);
        }
        if (!ts.isIdentifier(root)) continue;
        const decl = checker.getSymbolAtLocation(root)?.valueDeclaration;
        if (!decl || !ts.isParameter(decl) || decl.parent !== fn || decl.dotDotDotToken) continue;
        const index = (fn as ts.SignatureDeclaration).parameters.indexOf(decl);
        const byIndex = summaries.get(fn) ?? new Map();
        if (!byIndex.has(index)) {
          byIndex.set(index, { inner: t.via?.inner ?? t.call, receiver: t.receiver, buffer: ofBuffer, path: path.length > 0 ? path : undefined });
          summaries.set(fn, byIndex);
          grew = true;
        }
      }
    }
    return grew;
  };
  const out: Transfer[] = [];
  const seen = new Set<ts.Node>();
  let round: Transfer[] = direct;
  for (let depth = 0; depth < 3 && summarise(round); depth++) {
    round = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !seen.has(node)) {
        const fn = calledFunction(node, checker);
        const byIndex = fn && summaries.get(fn);
        if (byIndex && !node.arguments.some(ts.isSpreadElement)) {
          const entries: ts.Expression[] = [];
          const bufferOf = new Set<ts.Expression>();
          const pathOf = new Map<ts.Expression, { path: string[]; buffer: boolean }>();
          let inner: { inner: ts.CallExpression | ts.NewExpression; receiver?: string } | undefined;
          for (const [i, info] of byIndex) {
            const arg = node.arguments[i];
            if (arg && info.list) {
              const listed = transferEntries(arg, checker);
              entries.push(...listed);
              if (listed.length > 0) inner = info;
            } else if (arg) {
              entries.push(arg);
              if (info.path) pathOf.set(arg, { path: info.path, buffer: info.buffer });
              else if (info.buffer) bufferOf.add(arg);
              inner = info;
            }
          }
          if (entries.length > 0 && inner) {
            seen.add(node);
            const helper = calleeName(node.expression) ?? 'helper';
            round.push({ call: node, entries, receiver: inner.receiver, via: { helper, inner: inner.inner }, bufferOf, pathOf });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    out.push(...round);
  }
  return out;
}

/**
 * Whether the transfer statement `inner`, reached from the call `call` that passes `entry`, is
 * where the memory is handed over: the helpers on the way decide what to transfer (`entry` is an
 * argument the helper puts in its own transfer list, not an element of a list the caller wrote),
 * and they serve that call alone (each has exactly one call site in the file, on the way from
 * `call`, and none is public API that other files may call). The transfer is then this caller's
 * own hand-over written out in a function of its own, and the place to report it; a helper that
 * several callers share, or that sends the list its caller wrote, keeps the finding at the caller.
 */
export function servesOneCaller(call: ts.CallExpression | ts.NewExpression, entry: ts.Expression, inner: ts.Node, model: SharedBufferModel): boolean {
  if (!call.arguments?.includes(entry)) return false;
  const sf = inner.getSourceFile();
  const owner = (n: ts.Node): ts.Node | undefined => {
    let fn = enclosingFunction(n);
    while (fn && isPromiseExecutor(fn)) fn = enclosingFunction(fn);
    return fn;
  };
  let fn = owner(inner);
  for (let depth = 0; fn && depth < 4; depth++) {
    const sites = model.callSitesOf(fn);
    if (sites.length !== 1 || publicApiOf(fn, sf)) return false;
    if (sites[0] === call) return true;
    fn = owner(sites[0]);
  }
  return false;
}

/** Every transfer in the file: the direct ones, then calls of same-file helpers that transfer an argument (or the list passed in). */
export function transferSites(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): Transfer[] {
  return transfersOf(sf, model, checker).sites;
}

/**
 * The file's transfers, found once: three checks ask for them (uses after a transfer, repeated
 * transfers, transfers of shared views), and finding them walks the whole file (again for each
 * level of helpers), asking the checker on the way. Kept per SharedBufferModel, which
 * ctx.shared makes once per file and run.
 */
const transfersByModel = new WeakMap<SharedBufferModel, { direct: Transfer[]; sites: Transfer[] }>();

function transfersOf(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): { direct: Transfer[]; sites: Transfer[] } {
  let known = transfersByModel.get(model);
  if (!known) {
    const direct = findTransfers(sf, model, checker);
    known = { direct, sites: direct.length === 0 ? [] : [...direct, ...helperTransfers(sf, direct, checker)] };
    transfersByModel.set(model, known);
  }
  return known;
}

function findTransfers(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): Transfer[] {
  const out: Transfer[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(node.expression);
      const name = calleeName(callee);
      if (name === 'postMessage' && node.arguments.length >= 2) {
        const entries = node.arguments.slice(1).flatMap((a) => transferEntries(a, checker));
        const channel = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
        const creation = channel && model.workerCreationOf(channel);
        const receiver = creation ? `the worker created at line ${lineOf(creation)}` : channel && /^(parentPort|self|globalThis)$/.test(skipOuter(channel).getText()) ? 'the parent thread' : undefined;
        // The list as passed: `postMessage(msg, list)` or `postMessage(msg, { targetOrigin, transfer: list })`.
        const lists = node.arguments.slice(1).map(transferListOf);
        if (entries.length > 0 || lists.some((a) => ts.isIdentifier(skipOuter(a)))) out.push({ call: node, entries, receiver, lists });
      } else if (name === 'structuredClone' && node.arguments.length >= 2) {
        const entries = transferEntries(node.arguments[1], checker);
        if (entries.length > 0) out.push({ call: node, entries });
      } else if (name === 'decodeAudioData' && node.arguments.length >= 1 && ts.isPropertyAccessExpression(callee) && /AudioContext$/.test(typeNameOf(callee.expression, checker))) {
        // Web Audio takes the encoded bytes over: the ArrayBuffer is detached once decoding starts.
        out.push({ call: node, entries: [node.arguments[0]] });
      } else if ((name === 'transfer' || name === 'transferToFixedLength') && ts.isPropertyAccessExpression(callee) && isArrayBufferType(checker.getNonNullableType(checker.getTypeAtLocation(callee.expression)))) {
        out.push({ call: node, entries: [callee.expression] });
      } else {
        // The marker only wraps: the transfer happens in the call it is passed to (`pool.run(move(buf))`).
        const library = transferMarker(node, checker);
        const sender = library && senderOf(node);
        if (library && sender) out.push({ call: sender, entries: library });
        else {
          // A messaging wrapper from another module (`handler.send('obj', data, [data.buffer])`).
          const wrapped = wrapperTransferList(node, checker);
          if (wrapped) out.push({ call: node, entries: wrapped, wrapper: true });
        }
      }
    } else if (ts.isNewExpression(node) && calleeName(node.expression) === 'Worker') {
      const entries = (node.arguments ?? []).slice(1).flatMap((a) => transferEntries(a, checker));
      if (entries.length > 0) out.push({ call: node, entries, receiver: `the worker created at line ${lineOf(node)}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Whether a type is ArrayBuffer, or ArrayBufferLike (`ArrayBuffer | SharedArrayBuffer`, what
 * `view.buffer` is for a typed array of unspecified buffer since TypeScript 5.7): calling
 * `transfer()` on it can only mean the ArrayBuffer, since a SharedArrayBuffer has no such method.
 */
function isArrayBufferType(type: ts.Type): boolean {
  if (type.symbol?.name === 'ArrayBuffer') return true;
  return type.isUnion() && type.types.some((t) => t.symbol?.name === 'ArrayBuffer') && type.types.every((t) => t.symbol?.name === 'ArrayBuffer' || t.symbol?.name === 'SharedArrayBuffer');
}

/**
 * The transfer list of a call to a messaging wrapper this file does not define
 * (`handler.send('obj', [id, data], [data.buffer])`, `port.post(msg, [frame.buffer])`,
 * `rpc.request('decode', bytes, [bytes.buffer])`): a method named like a send whose last
 * argument (not the first) is an array literal of buffers, each `x.buffer` or typed ArrayBuffer or
 * MessagePort. Such a list has no other use than to be transferred. Same-file wrappers are
 * followed through their bodies instead (helperTransfers).
 */
function wrapperTransferList(call: ts.CallExpression, checker: ts.TypeChecker): ts.Expression[] | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(send\w*|post\w*|request|invoke)$/.test(callee.name.text) || call.arguments.length < 2) return undefined;
  const last = skipOuter(call.arguments[call.arguments.length - 1]);
  if (!ts.isArrayLiteralExpression(last) || last.elements.length === 0) return undefined;
  const fn = calledFunction(call, checker);
  if (fn && fn.getSourceFile() === call.getSourceFile()) return undefined;
  const entries: ts.Expression[] = [];
  for (const el of last.elements) {
    if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) return undefined;
    const x = skipOuter(el);
    const name = checker.getNonNullableType(checker.getTypeAtLocation(x)).symbol?.name;
    if (!(ts.isPropertyAccessExpression(x) && x.name.text === 'buffer') && name !== 'ArrayBuffer' && name !== 'MessagePort') return undefined;
    entries.push(el);
  }
  return entries;
}

/**
 * Worker libraries' transfer markers, which make the call they are passed to transfer the listed
 * objects: Comlink's `transfer(value, [buf])`, threads.js' `Transfer(buf)` / `Transfer(value,
 * [buf])`, and Piscina's or Tinypool's `move(buf)`. The entries are what gets detached.
 */
function transferMarker(call: ts.CallExpression, checker: ts.TypeChecker): ts.Expression[] | undefined {
  const callee = skipOuter(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  // (Only these names can be markers: ask the checker where they come from only for them.)
  if (!nameNode || !['transfer', 'Transfer', 'move'].includes(nameNode.text)) return undefined;
  const module = importedFrom(ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : nameNode, checker);
  if (!module) return undefined;
  const name = nameNode.text;
  if (module === 'comlink' && name === 'transfer' && call.arguments.length >= 2) return transferEntries(call.arguments[1], checker);
  if (/^threads(\/|$)/.test(module) && name === 'Transfer') return call.arguments.length >= 2 ? transferEntries(call.arguments[1], checker) : call.arguments.slice(0, 1);
  if (/^(piscina|tinypool)$/.test(module) && name === 'move' && call.arguments.length === 1) return call.arguments.slice(0, 1);
  return undefined;
}

/** The call a transfer marker is an argument of (directly, or inside an object or array literal argument). */
function senderOf(marker: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
  let child: ts.Node = marker;
  for (let n: ts.Node = marker.parent; n; child = n, n = n.parent) {
    if (ts.isParenthesizedExpression(n) || ts.isArrayLiteralExpression(n) || ts.isObjectLiteralExpression(n) || ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n) || ts.isSpreadElement(n) || ts.isAsExpression(n)) continue;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments?.some((a) => a === child)) return n;
    return undefined;
  }
  return undefined;
}

/** The module an imported name (or namespace) comes from, when it is an import of this file. */
function importedFrom(id: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const decl = checker.getSymbolAtLocation(id)?.declarations?.[0];
  if (!decl) return undefined;
  const importDecl = ts.findAncestor(decl, ts.isImportDeclaration);
  if (importDecl && ts.isStringLiteral(importDecl.moduleSpecifier)) return importDecl.moduleSpecifier.text;
  // `const { move } = require('piscina')`, `const Piscina = require('piscina')`
  const variable = ts.findAncestor(decl, ts.isVariableDeclaration);
  const init = variable?.initializer && skipOuter(variable.initializer);
  if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteral(init.arguments[0])) return init.arguments[0].text;
  return undefined;
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

/** `port.onmessage = (e) => ...`, `req.onload = function () {...}`: an event handler property, called when the event comes. */
function isHandlerProperty(fn: ts.Node): boolean {
  let child: ts.Node = fn;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  return ts.isBinaryExpression(parent) && parent.right === child && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left) && /^on[a-z]+$/.test(parent.left.name.text);
}

function sameBody(a: ts.Node, b: ts.Node): boolean {
  return enclosingFunction(a) === enclosingFunction(b);
}

// ---------------------------------------------------------------------------------------------
// Transfers of objects the sending code does not own. A transfer hands the object away; if the
// same object is transferred again (the next iteration, the next caller, another view of one
// frame), that second postMessage throws DataCloneError on a detached buffer.

export interface RepeatedTransfer {
  transfer: ts.CallExpression | ts.NewExpression;
  entry: ts.Expression;
  /**
   * 'loop': the same object on every run of a loop/callback; 'cache': a value every caller gets;
   * 'caller-loop': a caller passes the same object repeatedly; 'kept': a field or module variable
   * that other functions keep using and nothing replaces; 'stored': a local object that the same
   * function also puts into a long-lived collection or field, where other code reads it later;
   * 'parameter': the caller's memory, transferred by an exported function or public method.
   */
  reason: 'loop' | 'cache' | 'caller-loop' | 'kept' | 'stored' | 'parameter' | 'engine';
  /** When the transfer is a call of a same-file helper: its name and the transfer inside it. */
  via?: { helper: string; inner: ts.CallExpression | ts.NewExpression };
  /** The root name (`games`, `bytes`, `data`). */
  root: string;
  /** The loop, cache declaration or call site that repeats it. */
  where: ts.Node;
  /** For 'parameter': how to name the function whose caller's memory it is (`the exported \`send\``). */
  api?: string;
  /** For 'parameter', when the transferred object is a part of a parameter taken out in the body (`const { data } = image`): that parameter's name. */
  partOf?: string;
  /** For 'cache' through a parameter: the caller that passes the cached value. */
  site?: ts.Node;
  /** For 'cache': a removal of the entry that runs only later (`.finally(() => inFlight.delete(k))`), so callers share it while in flight. */
  removedLater?: ts.Node;
}

// Callbacks run again and again: array iteration, listeners, timers, and route handlers (one run per request).
const REPEATING_CALLBACKS = /^(map|forEach|flatMap|filter|reduce|some|every|on|addListener|addEventListener|setInterval|subscribe|get|post|put|patch|delete|all|use|route|handle)$/;

/** The object a transfer-list entry belongs to: `games` for `games.buffer`, `data` for `data.frame.buffer`. */
function transferRoot(entry: ts.Expression): ts.Expression | undefined {
  let e = skipOuter(entry);
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return e;
      e = skipOuter(e.expression);
    } else if (ts.isIdentifier(e)) {
      return e;
    } else {
      return undefined;
    }
  }
}

/** The innermost loop or repeatedly called callback around `node` in its function chain. */
function repeatingContext(node: ts.Node): ts.Node | undefined {
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

/** `n`, or the outermost parenthesis or type assertion around it. */
function skipOuterParents(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n;
}

function declarationOf(root: ts.Expression, checker: ts.TypeChecker): ts.Node | undefined {
  if (ts.isIdentifier(root)) return checker.getSymbolAtLocation(root)?.declarations?.[0];
  if (ts.isPropertyAccessExpression(root)) return checker.getSymbolAtLocation(root.name)?.declarations?.[0];
  return undefined;
}

/**
 * Whether an argument is read through a getter that builds what it returns (`get frame() { …
 * return ctx.getImageData(…) }`, `return new Float32Array(n)`): each read is a new object, so a
 * caller's loop that reads it per call hands over a different one every time. A getter that
 * returns a field or an entry of a collection (`return this.buf`, `this.cache.get(k)`) gives the
 * same object back and stays a repeat.
 */
function freshFromGetter(arg: ts.Expression, checker: ts.TypeChecker): boolean {
  const e = skipOuter(arg);
  if (!ts.isPropertyAccessExpression(e)) return false;
  const getter = checker.getSymbolAtLocation(e.name)?.declarations?.find(ts.isGetAccessorDeclaration);
  if (!getter?.body) return false;
  const returned: ts.Expression[] = [];
  let bare = false;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression) returned.push(skipOuter(n.expression));
      else bare = true;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(getter.body, visit);
  const builds = (r: ts.Expression): boolean => {
    if (ts.isNewExpression(r) || ts.isObjectLiteralExpression(r) || ts.isArrayLiteralExpression(r)) return true;
    if (!ts.isCallExpression(r)) return false;
    const callee = skipOuter(r.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    // Calls named for making something; a lookup (`get`, `find`, `at`, `fromCache`) may return a kept one.
    return /^(from|of|slice|structuredClone)$/.test(name) || /^(create|make|build|new|clone|copy|capture|render|draw|decode|encode)(?![a-z])/.test(name) || /^get\w*(Data|Bitmap)$/.test(name);
  };
  return !bare && returned.length > 0 && returned.every(builds);
}

/** Whether `root` is given a new object inside `scope` (so each run transfers its own). */
function assignedWithin(root: ts.Expression, scope: ts.Node, checker: ts.TypeChecker): boolean {
  const decl = declarationOf(root, checker);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuter(n.left);
      if ((ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) && declarationOf(left, checker) === decl) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** Where a value comes from, when that is a cache every caller shares (a module-level Map, `this.cache`). */
/** Whether the function that reads `holder[key]` also takes the entry out (`delete holder[key]`, `holder.delete/splice/pop/shift(...)`). */
function removedFrom(holder: ts.Expression, read: ts.Node): boolean {
  const fn = enclosingFunction(read);
  if (!fn) return false;
  const text = holder.getText();
  let removed = false;
  const visit = (n: ts.Node): void => {
    if (removed) return;
    // A delete in a callback that runs later (`fetch(k).finally(() => inFlight.delete(k))`) leaves
    // the entry in place while the work is in flight: every caller in that window shares it.
    if (n !== fn && isFunctionNode(n) && runsLater(n)) return;
    if (ts.isDeleteExpression(n) && ts.isElementAccessExpression(skipOuter(n.expression)) && (skipOuter(n.expression) as ts.ElementAccessExpression).expression.getText() === text) removed = true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(splice|pop|shift|delete)$/.test(n.expression.name.text) && n.expression.expression.getText() === text) removed = true;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return removed;
}

const DEFERRING_CALLS = /^(then|catch|finally|setTimeout|setImmediate|queueMicrotask|nextTick|on|once|addEventListener|addListener|subscribe)$/;

/** Whether the function `fn` is a callback that runs after the current task: a promise reaction, a timer, a listener. */
function runsLater(fn: ts.Node): boolean {
  const call = fn.parent;
  return ts.isCallExpression(call) && call.arguments.some((a) => skipOuter(a) === fn) && DEFERRING_CALLS.test(calleeName(call.expression) ?? '');
}

/** A removal from `holder` made in a callback that runs later (`p.finally(() => holder.delete(k))`). */
function deferredRemoval(holder: ts.Node, sf: ts.SourceFile): ts.Node | undefined {
  const text = holder.getText(sf);
  let found: ts.Node | undefined;
  const visit = (n: ts.Node, later: boolean): void => {
    if (found) return;
    const inLater = later || (isFunctionNode(n) && runsLater(n));
    if (inLater && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'delete' && n.expression.expression.getText(sf) === text) found = n;
    ts.forEachChild(n, (c) => visit(c, inLater));
  };
  visit(sf, false);
  return found;
}

function cachedOrigin(expr: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker, depth: number, seen: Set<ts.Node>): ts.Node | undefined {
  if (depth > 4) return undefined;
  const e = skipOuter(expr);
  if (seen.has(e)) return undefined;
  seen.add(e);
  if (ts.isAwaitExpression(e)) return cachedOrigin(e.expression, sf, checker, depth + 1, seen);
  if (ts.isConditionalExpression(e)) return cachedOrigin(e.whenTrue, sf, checker, depth + 1, seen) ?? cachedOrigin(e.whenFalse, sf, checker, depth + 1, seen);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return cachedOrigin(e.left, sf, checker, depth + 1, seen) ?? cachedOrigin(e.right, sf, checker, depth + 1, seen);
  }
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'get') {
      const type = checker.getNonNullableType(checker.getTypeAtLocation(callee.expression));
      // Or a long-lived object named as a cache (`Cache.get(url)` on a module-level `const Cache = { files: {}, get(k) {...} }`).
      const holder = skipOuter(callee.expression);
      const namedCache = /cache|lru/i.test(holder.getText(sf)) && isLongLived(holder, sf, checker);
      if (type.symbol?.name === 'Map' || type.symbol?.name === 'WeakMap' || /Cache|LRU/.test(type.symbol?.name ?? '') || namedCache) return removedFrom(callee.expression, e) ? undefined : callee.expression;
    }
    // A same-file function: where its returned values come from.
    const sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const decl = sym?.declarations?.[0];
    const fn = decl && decl.getSourceFile() === sf ? (ts.isVariableDeclaration(decl) ? decl.initializer : decl) : undefined;
    if (fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn)) && fn.body) {
      if (!ts.isBlock(fn.body)) return cachedOrigin(fn.body, sf, checker, depth + 1, seen);
      let origin: ts.Node | undefined;
      const visit = (n: ts.Node): void => {
        if (origin) return;
        if (ts.isReturnStatement(n) && n.expression) origin = cachedOrigin(n.expression, sf, checker, depth + 1, seen);
        if (!isFunctionNode(n)) ts.forEachChild(n, visit);
      };
      visit(fn.body);
      return origin;
    }
    return undefined;
  }
  // `cache[key]` on a dictionary that outlives the call (a module variable or a field): every
  // caller asking for that key gets the same object.
  if (ts.isElementAccessExpression(e) && !ts.isLiteralExpression(skipOuter(e.argumentExpression))) {
    const holder = skipOuter(e.expression);
    const type = checker.getNonNullableType(checker.getTypeAtLocation(holder));
    const dictionary = !!(type.getStringIndexType() ?? type.getNumberIndexType());
    const longLived =
      (ts.isPropertyAccessExpression(holder) && skipOuter(holder.expression).kind === ts.SyntaxKind.ThisKeyword) ||
      (ts.isIdentifier(holder) && (() => {
        const d = checker.getSymbolAtLocation(holder)?.declarations?.[0];
        return !!d && d.getSourceFile() === sf && ts.isVariableDeclaration(d) && !enclosingFunction(d);
      })());
    if (dictionary && longLived && !removedFrom(holder, e)) return holder;
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = valueSymbol(e, checker)?.declarations?.[0];
    if (!decl || decl.getSourceFile() !== sf) return undefined;
    if (!ts.isVariableDeclaration(decl)) {
      // A callback's parameter: what the same-file function it is handed to calls it with. A
      // function that files its callback away with others waiting for the same thing and then
      // calls them all with one value (`loading[url].push(onLoad)`, later `for (const cb of
      // callbacks) cb(response)`) hands that one object to every caller.
      const fanOut = fannedOutCall(decl, checker);
      if (fanOut) return fanOut;
      for (const s of callbackArguments(decl, checker)) {
        const origin = cachedOrigin(s, sf, checker, depth + 1, seen);
        if (origin) return origin;
      }
      return undefined;
    }
    // Every value the variable is given: its initializer and its assignments.
    const sources: ts.Expression[] = decl.initializer ? [decl.initializer] : [];
    const scope = enclosingFunction(decl) ?? sf;
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(n.left)) && checker.getSymbolAtLocation(skipOuter(n.left))?.declarations?.[0] === decl) sources.push(n.right);
      ts.forEachChild(n, visit);
    };
    visit(scope);
    for (const s of sources) {
      const origin = cachedOrigin(s, sf, checker, depth + 1, seen);
      if (origin) return origin;
    }
  }
  return undefined;
}

/**
 * For a parameter of a callback (or a property taken out of one, `({ data }) => ...`): the values
 * the same-file function it is handed to calls it with. The callback is an argument of that
 * function (`load(url, (data) => ...)`) or a method of an object literal argument
 * (`load(url, { onSuccess: ({ data }) => ... })`), and the function calls it through its
 * parameter (`cb(x)`, `callbacks.onSuccess({ url, data: cached })`).
 */
function callbackArguments(decl: ts.Node, checker: ts.TypeChecker): ts.Expression[] {
  let param: ts.Node = decl;
  let property: string | undefined;
  if (ts.isBindingElement(decl) && !decl.dotDotDotToken && ts.isObjectBindingPattern(decl.parent) && ts.isParameter(decl.parent.parent)) {
    const name = decl.propertyName ?? decl.name;
    if (!ts.isIdentifier(name)) return [];
    property = name.text;
    param = decl.parent.parent;
  }
  if (!ts.isParameter(param)) return [];
  const callback = param.parent;
  if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback) && !ts.isMethodDeclaration(callback)) return [];
  const position = callback.parameters.indexOf(param);
  // The argument the callback travels in, and the member it is called through.
  let member: string | undefined;
  let argument: ts.Node = callback;
  if (ts.isPropertyAssignment(callback.parent) && ts.isIdentifier(callback.parent.name) && ts.isObjectLiteralExpression(callback.parent.parent)) {
    member = callback.parent.name.text;
    argument = callback.parent.parent;
  } else if (ts.isMethodDeclaration(callback) && ts.isIdentifier(callback.name) && ts.isObjectLiteralExpression(callback.parent)) {
    member = callback.name.text;
    argument = callback.parent;
  }
  const call = argument.parent;
  if (!ts.isCallExpression(call)) return [];
  const index = call.arguments.indexOf(argument as ts.Expression);
  const target = index >= 0 ? calledFunction(call, checker) : undefined;
  const fn = target as ts.FunctionLikeDeclaration | undefined;
  const received = fn?.parameters[index];
  if (!fn?.body || !received || !ts.isIdentifier(received.name)) return [];
  const receivedSymbol = checker.getSymbolAtLocation(received.name);
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      const through = member ? (ts.isPropertyAccessExpression(callee) && callee.name.text === member ? skipOuter(callee.expression) : undefined) : callee;
      const arg = n.arguments[position];
      if (through && ts.isIdentifier(through) && arg && checker.getSymbolAtLocation(through) === receivedSymbol) {
        if (!property) out.push(arg);
        else if (ts.isObjectLiteralExpression(skipOuter(arg))) {
          for (const p of (skipOuter(arg) as ts.ObjectLiteralExpression).properties) {
            if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === property) out.push(p.initializer);
            if (ts.isShorthandPropertyAssignment(p) && p.name.text === property) out.push(p.name);
          }
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/**
 * For the parameter of a callback handed to a same-file function: the call that gives it a value,
 * when that function stores the callback with the others waiting for the same key
 * (`loading[url].push(onLoad)`, `loading[url] = [onLoad]`) and later calls every stored callback
 * with one value in a loop (`for (const cb of callbacks) cb(response)`, `callbacks.forEach((cb)
 * => cb(response))`, `callbacks` being that list). Every caller then receives the same object.
 */
function fannedOutCall(decl: ts.Node, checker: ts.TypeChecker): ts.CallExpression | undefined {
  if (!ts.isParameter(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const callback = decl.parent;
  if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) return undefined;
  const position = callback.parameters.indexOf(decl);
  const call = callback.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(callback);
  const fn = index >= 0 ? (calledFunction(call, checker) as ts.FunctionLikeDeclaration | undefined) : undefined;
  const received = fn?.parameters[index];
  if (!fn?.body || !received || !ts.isIdentifier(received.name)) return undefined;
  const receivedSymbol = checker.getSymbolAtLocation(received.name);
  const isReceived = (e: ts.Node) => ts.isIdentifier(skipOuter(e as ts.Expression)) && checker.getSymbolAtLocation(skipOuter(e as ts.Expression)) === receivedSymbol;
  // Where the callback is filed: the text of the list it is pushed to or stored in.
  const lists = new Set<string>();
  const findStores = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && calleeName(n.expression) === 'push' && ts.isPropertyAccessExpression(n.expression) && n.arguments.some(isReceived)) lists.add(skipOuter(n.expression.expression).getText());
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(skipOuter(n.right)) && (skipOuter(n.right) as ts.ArrayLiteralExpression).elements.some(isReceived)) lists.add(skipOuter(n.left).getText());
    ts.forEachChild(n, findStores);
  };
  findStores(fn.body);
  if (lists.size === 0) return undefined;
  const isStoredList = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    if (lists.has(x.getText())) return true;
    const init = ts.isIdentifier(x) ? constInitializer(x, checker) : undefined;
    return !!init && lists.has(skipOuter(init).getText());
  };
  let found: ts.CallExpression | undefined;
  const callsOf = (loopVar: ts.Symbol | undefined, body: ts.Node): void => {
    const visit = (n: ts.Node): void => {
      if (found) return;
      // One object for all: a name or a property path (`cb(response)`), not a copy made per call (`cb(response.slice(0))`).
      if (ts.isCallExpression(n) && ts.isIdentifier(skipOuter(n.expression)) && checker.getSymbolAtLocation(skipOuter(n.expression)) === loopVar && n.arguments[position]) {
        let root = skipOuter(n.arguments[position]);
        while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
        if (ts.isIdentifier(root)) found = n;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
  };
  const findLoops = (n: ts.Node): void => {
    if (found) return;
    if (ts.isForOfStatement(n) && isStoredList(n.expression) && ts.isVariableDeclarationList(n.initializer) && n.initializer.declarations.length === 1 && ts.isIdentifier(n.initializer.declarations[0].name)) {
      callsOf(checker.getSymbolAtLocation(n.initializer.declarations[0].name), n.statement);
    }
    if (ts.isCallExpression(n) && calleeName(n.expression) === 'forEach' && ts.isPropertyAccessExpression(n.expression) && isStoredList(n.expression.expression)) {
      const each = n.arguments[0] && skipOuter(n.arguments[0]);
      if (each && (ts.isArrowFunction(each) || ts.isFunctionExpression(each)) && each.parameters[0] && ts.isIdentifier(each.parameters[0].name)) callsOf(checker.getSymbolAtLocation(each.parameters[0].name), each.body);
    }
    ts.forEachChild(n, findLoops);
  };
  findLoops(fn.body);
  return found;
}

/** Transfers of objects that the same code (or its caller) transfers again. */
export function findRepeatedTransfers(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): RepeatedTransfer[] {
  const out: RepeatedTransfer[] = [];
  // decodeAudioData detaches the bytes it decodes as a transfer does: decoding a cached or
  // stored buffer empties it for the next decode. (ArrayBuffer#transfer() and library markers
  // are left to the use-after-transfer check.)
  const all = transfersOf(sf, model, checker);
  const direct = all.direct.filter((t) => !ts.isCallExpression(t.call) || t.wrapper || /^(postMessage|structuredClone|decodeAudioData)$/.test(calleeName(t.call.expression) ?? ''));
  // A call of a same-file helper that transfers its argument counts as a transfer of that argument.
  // (With no transfer left out, those helper calls are the ones transferSites found.)
  const transfers = direct.length === all.direct.length ? all.sites : [...direct, ...helperTransfers(sf, direct, checker)];
  for (const t of transfers) {
    // A public function that takes its caller's buffer without saying so is judged at its own
    // transfer when a caller hands it a cached buffer (below, through its callers' arguments), not at that call.
    const helper = t.via && ts.isCallExpression(t.call) ? calledFunction(t.call, checker) : undefined;
    const judgedInside = !!helper && takesOverSilently(helper, sf);
    for (const entry of t.entries) {
      if (HANDED_BACK.has(entry)) continue;
      const type = checker.getNonNullableType(checker.getTypeAtLocation(entry)).symbol?.name;
      if (type === 'SharedArrayBuffer') continue;
      // The audio engine's own storage (AudioBuffer#getChannelData), whatever variable holds it.
      const channel = channelDataBehind(entry, isMappedList(entry), model, checker, 0);
      if (channel) {
        out.push({ transfer: t.call, entry, reason: 'engine', root: skipOuter(entry).getText(sf), where: channel, via: t.via });
        continue;
      }
      // Read through a getter that builds it (`this.source.copy`, `this.source.copy.buffer`): a new object every read.
      const bare = skipOuter(entry);
      if (freshFromGetter(bare, checker) || (ts.isPropertyAccessExpression(bare) && freshFromGetter(bare.expression, checker))) continue;
      const root = transferRoot(entry);
      if (!root) {
        // Taken straight out of long-lived state (`this.pending.get(id)!.buffer`, `frames[i]`): the
        // collection keeps the object whose buffer this transfer detaches.
        const held = heldObject(entry);
        const origin = enclosingFunction(t.call) ? cachedOrigin(held, sf, checker, 0, new Set()) : undefined;
        if (origin && !judgedInside) out.push({ transfer: t.call, entry, reason: 'cache', root: held.getText(sf), where: origin, via: t.via, removedLater: deferredRemoval(origin, sf) });
        continue;
      }
      const decl = declarationOf(root, checker);
      const name = root.getText(sf);
      // The same object on every run of the loop or callback around the transfer.
      const repeating = repeatingContext(t.call);
      // (Through a helper, the helper's own transfer reports the caller's loop: 'caller-loop'.)
      if (repeating && !t.via && decl && decl.getSourceFile() === sf && !(decl.getStart() >= repeating.getStart() && decl.getEnd() <= repeating.getEnd()) && !assignedWithin(root, repeating, checker)) {
        out.push({ transfer: t.call, entry, reason: 'loop', root: name, where: repeating, via: t.via });
        continue;
      }
      // A value every caller gets from a cache.
      if (ts.isIdentifier(root) && enclosingFunction(t.call)) {
        const origin = cachedOrigin(root, sf, checker, 0, new Set());
        if (origin) {
          if (!judgedInside) out.push({ transfer: t.call, entry, reason: 'cache', root: name, where: origin, via: t.via, removedLater: deferredRemoval(origin, sf) });
          continue;
        }
      }
      // A field or module variable, never replaced, that other functions keep using.
      const kept = keptElsewhere(root, t.call, sf, checker);
      if (kept) {
        out.push({ transfer: t.call, entry, reason: 'kept', root: name, where: kept, via: t.via });
        continue;
      }
      // A local object that this function also files away in long-lived state.
      const stored = ts.isIdentifier(root) && decl && ts.isVariableDeclaration(decl) ? storedInLongLivedState(root, decl, t.call, sf, checker) : undefined;
      if (stored) {
        out.push({ transfer: t.call, entry, reason: 'stored', root: name, where: stored, via: t.via });
        continue;
      }
      // A parameter (or a part of one taken out in the body) that a caller in this file passes repeatedly.
      const param = parameterBehind(decl, checker);
      if (param) {
        const fn = param.parent;
        const index = fn.parameters.indexOf(param);
        const part = param === decl ? undefined : (param.name as ts.Identifier).text;
        for (const site of t.via ? [] : model.callSitesOf(fn)) {
          const arg = site.arguments?.[index];
          const argRoot = arg && transferRoot(arg);
          const argDecl = argRoot && declarationOf(argRoot, checker);
          const loop = repeatingContext(site);
          if (argRoot && argDecl && loop && !(argDecl.getStart() >= loop.getStart() && argDecl.getEnd() <= loop.getEnd()) && !assignedWithin(argRoot, loop, checker) && !freshFromGetter(arg, checker)) {
            out.push({ transfer: t.call, entry, reason: 'caller-loop', root: name, where: site });
            break;
          }
        }
        // A caller that passes a value every caller gets from a cache (also through the callbacks it
        // is handed), to a public function that does not say it takes the buffer over.
        if (!t.via && !out.some((o) => o.transfer === t.call && o.entry === entry) && takesOverSilently(fn, sf)) {
          for (const site of model.callSitesOf(fn)) {
            const arg = site.arguments?.[index];
            const argRoot = arg && transferRoot(arg);
            const from = !arg || site.arguments!.some(ts.isSpreadElement) ? undefined : argRoot ? (ts.isIdentifier(argRoot) ? argRoot : undefined) : heldObject(arg);
            const origin = from && enclosingFunction(site) ? cachedOrigin(from, sf, checker, 0, new Set()) : undefined;
            if (origin) {
              out.push({ transfer: t.call, entry, reason: 'cache', root: name, where: origin, site, removedLater: deferredRemoval(origin, sf) });
              break;
            }
          }
        }
        if (out.some((o) => o.transfer === t.call && o.entry === entry)) continue;
        // An exported function or public method that detaches its caller's memory, with no caller
        // in this file to judge and nothing in its name or doc saying it takes the buffer over.
        // (A wrapper of decodeAudioData passes on that API's own contract: not judged here.)
        // (The walk over every call of the file comes last: only for a public, unnamed-ownership transfer of a buffer.)
        const api = model.callSitesOf(fn).length === 0 ? publicApiOf(fn, sf) : undefined;
        const e = skipOuter(entry);
        if (
          api &&
          !isDecode(t.via?.inner ?? t.call) &&
          (type === 'ArrayBuffer' || (ts.isPropertyAccessExpression(e) && e.name.text === 'buffer')) &&
          !OWNERSHIP_WORDS.test(`${api.name} ${(param.name as ts.Identifier).text} ${name} ${api.doc}`) &&
          !calledInFile(fn, sf, checker)
        ) {
          out.push({ transfer: t.call, entry, reason: 'parameter', root: name, where: api.node, via: t.via, api: api.described, partOf: part });
        }
      }
    }
  }
  return out;
}

/**
 * The `getChannelData()` call behind a transfer-list entry, when the transferred memory is an
 * AudioBuffer's channel data: `buf.getChannelData(0).buffer`, a name bound to it, or (for a list
 * built with map(), `elements`) an array filled with such channels (`channels[i] =
 * input.getChannelData(i)`, `push`, an array literal, a map() over channel numbers), also when
 * that array reaches the sending function as a parameter or as a property of one
 * (`const { channelBuffers } = message`) from every caller in the file. getChannelData hands out
 * the AudioBuffer's own storage, and a ScriptProcessorNode's or decoder's AudioBuffer comes back
 * on the next callback with the same arrays: transferring them detaches the engine's memory.
 */
function channelDataBehind(e: ts.Expression, elements: boolean, model: SharedBufferModel, checker: ts.TypeChecker, depth: number): ts.Node | undefined {
  if (depth > 4) return undefined;
  let x = skipOuter(e);
  if (!elements && ts.isPropertyAccessExpression(x) && x.name.text === 'buffer') x = skipOuter(x.expression);
  // Only an AudioBuffer that comes back: read in a handler that runs per audio block
  // (`onaudioprocess`, a listener), or kept in a field or module variable. Channel data of an
  // AudioBuffer decoded once and then dropped is this code's to give away.
  const isChannelCall = (n: ts.Expression) => {
    const c = skipOuter(n);
    if (!ts.isCallExpression(c) || calleeName(c.expression) !== 'getChannelData' || c.arguments.length !== 1) return undefined;
    const callee = skipOuter(c.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    return inRepeatedCallback(c) || isLongLived(callee.expression, c.getSourceFile(), checker) ? c : undefined;
  };
  if (!elements) {
    const direct = isChannelCall(x);
    if (direct) return direct;
    // `channels[i].buffer`: an element of an array of channels.
    if (ts.isElementAccessExpression(x)) return channelDataBehind(x.expression, true, model, checker, depth + 1);
  } else {
    // `Array.from({ length: n }, (_, i) => buf.getChannelData(i))`, `[0, 1].map((i) => buf.getChannelData(i))`.
    if (ts.isCallExpression(x) && x.arguments.length >= 1) {
      const cb = skipOuter(x.arguments[x.arguments.length - 1]);
      if ((ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && !ts.isBlock(cb.body) && (calleeName(x.expression) === 'map' || calleeName(x.expression) === 'from')) return isChannelCall(cb.body);
    }
    if (ts.isArrayLiteralExpression(x)) {
      const calls = x.elements.map((el) => (ts.isSpreadElement(el) ? undefined : isChannelCall(el)));
      return calls.length > 0 && calls.every(Boolean) ? calls[0] : undefined;
    }
  }
  if (!ts.isIdentifier(x)) return undefined;
  const sym = valueSymbol(x, checker);
  const decl = sym?.valueDeclaration;
  if (!decl || decl.getSourceFile() !== x.getSourceFile()) return undefined;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    if (decl.initializer) {
      const fromInit = channelDataBehind(decl.initializer, elements, model, checker, depth + 1);
      if (fromInit) return fromInit;
    }
    if (!elements) return undefined;
    // An array filled in its function: `channels[i] = input.getChannelData(i)`, `channels.push(input.getChannelData(i))`.
    let filled: ts.Node | undefined;
    const visit = (n: ts.Node): void => {
      if (filled) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(n.left) && ts.isIdentifier(skipOuter(n.left.expression)) && checker.getSymbolAtLocation(skipOuter(n.left.expression)) === sym) filled = isChannelCall(n.right);
      if (ts.isCallExpression(n) && calleeName(n.expression) === 'push' && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && checker.getSymbolAtLocation(n.expression.expression) === sym && n.arguments.length === 1) filled = isChannelCall(n.arguments[0]);
      ts.forEachChild(n, visit);
    };
    visit(enclosingFunction(decl) ?? decl.getSourceFile());
    return filled;
  }
  // A parameter, or a property destructured from one: what every caller in the file passes there.
  let param: ts.ParameterDeclaration | undefined;
  let property: string | undefined;
  if (ts.isParameter(decl) && ts.isIdentifier(decl.name)) param = decl;
  else if (ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent) && decl.parent.parent.initializer) {
    const source = skipOuter(decl.parent.parent.initializer);
    const p = ts.isIdentifier(source) ? checker.getSymbolAtLocation(source)?.valueDeclaration : undefined;
    if (p && ts.isParameter(p) && ts.isIdentifier(p.name)) {
      param = p;
      property = (decl.propertyName ?? decl.name).getText();
    }
  }
  if (!param) return undefined;
  const fn = param.parent;
  const index = fn.parameters.indexOf(param);
  const sites = model.callSitesOf(fn).filter((site) => site.arguments?.[index]);
  if (sites.length === 0) return undefined;
  let found: ts.Node | undefined;
  for (const site of sites) {
    let arg: ts.Expression | undefined = skipOuter(site.arguments![index]);
    if (property) {
      if (!ts.isObjectLiteralExpression(arg)) return undefined;
      const prop = arg.properties.find((p) => p.name && p.name.getText() === property);
      arg = prop && ts.isPropertyAssignment(prop) ? prop.initializer : prop && ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    }
    const behind = arg && channelDataBehind(arg, elements, model, checker, depth + 1);
    if (!behind) return undefined;
    found ??= behind;
  }
  return found;
}

/** Whether `node` runs in a callback run again and again: a listener, an `onX` handler property, an iteration callback. */
function inRepeatedCallback(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isFunctionNode(n)) continue;
    const outer = skipOuterParents(n);
    const call = outer.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(outer as ts.Expression) && REPEATING_CALLBACKS.test(calleeName(call.expression) ?? '')) return true;
    if (ts.isBinaryExpression(call) && call.operatorToken.kind === ts.SyntaxKind.EqualsToken && call.right === outer && ts.isPropertyAccessExpression(skipOuter(call.left)) && /^on[a-z]+$/.test((skipOuter(call.left) as ts.PropertyAccessExpression).name.text)) return true;
  }
  return false;
}

/** Whether a transfer is Web Audio's decodeAudioData, which takes the bytes over as it decodes them. */
export function isDecode(call: ts.CallExpression | ts.NewExpression): boolean {
  return ts.isCallExpression(call) && calleeName(call.expression) === 'decodeAudioData';
}

/** The object a transfer-list entry is taken from, without `.buffer` and `!` (`this.pending.get(id)` for `this.pending.get(id)!.buffer`). */
function heldObject(entry: ts.Expression): ts.Expression {
  let held = skipOuter(entry);
  if (ts.isPropertyAccessExpression(held) && held.name.text === 'buffer') held = skipOuter(held.expression);
  while (ts.isNonNullExpression(held)) held = skipOuter(held.expression);
  return held;
}

/** Whether `fn` is public API (see publicApiOf) whose name, parameters and doc do not say it takes a buffer over. */
function takesOverSilently(fn: ts.Node, sf: ts.SourceFile): boolean {
  const api = publicApiOf(fn, sf);
  const params = (fn as ts.SignatureDeclaration).parameters?.map((p) => p.name.getText(sf)).join(' ') ?? '';
  return !!api && !OWNERSHIP_WORDS.test(`${api.name} ${params} ${api.doc}`);
}

/** Whether some call in the file resolves to `fn` (including `obj.method(...)` and arrow-valued properties). */
function calledInFile(fn: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && calledFunction(n, checker) === fn) found = true;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const OWNERSHIP_WORDS = /transfer|move|detach|owner|consum|take|hand ?over|zero-?copy/i;

/** The parameter a transferred name stands for: the parameter itself, or a part of it taken out in the body (`const { data } = image`, `const data = image.data`). */
function parameterBehind(decl: ts.Node | undefined, checker: ts.TypeChecker, depth = 0): ts.ParameterDeclaration | undefined {
  if (!decl || depth > 3) return undefined;
  if (ts.isParameter(decl)) return ts.isIdentifier(decl.name) && !decl.dotDotDotToken ? decl : undefined;
  let source: ts.Expression | undefined;
  if (ts.isBindingElement(decl) && !decl.dotDotDotToken && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent)) source = decl.parent.parent.initializer;
  else if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) source = decl.initializer;
  if (!source) return undefined;
  return parameterOfValue(source, checker, depth);
}

/**
 * The parameter whose memory a value is: a property path of the parameter, a const or
 * destructured name bound to one, or a field of `this` that is a constructor parameter property
 * (`constructor(public props: Props)`) and is only ever given parameters. A call
 * (`image.data.slice()`, `await load(url)`) makes new memory and is no parameter's.
 */
function parameterOfValue(value: ts.Expression, checker: ts.TypeChecker, depth: number): ts.ParameterDeclaration | undefined {
  // (Not through a choice, `n > 1 ? data.slice() : data`: handing the caller's buffer over on
  // one branch is often the point, as when a single consumer may take the original.)
  const v = skipOuter(value);
  let x = v;
  while (ts.isPropertyAccessExpression(x) && skipOuter(x.expression).kind !== ts.SyntaxKind.ThisKeyword) x = skipOuter(x.expression);
  if (ts.isPropertyAccessExpression(x)) return constructorPropertyParameter(x, checker);
  if (!ts.isIdentifier(x)) return undefined;
  const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
  if (!d) return undefined;
  if (ts.isParameter(d)) return ts.isIdentifier(d.name) && !d.dotDotDotToken ? d : undefined;
  // Only names bound once (a const, a destructured binding): a `let` may hold anything later.
  return x === v || ts.isBindingElement(d) ? parameterBehind(d, checker, depth + 1) : undefined;
}

/** For `this.props`: the constructor parameter property it is (`constructor(public props)`), when every other assignment of it gives it a parameter too. */
function constructorPropertyParameter(field: ts.PropertyAccessExpression, checker: ts.TypeChecker): ts.ParameterDeclaration | undefined {
  const d = checker.getSymbolAtLocation(field.name)?.valueDeclaration;
  if (!d || !ts.isParameter(d) || !ts.isConstructorDeclaration(d.parent) || !ts.isIdentifier(d.name) || !ts.isParameterPropertyDeclaration(d, d.parent)) return undefined;
  const cls = d.parent.parent;
  let foreign = false;
  const visit = (n: ts.Node): void => {
    if (foreign) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(skipOuter(n.left))) {
      const left = skipOuter(n.left) as ts.PropertyAccessExpression;
      if (skipOuter(left.expression).kind === ts.SyntaxKind.ThisKeyword && checker.getSymbolAtLocation(left.name)?.valueDeclaration === d) {
        const right = skipOuter(n.right);
        const r = ts.isIdentifier(right) ? checker.getSymbolAtLocation(right)?.valueDeclaration : undefined;
        if (!r || !ts.isParameter(r)) foreign = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return foreign ? undefined : d;
}

/**
 * The name and doc comment of an exported function, a public method of an exported class, or a
 * method of an object that an exported function returns (`createBridge() { return { send(buf) {...} } }`)
 * or an exported constant holds, if `fn` is one; `described` names it for a message.
 */
function publicApiOf(fn: ts.Node, sf: ts.SourceFile, depth = 0): { node: ts.Node; name: string; doc: string; described: string } | undefined {
  const exported = (n: ts.Node) => !!ts.getCombinedModifierFlags(n as ts.Declaration) && (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
  const docOf = (n: ts.Node) => (ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? []).map((r) => sf.text.slice(r.pos, r.end)).join(' ');
  if (ts.isFunctionDeclaration(fn) && fn.name && exported(fn)) return { node: fn.name, name: fn.name.text, doc: docOf(fn), described: `the exported \`${fn.name.text}\`` };
  const holder = ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? fn.parent : fn;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && ts.isVariableStatement(holder.parent.parent) && exported(holder.parent.parent)) {
    return { node: holder.name, name: holder.name.text, doc: docOf(holder.parent.parent), described: `the exported \`${holder.name.text}\`` };
  }
  // The constructor of an exported class: what the caller passes in (`new Layer(props)`) is its memory.
  if (ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent) && fn.parent.name && exported(fn.parent)) {
    return { node: fn.parent.name, name: fn.parent.name.text, doc: docOf(fn.parent), described: `the constructor of the exported class \`${fn.parent.name.text}\`` };
  }
  if ((ts.isMethodDeclaration(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name) && !holder.name.text.startsWith('_') && ts.isClassLike(holder.parent)) {
    const flags = ts.getCombinedModifierFlags(holder);
    const cls = holder.parent;
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return undefined;
    if (ts.isClassDeclaration(cls) && exported(cls)) return { node: holder.name, name: holder.name.text, doc: docOf(holder), described: `the public method \`${cls.name?.text ?? 'class'}.${holder.name.text}\`` };
  }
  // A method of an object literal handed out: returned by an exported function, or exported itself.
  if ((ts.isMethodDeclaration(holder) || ts.isPropertyAssignment(holder)) && ts.isIdentifier(holder.name) && !holder.name.text.startsWith('_') && ts.isObjectLiteralExpression(holder.parent) && depth < 2) {
    const object = holder.parent;
    let outer: ts.Node = object;
    while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isSatisfiesExpression(outer.parent)) outer = outer.parent;
    const name = holder.name.text;
    if (ts.isReturnStatement(outer.parent) || ts.isArrowFunction(outer.parent)) {
      const factory = ts.isArrowFunction(outer.parent) ? outer.parent : enclosingFunction(outer.parent);
      const api = factory && publicApiOf(factory, sf, depth + 1);
      if (api) return { node: holder.name, name, doc: docOf(holder), described: `\`${name}\`, a method of the object ${api.described} returns` };
    }
    if (ts.isVariableDeclaration(outer.parent) && ts.isIdentifier(outer.parent.name) && ts.isVariableStatement(outer.parent.parent.parent) && exported(outer.parent.parent.parent)) {
      return { node: holder.name, name, doc: docOf(holder), described: `\`${outer.parent.name.text}.${name}\`, a method of an exported object` };
    }
  }
  return undefined;
}

/**
 * For `this.buf` (or a module-level `buf`) transferred inside a function: a use of it in another
 * function, when no code outside the constructor or initializer assigns it a new object. That
 * other function works on a detached buffer after the first transfer.
 */
function keptElsewhere(root: ts.Expression, transfer: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Node | undefined {
  const fn = enclosingFunction(transfer);
  if (!fn) return undefined;
  const decl = declarationOf(root, checker);
  if (!decl || decl.getSourceFile() !== sf) return undefined;
  // (In JavaScript a field is declared by its first `this.x = …`, a BinaryExpression.)
  const isField = ts.isPropertyAccessExpression(root) && root.expression.kind === ts.SyntaxKind.ThisKeyword && (ts.isPropertyDeclaration(decl) || ts.isParameter(decl) || ts.isPropertyAccessExpression(decl) || (ts.isBinaryExpression(decl) && ts.isPropertyAccessExpression(decl.left)));
  const isModuleVariable = ts.isIdentifier(root) && ts.isVariableDeclaration(decl) && !enclosingFunction(decl);
  if (!isField && !isModuleVariable) return undefined;
  let replaced = false;
  let use: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (replaced) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && declarationOf(n, checker) === decl && (!ts.isPropertyAccessExpression(n) || n.expression.kind === ts.SyntaxKind.ThisKeyword)) {
      const at = enclosingFunction(n);
      const parent = n.parent;
      const assigned = ts.isBinaryExpression(parent) && parent.left === n && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (assigned && !(at && ts.isConstructorDeclaration(at))) replaced = true;
      else if (!assigned && at && at !== fn && !ts.isConstructorDeclaration(at) && !use) use = n;
      // The transferring method itself, before its transfer (`frame.copyInto(this.depth)`): its
      // next run works on the detached buffer, unless the method ends the object's life.
      else if (!assigned && at === fn && !use && n.getEnd() <= transfer.getStart() && runsAgain(fn)) use = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return replaced ? undefined : use;
}

// Methods run once at the end of an object's life (or named for handing memory over).
const ONE_SHOT = /^(close|dispose|destroy|terminate|finish|end|stop|release|shutdown|teardown|detach|transfer|free|unload)/i;

/** Whether a method may run again on the same object: a named method of a class, not one that ends its life. */
function runsAgain(fn: ts.Node): boolean {
  return ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name) && !ONE_SHOT.test(fn.name.text);
}

/** Whether `e` names state that outlives a call: a module variable or a field of `this`. */
function isLongLived(e: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker): boolean {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
    if (skipOuter(x.expression).kind === ts.SyntaxKind.ThisKeyword) return true;
    x = skipOuter(x.expression);
  }
  if (!ts.isIdentifier(x)) return false;
  const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
  return !!d && d.getSourceFile() === sf && ts.isVariableDeclaration(d) && !enclosingFunction(d);
}

/**
 * Where the function that transfers part of the local object `root` also keeps that object in
 * long-lived state (`files.set(name, stored)`, `this.items.push(stored)`, `cache[k] = stored`,
 * `this.current = stored`): the collection still holds the object whose buffer is now detached.
 */
function storedInLongLivedState(root: ts.Identifier, decl: ts.VariableDeclaration, transfer: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Node | undefined {
  const fn = enclosingFunction(transfer);
  if (!fn || enclosingFunction(decl) !== fn) return undefined;
  const isRoot = (e: ts.Expression) => {
    const x = skipOuter(e);
    return ts.isIdentifier(x) && checker.getSymbolAtLocation(x)?.valueDeclaration === decl;
  };
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn && isFunctionNode(n))) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(set|push|unshift|add|splice)$/.test(n.expression.name.text) && n.arguments.some(isRoot) && isLongLived(n.expression.expression, sf, checker)) found = n;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isRoot(n.right) && !ts.isIdentifier(skipOuter(n.left)) && isLongLived(n.left, sf, checker)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}
