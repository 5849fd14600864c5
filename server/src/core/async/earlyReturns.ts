// Early returns while another run initialises: the flag idiom's blind spot.
//
//     async init() {
//       if (this.initializing) return;     // a second caller returns at once...
//       this.initializing = true;          // (claimed before the first await: no double init)
//       this.client = await connect();     // ...while the first is still here
//     }
//     async query(q) {
//       await this.init();
//       return this.client.query(q);       // ...and the second caller uses what is not set yet
//     }
//
// Claiming a flag before the first await is safe against double initialisation, and the race
// rules leave it alone. It becomes a race when the early return says nothing about the work in
// flight and a caller awaits the function and then relies on its result: the second caller finds
// the flag set, returns at once, and goes on before the state is ready. Found only when such a
// caller is in the file; the fix is to keep the initialisation promise and return it.
import { ts } from 'ts-morph';
import { skipParens } from './flow';
import type { AsyncModel } from './model';
import { enclosingFunction, isFunctionLike, isWithin, type FunctionLike } from './scopes';
import type { SharedLocation } from './sharedLocations';
import { isContinuationCallback } from './segments';

export interface UnreadyUse {
  /** The function that awaits the initialiser and then uses its state. */
  caller: FunctionLike;
  /** The awaited call of the initialiser. */
  call: ts.CallExpression;
  /** The first use of the state after it. */
  use: ts.Node;
  /** The state used, and where the initialiser sets it. */
  location: SharedLocation;
  write: ts.Node;
  /** The use is of the call's result, which the early return leaves undefined. */
  viaResult?: boolean;
  /** The use is of the object passed as the flag's key, which the initialiser sets up after its await. */
  viaKey?: boolean;
}

export interface EarlyReturnRace {
  init: FunctionLike;
  /** The flag tested and claimed before the first await. */
  flag: SharedLocation;
  /** The test of the flag (the `if` condition). */
  check: ts.Expression;
  earlyReturn: ts.ReturnStatement;
  claim: ts.Node;
  /** The first suspension after the claim. */
  suspension: ts.Node;
  /** State the initialiser sets only after that suspension. */
  ready: { location: SharedLocation; write: ts.Node };
  uses: UnreadyUse[];
}

/** `return;`, `return false`, `return undefined`: nothing that lets the caller wait for the work in flight. */
function returnsNothingToWaitFor(s: ts.Statement): ts.ReturnStatement | undefined {
  // A branch that waits (`await this.ready; return;`) returns after the work in flight.
  let waits = false;
  const visit = (n: ts.Node): void => {
    if (waits || isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) waits = true;
    else ts.forEachChild(n, visit);
  };
  visit(s);
  if (waits) return undefined;
  const only = ts.isBlock(s) ? (s.statements.length === 1 ? s.statements[0] : s.statements.find(ts.isReturnStatement)) : s;
  if (!only || !ts.isReturnStatement(only)) return undefined;
  // A block that does more than return (logs, then returns) still returns nothing to wait for.
  if (ts.isBlock(s) && s.statements[s.statements.length - 1] !== only) return undefined;
  const e = only.expression && skipParens(only.expression);
  if (!e) return only;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e)) return only;
  return undefined;
}

function isFalsyLiteral(e: ts.Expression): boolean {
  const v = skipParens(e);
  return v.kind === ts.SyntaxKind.FalseKeyword || v.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(v) && v.text === 'undefined') || (ts.isNumericLiteral(v) && v.text === '0') || (ts.isStringLiteral(v) && v.text === '');
}

/** Whether a read is a test (an `if`/`while`/`?:` condition, `&&`/`||`/`??` left side, `?.`): the caller checks before using. */
function isTested(read: ts.Node, within: ts.Node): boolean {
  for (let n: ts.Node = read; n !== within && n.parent; n = n.parent) {
    const p = n.parent;
    if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isConditionalExpression(p)) && (p as { expression?: ts.Node; condition?: ts.Node }).expression === n) return true;
    if (ts.isConditionalExpression(p) && p.condition === n) return true;
    if (ts.isBinaryExpression(p) && p.left === n && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind)) return true;
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p)) && p.questionDotToken) return true;
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (isFunctionLike(p)) return false;
  }
  return false;
}

