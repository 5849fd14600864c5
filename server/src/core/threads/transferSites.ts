// The transfers a file makes, and the lists they make them with. `postMessage(msg, [buf])`,
// `structuredClone(x, { transfer })`, a Worker's `transferList`, `buf.transfer()`, Web Audio's
// `decodeAudioData`, worker libraries' markers (Comlink's `transfer`, threads.js' `Transfer`,
// Piscina's `move`) and messaging wrappers from other modules each hand memory to a new owner;
// a same-file helper that transfers its parameter on every run makes its call sites transfers
// too. List entries are followed through the ways code builds a list (a const, `push`,
// `.map((x) => x.buffer)`, the `transferList` a task handler returns). Found once per file for
// the checks that judge them: usesAfterTransfer, repeatedTransfers, sharedViewTransfers.
import { ts } from 'ts-morph';
import { publicApiOf } from './callerMemory';
import { calleeName, enclosingFunction, isFunctionNode, lineOf, typeNameOf, type SharedBufferModel } from './sharedBuffers';
import { isConstDeclaration, skipOuter } from '../syntax';
import { requiredModule } from '../async/scopes';
import { assignedFunctionOf, untypedCallee } from './untypedCalls';

/** The entries of a transfer list argument (`[a, b]`, `{ transfer: [a] }`, or a const naming one). */
function transferEntries(arg: ts.Expression | undefined, checker: ts.TypeChecker, depth = 0): ts.Expression[] {
  if (!arg || depth > 2) return [];
  const e = skipOuter(arg);
  if (ts.isArrayLiteralExpression(e)) return e.elements.filter((x) => !ts.isSpreadElement(x) && !ts.isOmittedExpression(x)).map((x) => messageField(bufferBehind(x), checker));
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
 * The entry `x instanceof Uint8Array ? x.buffer : x` (a caller may pass a view or a buffer) is
 * the buffer behind `x` either way: `x.buffer`. Other entries are returned as they are.
 */
function bufferBehind(entry: ts.Expression): ts.Expression {
  const x = skipOuter(entry);
  if (!ts.isConditionalExpression(x)) return entry;
  const [a, b] = [skipOuter(x.whenTrue), skipOuter(x.whenFalse)];
  const ofBuffer = (v: ts.Expression, of: ts.Expression) => ts.isPropertyAccessExpression(v) && v.name.text === 'buffer' && ts.isIdentifier(of) && ts.isIdentifier(skipOuter(v.expression)) && skipOuter(v.expression).getText() === of.text;
  if (ofBuffer(a, b)) return a;
  if (ofBuffer(b, a)) return b;
  return entry;
}

/**
 * A list entry read back from the message object built just before it
 * (`const msg = { bytes: data.buffer }; postMessage(msg, [msg.bytes])`): the value that field was
 * given, which is what the transfer detaches. Other entries are returned as they are.
 */
function messageField(entry: ts.Expression, checker: ts.TypeChecker, depth = 0): ts.Expression {
  const x = skipOuter(entry);
  if (depth > 2 || !ts.isPropertyAccessExpression(x)) return entry;
  const holder = skipOuter(x.expression);
  if (!ts.isIdentifier(holder)) return entry;
  const decl = valueSymbol(holder, checker)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || decl.getSourceFile() !== x.getSourceFile()) return entry;
  if (!isConstDeclaration(decl)) return entry;
  const literal = skipOuter(decl.initializer);
  if (!ts.isObjectLiteralExpression(literal)) return entry;
  for (const p of literal.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === x.name.text) return messageField(p.initializer, checker, depth + 1);
  }
  return entry;
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
export const HANDED_BACK = new WeakSet<ts.Node>();

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
export const MAPPED_LISTS = new WeakSet<ts.Node>();

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
export function valueSymbol(id: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
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
export function runsUnconditionally(call: ts.Node, fn: ts.Node): boolean {
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (p === fn) return true;
    if (ts.isBlock(p) && (p.parent === fn || isPromiseExecutor(p.parent))) continue;
    if (isPromiseExecutor(p)) continue;
    if (ts.isNewExpression(p) && calleeName(p.expression) === 'Promise') continue;
    if (ts.isExpressionStatement(p) || ts.isReturnStatement(p) || ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isVoidExpression(p)) continue;
    // A call whose result is kept (`const reply = await send(...)`, `reply = await send(...)`) runs as surely as a bare one.
    if ((ts.isVariableDeclaration(p) && p.initializer === n) || ts.isVariableDeclarationList(p) || ts.isVariableStatement(p)) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === n && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && skipOuter(p.left).getText() === skipOuter(call.expression.expression).getText()) continue;
    return false;
  }
  return false;
}

