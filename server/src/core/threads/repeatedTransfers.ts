// Transfers of objects the sending code does not own. A transfer hands the object away; if the
// same object is transferred again (the next iteration, the next caller, another view of one
// frame), that second postMessage throws DataCloneError on a detached buffer. Each transfer
// (transferSites) is judged by where its object lives: outside the loop or repeated callback
// around it, in a cache or other kept state (keptMemory), or with a public function's callers
// (callerMemory).
import { ts } from 'ts-morph';
import { repeatingContext } from './callbackRuns';
import { OWNERSHIP_WORDS, parameterBehind, publicApiOf, takesOverSilently } from './callerMemory';
import { cachedOrigin, channelDataBehind, declarationOf, deferredRemoval, keptElsewhere, parkedField, storedInLongLivedState } from './keptMemory';
import { calleeName, enclosingFunction, isFunctionNode, type SharedBufferModel } from './sharedBuffers';
import { skipOuter } from '../syntax';
import { calledFunction, HANDED_BACK, helperTransfers, isDecode, isMappedList, transfersOf } from './transferSites';

export interface RepeatedTransfer {
  transfer: ts.CallExpression | ts.NewExpression;
  entry: ts.Expression;
  /**
   * 'loop': the same object on every run of a loop/callback; 'cache': a value every caller gets;
   * 'caller-loop': a caller passes the same object repeatedly; 'kept': a field or module variable
   * that other functions keep using and nothing replaces; 'stored': a local object that the same
   * function also puts into a long-lived collection or field, where other code reads it later;
   * 'parameter': the caller's memory, transferred by an exported function or public method;
   * 'parked': a field each message's run fills and transfers after an await, which another
   * message's run can refill in between.
   */
  reason: 'loop' | 'cache' | 'caller-loop' | 'kept' | 'stored' | 'parameter' | 'engine' | 'parked';
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

/**
 * The property of the root that leads to the transferred object (`port2` for
 * `this.channel.port2`), when it is a separate object: not `buffer`, the memory behind the root
 * itself, whose every other property a transfer empties too.
 */
function partTransferred(root: ts.Expression, entry: ts.Expression): string | undefined {
  let e = skipOuter(entry);
  let part: string | undefined;
  while (ts.isPropertyAccessExpression(e) && e !== root) {
    part = e.name.text;
    e = skipOuter(e.expression);
  }
  return e === root && part !== 'buffer' ? part : undefined;
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
      // A field that carries each message's buffer across an await to its transfer: another message refills it meanwhile.
      const parked = parkedField(root, t.call, sf, checker);
      if (parked) {
        out.push({ transfer: t.call, entry, reason: 'parked', root: name, where: parked, via: t.via });
        continue;
      }
      // A field or module variable, never replaced, that other functions keep using.
      const kept = keptElsewhere(root, t.call, sf, checker, partTransferred(root, entry));
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
        const looping = t.via ? undefined : loopingCaller(fn, index, model, checker, 0);
        if (looping) out.push({ transfer: t.call, entry, reason: 'caller-loop', root: name, where: looping });
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
 * A call that passes the same object to parameter `index` of `fn` on every run of a loop around
 * it: directly, or through callers that hand on (a part of) their own parameter
 * (`setData(data) { this.decode(data.data) }`, called from `for (const v of views) v.setData(data)`).
 */
function loopingCaller(fn: ts.Node, index: number, model: SharedBufferModel, checker: ts.TypeChecker, depth: number): ts.CallExpression | ts.NewExpression | undefined {
  for (const site of model.callSitesOf(fn)) {
    const arg = site.arguments?.[index];
    const argRoot = arg && transferRoot(arg);
    const argDecl = argRoot && declarationOf(argRoot, checker);
    if (!arg || !argRoot || !argDecl) continue;
    const loop = repeatingContext(site);
    if (loop) {
      if (!(argDecl.getStart() >= loop.getStart() && argDecl.getEnd() <= loop.getEnd()) && !assignedWithin(argRoot, loop, checker) && !freshFromGetter(arg, checker)) return site;
      continue;
    }
    const forwarded = depth < 3 ? parameterBehind(argDecl, checker) : undefined;
    const caller = forwarded?.parent;
    if (forwarded && caller && isFunctionNode(caller) && caller.getSourceFile() === fn.getSourceFile()) {
      const found = loopingCaller(caller, caller.parameters.indexOf(forwarded), model, checker, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The object a transfer-list entry is taken from, without `.buffer` and `!` (`this.pending.get(id)` for `this.pending.get(id)!.buffer`). */
function heldObject(entry: ts.Expression): ts.Expression {
  let held = skipOuter(entry);
  if (ts.isPropertyAccessExpression(held) && held.name.text === 'buffer') held = skipOuter(held.expression);
  while (ts.isNonNullExpression(held)) held = skipOuter(held.expression);
  return held;
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