export class EarlyReturnAnalyzer {
  private awaitedCalls?: Map<FunctionLike, ts.CallExpression[]>;
  /** For a call waited for by `.then(cb)` rather than `await`: the callback, the only code that runs after it. */
  private readonly thenCallbacks = new Map<ts.CallExpression, ts.Node>();
  private readonly results = new Map<FunctionLike, EarlyReturnRace | null>();

  constructor(private readonly model: AsyncModel) {}

  /** The early-return race of an initialiser, if `fn` is one and a caller relies on it. */
  analyze(fn: FunctionLike): EarlyReturnRace | undefined {
    let r = this.results.get(fn);
    if (r === undefined) {
      r = this.find(fn) ?? null;
      this.results.set(fn, r);
    }
    return r ?? undefined;
  }

  private find(fn: FunctionLike): EarlyReturnRace | undefined {
    const body = fn.body;
    if (!body || !ts.isBlock(body)) return undefined;
    const { locations } = this.model;
    const firstSuspension = this.model.functions.find((f) => f.node === fn)?.suspensions.reduce<ts.Node | undefined>((a, b) => (!a || b.getStart() < a.getStart() ? b : a), undefined);
    if (!firstSuspension) return undefined;
    // The test and the claim, in the body's own statements before the first suspension.
    let test: { statement: ts.IfStatement; ret: ts.ReturnStatement; flags: Map<string, SharedLocation> } | undefined;
    let claim: { node: ts.Node; flag: SharedLocation } | undefined;
    for (const st of body.statements) {
      if (st.getStart() >= firstSuspension.getStart() || isWithin(firstSuspension, st)) break;
      if (!test && ts.isIfStatement(st) && !st.elseStatement) {
        const ret = returnsNothingToWaitFor(st.thenStatement);
        if (!ret) continue;
        const flags = new Map<string, SharedLocation>();
        const visit = (n: ts.Node): void => {
          if (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) {
            const loc = locations.locationOf(n, fn);
            if (loc && loc.kind !== 'store' && loc.kind !== 'file') flags.set(loc.key, loc);
            if (ts.isPropertyAccessExpression(n)) return;
          }
          ts.forEachChild(n, visit);
        };
        visit(st.expression);
        // A flag kept per key: `if (this.initialised.get(obj)) return;`, `if (loaded.has(name)) return;`.
        const visitKeyed = (n: ts.Node): void => {
          if (isFunctionLike(n)) return;
          if (ts.isCallExpression(n)) {
            const access = locations.callAccess(n, fn);
            if (access?.mode === 'read' && access.location.collection && access.location.kind !== 'store' && access.location.kind !== 'file') flags.set(access.location.key, access.location);
          }
          ts.forEachChild(n, visitKeyed);
        };
        visitKeyed(st.expression);
        if (flags.size > 0) test = { statement: st, ret, flags };
        continue;
      }
      if (test && !claim && ts.isExpressionStatement(st) && ts.isCallExpression(skipParens(st.expression))) {
        // Claiming the key: `this.initialised.set(obj, true)`, `loaded.add(name)`.
        const call = skipParens(st.expression) as ts.CallExpression;
        const access = locations.callAccess(call, fn);
        const claimed = access?.mode === 'write' && !(access.values ?? []).some(isFalsyLiteral) ? access.location : access?.mode === 'mutate' ? access.entries?.[0] : undefined;
        if (claimed && test.flags.has(claimed.key)) claim = { node: call, flag: claimed };
        continue;
      }
      if (test && !claim && ts.isExpressionStatement(st)) {
        const e = skipParens(st.expression);
        if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isFalsyLiteral(e.right)) {
          const loc = locations.locationOf(e.left, fn);
          if (loc && test.flags.has(loc.key)) claim = { node: e, flag: loc };
        }
      }
    }
    if (!test || !claim) return undefined;
    // What the initialiser sets only after its first await, itself or through helpers it awaits
    // (`await this.connect()` that sets `this.socket` after its own await).
    const late = new Map(this.model.races(fn).lateWrites);
    const claimed = claim.node;
    const visitHelpers = (n: ts.Node): void => {
      if (isFunctionLike(n) && n !== fn) return;
      if (ts.isAwaitExpression(n) && n.getStart() > claimed.getStart() && ts.isCallExpression(skipParens(n.expression))) {
        const helper = this.model.concurrency.resolveCallee(skipParens(n.expression) as ts.CallExpression);
        if (helper && helper !== fn) for (const [k, w] of this.model.races(helper).lateWrites) if (!late.has(k)) late.set(k, w);
      }
      ts.forEachChild(n, visitHelpers);
    };
    visitHelpers(body);
    let ready: { location: SharedLocation; write: ts.Node } | undefined;
    for (const [key, w] of late) {
      if (key === claim.flag.key) continue;
      if (ts.isBinaryExpression(w.write) && isFalsyLiteral(w.write.right)) continue;
      ready = { location: w.location, write: w.write };
      break;
    }
    const keyed = ready ? undefined : this.keyedSetUp(fn, claim.node, claim.flag);
    if (keyed) ready = keyed.ready;
    if (!ready) return undefined;
    // What it hands back on the normal path (`return this.client`): the early return hands back nothing instead.
    let returned: { location: SharedLocation; write: ts.Node } | undefined;
    const visitReturns = (n: ts.Node): void => {
      if (returned || (isFunctionLike(n) && n !== fn)) return;
      if (ts.isReturnStatement(n) && n.expression && n !== test.ret) {
        const e = skipParens(n.expression);
        const loc = ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? locations.locationOf(e, fn) : undefined;
        const w = loc && late.get(loc.key);
        if (w) returned = { location: w.location, write: w.write };
      }
      ts.forEachChild(n, visitReturns);
    };
    visitReturns(body);
    const uses: UnreadyUse[] = [];
    // Callers, and callers of wrappers that only await it (`ensureReady() { if (!this.ready) await this.init(); }`).
    const calls = [...this.awaitedCallsOf(fn)];
    const seen = new Set<FunctionLike>([fn]);
    for (let i = 0; i < calls.length && i < 50; i++) {
      const found = keyed ? this.firstUseOfKey(calls[i], keyed.parameter, ready) : this.firstUseAfter(calls[i], ready.location, late) ?? (returned && this.firstUseOfResult(calls[i], returned));
      const callback = this.thenCallbacks.get(calls[i]);
      const use = found && (!callback || isWithin(found.use, callback)) ? found : undefined;
      if (use) {
        uses.push(use);
        continue;
      }
      const wrapper = this.wrapperAround(calls[i]);
      if (wrapper && !seen.has(wrapper)) {
        seen.add(wrapper);
        calls.push(...this.awaitedCallsOf(wrapper));
      }
    }
    if (uses.length === 0) return undefined;
    return { init: fn, flag: claim.flag, check: test.statement.expression, earlyReturn: test.ret, claim: claim.node, suspension: firstSuspension, ready, uses };
  }

  /**
   * A flag claimed per object (`this.initialised.set(obj, true)`, `obj` a parameter) and an await
   * after the claim, preferably one the object is handed to (`await setUp(obj)`, `await obj.load()`):
   * the object is set up only when that await returns.
   */
  private keyedSetUp(fn: FunctionLike, claim: ts.Node, flag: SharedLocation): { parameter: number; ready: { location: SharedLocation; write: ts.Node } } | undefined {
    if (flag.entry === undefined || !ts.isCallExpression(claim)) return undefined;
    const keyArg = claim.arguments[0] && skipParens(claim.arguments[0]);
    if (!keyArg || !ts.isIdentifier(keyArg)) return undefined;
    const binding = this.model.scopes.resolve(keyArg);
    const parameter = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === keyArg.text);
    if (!binding || binding.kind !== 'parameter' || parameter < 0) return undefined;
    let setUp: ts.Node | undefined;
    let first: ts.Node | undefined;
    const visit = (n: ts.Node): void => {
      if (setUp || (isFunctionLike(n) && n !== fn)) return;
      if (ts.isAwaitExpression(n) && n.getStart() > claim.getEnd()) {
        first ??= n;
        const e = skipParens(n.expression);
        const callee = ts.isCallExpression(e) ? skipParens(e.expression) : undefined;
        const passes = (x: ts.Expression) => ts.isIdentifier(skipParens(x)) && this.model.scopes.resolve(skipParens(x) as ts.Identifier) === binding;
        if (ts.isCallExpression(e) && (e.arguments.some(passes) || (!!callee && ts.isPropertyAccessExpression(callee) && passes(callee.expression)))) setUp = n;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn.body!);
    setUp ??= first;
    if (!setUp) return undefined;
    return { parameter, ready: { location: { key: `parameter:${keyArg.text}@${keyArg.pos}`, kind: 'instance', text: keyArg.text }, write: setUp } };
  }

  /** `await this.init(widget); widget.render()`: the first use of the object passed as the key, unless it is tested first. */
  private firstUseOfKey(call: ts.CallExpression, parameter: number, ready: { location: SharedLocation; write: ts.Node }): UnreadyUse | undefined {
    const arg = call.arguments[parameter] && skipParens(call.arguments[parameter]);
    if (!arg || !ts.isIdentifier(arg)) return undefined;
    let caller = enclosingFunction(call);
    while (!ts.isSourceFile(caller) && isContinuationCallback(caller)) caller = enclosingFunction(caller);
    if (ts.isSourceFile(caller) || !caller.body) return undefined;
    const binding = this.model.scopes.resolve(arg);
    if (!binding) return undefined;
    const owner = caller;
    let found: ts.Node | undefined;
    let tested = false;
    const visit = (x: ts.Node): void => {
      if (found || tested || (isFunctionLike(x) && x !== owner && !isContinuationCallback(x))) return;
      if (ts.isIdentifier(x) && x.getStart() > call.getEnd() && this.model.scopes.resolve(x) === binding) {
        const p = x.parent;
        if (isTested(x, owner)) tested = true;
        // Used, or handed on as ready (`return obj`, `render(obj)`).
        else if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === x && !p.questionDotToken && !(ts.isBinaryExpression(p.parent) && p.parent.left === p)) found = x;
        else if (ts.isReturnStatement(p) || (ts.isCallExpression(p) && p.arguments.includes(x) && isWithin(call, owner) && !isWithin(x, call))) found = x;
        return;
      }
      ts.forEachChild(x, visit);
    };
    visit(owner.body!);
    return found ? { caller: owner, call, use: ts.isReturnStatement(found.parent) ? found : found.parent, location: ready.location, write: ready.write, viaKey: true } : undefined;
  }

  /** The first read, after `await init()`, of state the initialiser sets late, unless it is tested first. */
  private firstUseAfter(call: ts.CallExpression, ready: SharedLocation, lateWrites: Map<string, { location: SharedLocation; write: ts.Node }>): UnreadyUse | undefined {
    let caller = enclosingFunction(call);
    while (!ts.isSourceFile(caller) && isContinuationCallback(caller)) caller = enclosingFunction(caller);
    if (ts.isSourceFile(caller) || !caller.body) return undefined;
    const keys = new Set([ready.key, ...lateWrites.keys()]);
    // An entry set late (`modules.set(name, await load(name))`) is used through its collection (`modules.get(name)`).
    const byCollection = new Map<string, { location: SharedLocation; write: ts.Node }>();
    for (const w of lateWrites.values()) if (w.location.collection && w.location.kind !== 'store' && !byCollection.has(w.location.collection)) byCollection.set(w.location.collection, w);
    const { locations } = this.model;
    const owner = caller;
    let found: ts.Node | undefined;
    let foundAt: SharedLocation | undefined;
    let tested = false;
    const after = call.getEnd();
    const visit = (n: ts.Node): void => {
      if (found || tested) return;
      if (isFunctionLike(n) && n !== owner && !isContinuationCallback(n)) return;
      if (n.getEnd() <= after) return;
      if ((ts.isPropertyAccessExpression(n) || ts.isIdentifier(n)) && n.getStart() >= after) {
        const parent = n.parent;
        const isName = ts.isPropertyAccessExpression(parent) && parent.name === n;
        if (!isName) {
          const loc = locations.locationOf(n as ts.Expression, owner);
          if (loc && (keys.has(loc.key) || byCollection.has(loc.key))) {
            // A write is no use, and a test first means the caller checks.
            const written = ts.isBinaryExpression(parent) && parent.left === n && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
            if (!written) {
              if (isTested(n, owner)) tested = true;
              else {
                found = n;
                foundAt = loc;
              }
              return;
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(owner.body!);
    const w = foundAt && (lateWrites.get(foundAt.key) ?? byCollection.get(foundAt.key));
    return found && foundAt && w ? { caller: owner, call, use: found, location: w.location, write: w.write } : undefined;
  }

  /** `const c = await getClient(); c.query()`: the first use of the result, unless it is tested first. */
  private firstUseOfResult(call: ts.CallExpression, returned: { location: SharedLocation; write: ts.Node }): UnreadyUse | undefined {
    let n: ts.Node = call;
    while (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent)) n = n.parent;
    const decl = n.parent;
    if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
    const caller = enclosingFunction(decl);
    if (ts.isSourceFile(caller) || !caller.body) return undefined;
    const binding = this.model.scopes.resolve(decl.name);
    let found: ts.Node | undefined;
    let tested = false;
    const visit = (x: ts.Node): void => {
      if (found || tested || (isFunctionLike(x) && x !== caller)) return;
      if (ts.isIdentifier(x) && x !== decl.name && x.getStart() > decl.getEnd() && this.model.scopes.resolve(x) === binding) {
        let e: ts.Node = x;
        while (ts.isNonNullExpression(e.parent) || ts.isParenthesizedExpression(e.parent)) e = e.parent;
        const p = e.parent;
        if (isTested(x, caller)) tested = true;
        else if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === e && !p.questionDotToken) found = x;
        return;
      }
      ts.forEachChild(x, visit);
    };
    visit(caller.body);
    return found ? { caller, call, use: found, location: returned.location, write: returned.write, viaResult: true } : undefined;
  }

  /** The function whose last statement is this awaited call (a wrapper that only waits for it), if any. */
  private wrapperAround(call: ts.CallExpression): FunctionLike | undefined {
    const fn = enclosingFunction(call);
    if (ts.isSourceFile(fn) || !fn.body || !ts.isBlock(fn.body)) return undefined;
    const last = fn.body.statements[fn.body.statements.length - 1];
    if (!last || !isWithin(call, last)) return undefined;
    if (!(ts.isExpressionStatement(last) || ts.isIfStatement(last) || ts.isReturnStatement(last))) return undefined;
    return fn;
  }

  private awaitedCallsOf(fn: FunctionLike): ts.CallExpression[] {
    if (!this.awaitedCalls) {
      const index = new Map<FunctionLike, ts.CallExpression[]>();
      const visit = (n: ts.Node): void => {
        // `await init(x)`, and `init(x).then(() => use(x))`: the callback waits for it as an await would.
        const thenOn = ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'then' && n.arguments.length > 0 ? skipParens(n.expression.expression) : undefined;
        if (ts.isAwaitExpression(n) || thenOn) {
          const e = thenOn ?? skipParens((n as ts.AwaitExpression).expression);
          if (ts.isCallExpression(e)) {
            if (thenOn) this.thenCallbacks.set(e, (n as ts.CallExpression).arguments[0]);
            const callee = this.model.concurrency.resolveCallee(e);
            if (callee) index.set(callee, [...(index.get(callee) ?? []), e]);
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(this.model.sourceFile);
      this.awaitedCalls = index;
    }
    return this.awaitedCalls.get(fn) ?? [];
  }
}