/**
 * Whether `n` is the executor of a `new Promise(...)`: the constructor runs it once, at once, so a
 * transfer in it happens on every run of the function that creates the promise. Unlike the race
 * model's isPromiseExecutor (async/flow.ts), which asks whether the executor can be walked in place
 * as a synchronous part of that function, an async executor counts here (what it transfers
 * before or after its awaits, it transfers on every run), and so does `new X.Promise(...)`.
 */
export function isPromiseExecutor(n: ts.Node): boolean {
  return (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isNewExpression(n.parent) && calleeName(n.parent.expression) === 'Promise' && n.parent.arguments?.[0] === n;
}

/** The declaration a call resolves to, when it is a function of this file: `send(x)`, `this.send(x)`, `const send = (x) => ...`. */
export function calledFunction(call: ts.CallExpression, checker: ts.TypeChecker): ts.Node | undefined {
  const callee = skipOuter(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  const decl = nameNode && checker.getSymbolAtLocation(nameNode)?.valueDeclaration;
  if (!decl) return untypedCallee(call, checker);
  if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) {
    const init = decl.initializer && skipOuter(decl.initializer);
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  }
  return isFunctionNode(decl) ? decl : assignedFunctionOf(decl);
}

/** What a helper transfers of the argument for one of its parameters. */
interface ParameterTransfer {
  inner: ts.CallExpression | ts.NewExpression;
  receiver?: string;
  buffer: boolean;
  list?: boolean;
  path?: string[];
}

/**
 * Calls of same-file helpers that transfer one of their parameters on every run
 * (`send(buf) { this.port.postMessage({ buf }, [buf]) }`): at the call site, the argument is
 * transferred just as if the caller had called postMessage itself. Wrappers of wrappers are
 * followed a few levels.
 */
export function helperTransfers(sf: ts.SourceFile, direct: Transfer[], checker: ts.TypeChecker): Transfer[] {
  // fn → parameter index → the transfer inside fn (and whether it transfers `param.buffer`, or a part of the parameter: `param.pixels.buffer`).
  const summaries = new Map<ts.Node, Map<number, ParameterTransfer>>();
  const summarise = (transfers: Transfer[]): boolean => {
    let grew = false;
    // What `fn` transfers of the argument for `decl`, when that is one of its own parameters (not a rest one); the first answer for a parameter stays.
    const keep = (fn: ts.Node, decl: ts.Declaration | undefined, transfer: ParameterTransfer): void => {
      if (!decl || !ts.isParameter(decl) || decl.parent !== fn || decl.dotDotDotToken) return;
      const index = (fn as ts.SignatureDeclaration).parameters.indexOf(decl);
      const byIndex = summaries.get(fn) ?? new Map<number, ParameterTransfer>();
      if (byIndex.has(index)) return;
      byIndex.set(index, transfer);
      summaries.set(fn, byIndex);
      grew = true;
    };
    for (const t of transfers) {
      let fn: ts.Node | undefined = enclosingFunction(t.call);
      // A send inside a `new Promise` executor belongs to the function that creates the promise.
      while (fn && isPromiseExecutor(fn)) fn = enclosingFunction(fn);
      if (!fn || !runsUnconditionally(t.call, fn)) continue;
      // The transfer list itself is a parameter (`#send(msg, trans) { worker.postMessage(msg, trans) }`).
      for (const listArg of t.lists ?? []) {
        const l = skipOuter(listArg);
        const decl = ts.isIdentifier(l) ? valueSymbol(l, checker)?.valueDeclaration : undefined;
        keep(fn, decl, { inner: t.via?.inner ?? t.call, receiver: t.receiver, buffer: false, list: true });
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
        keep(fn, checker.getSymbolAtLocation(root)?.valueDeclaration, { inner: t.via?.inner ?? t.call, receiver: t.receiver, buffer: ofBuffer, path: path.length > 0 ? path : undefined });
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

export function transfersOf(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): { direct: Transfer[]; sites: Transfer[] } {
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
  return init ? requiredModule(init) : undefined;
}

/** Whether a transfer is Web Audio's decodeAudioData, which takes the bytes over as it decodes them. */
export function isDecode(call: ts.CallExpression | ts.NewExpression): boolean {
  return ts.isCallExpression(call) && calleeName(call.expression) === 'decodeAudioData';
}
