// Memory kept across runs that a transfer detaches. A value every caller gets from a cache (a
// Map or dictionary that outlives the call, a loader that hands one response to every callback
// waiting for it), a field or module variable that other functions go on using, a local object
// the sending function also files in long-lived state, and an AudioBuffer's channel data, which
// the audio engine hands back on the next block: transferring any of them leaves a detached
// buffer where the next run reads. repeatedTransfers reports them.
import { ts } from 'ts-morph';
import { inRepeatedCallback, runsLater } from './callbackRuns';
import { constInitializer } from './memoryAccesses';
import { calleeName, enclosingFunction, isFunctionNode, type SharedBufferModel } from './sharedBuffers';
import { skipOuter } from '../syntax';
import { calledFunction, valueSymbol } from './transferSites';

/** Whether `scope` calls a function of that name (not looking into nested functions' own declarations). */
function callsIn(scope: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) found = true;
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** Hooks that hand a component the state every render (or every reader of a context) shares. */
const UI_STATE_HOOKS = /^use(Context|State|Reducer|Selector|Atom|AtomValue|RecoilState|RecoilValue|SyncExternalStore)$/;

export function declarationOf(root: ts.Expression, checker: ts.TypeChecker): ts.Node | undefined {
  if (ts.isIdentifier(root)) return checker.getSymbolAtLocation(root)?.declarations?.[0];
  if (ts.isPropertyAccessExpression(root)) return checker.getSymbolAtLocation(root.name)?.declarations?.[0];
  return undefined;
}

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

/** A removal from `holder` made in a callback that runs later (`p.finally(() => holder.delete(k))`). */
export function deferredRemoval(holder: ts.Node, sf: ts.SourceFile): ts.Node | undefined {
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

/** Where a value comes from, when that is a cache every caller shares (a module-level Map, `this.cache`). */
export function cachedOrigin(expr: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker, depth: number, seen: Set<ts.Node>): ts.Node | undefined {
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
    // React state and context: every render (and every component reading the context) gets the same object.
    if (ts.isIdentifier(callee) && UI_STATE_HOOKS.test(callee.text)) return e;
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
    // A name taken out of a value (`const { data } = demo`, `const [buf] = useState(...)`): part of that value.
    if (ts.isBindingElement(decl) && !decl.dotDotDotToken && ts.isVariableDeclaration(decl.parent.parent) && decl.parent.parent.initializer) {
      // `const [take, setTake] = useState(...)` in a function that calls `setTake(...)`: the state is handed over and replaced.
      const setter = ts.isArrayBindingPattern(decl.parent) && decl.parent.elements[0] === decl ? decl.parent.elements[1] : undefined;
      const scope = enclosingFunction(e);
      if (setter && ts.isBindingElement(setter) && ts.isIdentifier(setter.name) && scope && callsIn(scope, setter.name.text)) return undefined;
      return cachedOrigin(decl.parent.parent.initializer, sf, checker, depth + 1, seen);
    }
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
export function channelDataBehind(e: ts.Expression, elements: boolean, model: SharedBufferModel, checker: ts.TypeChecker, depth: number): ts.Node | undefined {
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

/**
 * For `this.buf` (or a module-level `buf`) transferred inside a function: a use of it in another
 * function, when no code outside the constructor or initializer assigns it a new object. That
 * other function works on a detached buffer after the first transfer.
 */
export function keptElsewhere(root: ts.Expression, transfer: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker, part?: string): ts.Node | undefined {
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
      // Another part of the object than the one transferred (`this.channel.port1` when port2
      // went to the worker) is not detached by the transfer, when both are plain properties: a
      // getter or a method may reach the same memory (`get copy() { return this.samples.slice() }`).
      if (part && ts.isPropertyAccessExpression(parent) && parent.expression === n && parent.name.text !== part && separateParts(n, part, parent, checker)) return;
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

/** Whether `root.part` and the access `sibling` (of `root`) are data properties: neither a getter nor a method, so neither reaches the other's memory. */
function separateParts(root: ts.Expression, part: string, sibling: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  if (ts.isCallExpression(sibling.parent) && sibling.parent.expression === sibling) return false;
  const isData = (sym: ts.Symbol | undefined) =>
    !!sym?.declarations?.length && sym.declarations.every((d) => ts.isPropertySignature(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d) || ts.isParameter(d));
  return isData(checker.getSymbolAtLocation(sibling.name)) && isData(checker.getTypeAtLocation(root).getProperty(part));
}

/** Methods and handlers that run once per incoming message or request. */
const PER_MESSAGE = /^(onmessage|onMessage|handleMessage|handleEvent|handleRequest|onRequest)$/;

/** Whether `fn` runs once per message: a method or function so named, or a listener for 'message'. */
function runsPerMessage(fn: ts.Node): boolean {
  const name = (fn as ts.FunctionLikeDeclaration).name;
  if (name && ts.isIdentifier(name) && PER_MESSAGE.test(name.text)) return true;
  const parent = fn.parent;
  if (ts.isBinaryExpression(parent) && parent.right === fn && /onmessage$/.test(parent.left.getText())) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)) {
    const first = parent.arguments[0];
    return /^(on|once|addEventListener|addListener)$/.test(calleeName(parent.expression) ?? '') && !!first && ts.isStringLiteralLike(first) && first.text === 'message';
  }
  return false;
}

/**
 * A field that carries one run's buffer to that run's transfer across an asynchronous step: the
 * function that handles each message transfers `this.F` in a `.then` callback or after an
 * `await`, and `F` is filled only in other methods of the class, which the run reaches during
 * that step (`_getPropertiesFor` sets `this._propertiesArrayBuffer` while a tile decodes). A
 * second message handled meanwhile refills the field, so the first reply transfers the second
 * run's buffer and the second reply finds it detached. Returns the field's first assignment.
 */
export function parkedField(root: ts.Expression, transfer: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Node | undefined {
  if (!ts.isPropertyAccessExpression(root) || root.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const fn = enclosingFunction(transfer);
  if (!fn) return undefined;
  let handler: ts.Node | undefined = fn;
  let deferred = false;
  const call = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(call) && call.arguments.includes(fn) && /^(then|finally)$/.test(calleeName(call.expression) ?? '')) {
    handler = enclosingFunction(call);
    deferred = true;
  }
  if (!handler || !runsPerMessage(handler)) return undefined;
  if (!deferred) {
    let awaited = false;
    const visit = (n: ts.Node): void => {
      if (awaited || n.getStart() >= transfer.getStart() || (n !== fn && isFunctionNode(n))) return;
      if (ts.isAwaitExpression(n)) awaited = true;
      ts.forEachChild(n, visit);
    };
    visit(fn);
    if (!awaited) return undefined;
  }
  const decl = declarationOf(root, checker);
  const cls = ts.findAncestor(handler, ts.isClassLike);
  if (!decl || !cls) return undefined;
  const assignments: ts.Node[] = [];
  let elsewhere = false;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.expression.kind === ts.SyntaxKind.ThisKeyword && n.left.name.text === root.name.text) {
      const at = enclosingFunction(n);
      if (at && ts.isMethodDeclaration(at) && at.parent === cls && at !== handler && !ts.isConstructorDeclaration(at)) assignments.push(n);
      else elsewhere = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return !elsewhere && assignments.length > 0 ? assignments[0] : undefined;
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
export function storedInLongLivedState(root: ts.Identifier, decl: ts.VariableDeclaration, transfer: ts.Node, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Node | undefined {
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
