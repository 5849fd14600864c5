// Code that is serialized on purpose, where interleaving cannot happen however many callers
// there are: callbacks run under a mutex, semaphore, lock or limiter (async-mutex `runExclusive`,
// `p-limit`, `p-queue`, `navigator.locks.request`, async-lock `acquire(key, fn)`, bottleneck
// `schedule`), the hand-written promise-chain lock `this.lock = this.lock.then(...)`, and regions
// between `await mutex.acquire()` and `release()` (also a lock function called by name, `await
// lockAsync(p)`, a database lock, and a locking read `SELECT … FOR UPDATE`, held to the release or
// the end of the function). The race rules stay quiet inside them.
//
// Recognition is by shape and names, not by package: a false "serialized" only costs a missed
// race, while a false "concurrent" costs a false finding.
import { ts } from 'ts-morph';
import { LOCK_FUNCTIONS, functionOfBinding, locksAroundCallback, promiseChainTop, skipParens } from './flow';
import { enclosingFunction, isFunctionLike, isWithin, type Binding, type Scopes } from './scopes';
import { keyText, sqlTextOf, thisOwner } from './sharedLocations';

const LOCKISH = /mutex|lock|semaphore|(^|[^a-z])sem($|[^a-z])|limit|queue|throttl|bottleneck|serial|exclusive|gate|pool/i;
/** Methods that run their callback exclusively (or with bounded concurrency). */
const SERIALIZING_METHODS = new Set(['runExclusive', 'withLock', 'withMutex', 'mutex', 'exclusive', 'synchronized', 'serialize', 'lock', 'acquire', 'schedule', 'request', 'add', 'addAll', 'enqueue', 'use', 'run', 'wrap', 'push']);
/** Methods whose call is always a lock whatever the receiver's name. */
const ALWAYS_SERIALIZING = new Set(['runExclusive', 'withLock', 'withMutex', 'synchronized', 'blockConcurrencyWhile']);
/** Methods awaited to take a lock, and calls that give it back. */
const ACQUIRE_METHODS = new Set(['acquire', 'lock', 'acquireLock', 'obtain', 'waitForUnlock', 'acquireWrite', 'acquireRead', 'writeLock', 'readLock', 'wait', 'enter']);
const RELEASE_METHODS = new Set(['release', 'unlock', 'releaseLock', 'releaseWrite', 'releaseRead']);
/**
 * Locks the database holds for the session (`SELECT pg_advisory_lock(hashtext($1))`, MySQL's
 * `GET_LOCK`, SQL Server's `sp_getapplock`, `LOCK TABLES`): every run that takes the same lock
 * waits for the holder, across processes too.
 */
const SQL_LOCK = /\b(pg_(try_)?advisory_(xact_)?lock(_shared)?|get_lock|sp_getapplock)\s*\(|^\s*lock\s+tables?\b/i;
/**
 * A locking read (`SELECT … FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`, MySQL's `LOCK IN SHARE
 * MODE`): the rows it reads stay locked until the transaction ends, so a second run of the same
 * code waits at that statement; what the first run then checks and writes, it does alone.
 */
const SQL_ROW_LOCK = /\bfor\s+(no\s+key\s+)?update\b|\bfor\s+(key\s+)?share\b|\block\s+in\s+share\s+mode\b/i;
/**
 * The same locking read built by a query builder: Knex's, Kysely's and Objection's `.forUpdate()`,
 * `.forNoKeyUpdate()`, `.forShare()`, `.forKeyShare()`, TypeORM's `.setLock('pessimistic_write')`
 * (also `pessimistic_read`, `for_no_key_update`, `for_key_share`) anywhere in the chain the await
 * runs (`await db.selectFrom('account').forUpdate().where(…).executeTakeFirst()`).
 */
const BUILDER_ROW_LOCKS = new Set(['forUpdate', 'forNoKeyUpdate', 'forShare', 'forKeyShare']);
const TYPEORM_ROW_LOCK = /^pessimistic_(write|read)|^for_(no_key_update|key_share)$/;
function isBuilderRowLock(call: ts.CallExpression): boolean {
  for (let e: ts.Expression = call; ts.isCallExpression(e); ) {
    const callee = skipParens(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const name = callee.name.text;
    if (BUILDER_ROW_LOCKS.has(name)) return true;
    const mode = name === 'setLock' && e.arguments[0] ? skipParens(e.arguments[0]) : undefined;
    if (mode && ts.isStringLiteralLike(mode) && TYPEORM_ROW_LOCK.test(mode.text)) return true;
    e = skipParens(callee.expression);
  }
  return false;
}
const SQL_UNLOCK = /\b(pg_advisory_unlock(_shared|_all)?|release_lock|sp_releaseapplock)\s*\(|^\s*unlock\s+tables\b/i;

/** Release spellings that are only a release on a lock-like receiver (`queue.shift()` of an AsyncQueue). */
const LOCKISH_RELEASES = new Set(['shift', 'signal', 'leave', 'done', 'next']);
const LIMITER_FACTORIES = /^(pLimit|plimit|limit|pQueue|PQueue|Bottleneck|Mutex|Semaphore|AsyncLock|Sema|createLimiter|throat|pThrottle|throttle)$/;

/** The name a callee is called by: `f` of `f(…)` and of `a.b.f(…)`. */
export function calleeName(e: ts.Expression): string | undefined {
  const c = skipParens(e);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

function receiverText(callee: ts.Expression): string {
  const c = skipParens(callee);
  if (!ts.isPropertyAccessExpression(c)) return '';
  const r = skipParens(c.expression);
  if (ts.isIdentifier(r)) return r.text;
  if (ts.isPropertyAccessExpression(r)) return r.name.text;
  if (ts.isCallExpression(r)) return calleeName(r.expression) ?? '';
  return '';
}

/**
 * `t = t || e`, `t = t ?? e` (also `(t || e)`): `e` is stored only when the slot holds nothing, in
 * the same step as the look at it, as `t ||= e` and `t ??= e` do.
 */
export function selfDefaultingAssignment(e: ts.Expression, sf: ts.SourceFile): ts.BinaryExpression | undefined {
  let n: ts.Node = e;
  const or = n.parent;
  if (!or || !ts.isBinaryExpression(or) || or.right !== n || ![ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(or.operatorToken.kind)) return undefined;
  n = or;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const assign = n.parent;
  if (!assign || !ts.isBinaryExpression(assign) || assign.right !== n || assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  return keyText(skipParens(assign.left), sf) === keyText(skipParens(or.left), sf) ? assign : undefined;
}

/** `Promise.resolve()`: a promise already settled, where a chain with no tail yet starts. */
function isSettledPromise(e: ts.Expression): boolean {
  const c = skipParens(e);
  return ts.isCallExpression(c) && c.arguments.length === 0 && ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'resolve' && ts.isIdentifier(c.expression.expression) && c.expression.expression.text === 'Promise';
}

/** The start of a promise chain: `x` in `x.then(a).catch(b)`. */
function chainRoot(e: ts.Expression): ts.Expression {
  let root = skipParens(e);
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression) && ['then', 'catch', 'finally'].includes(root.expression.name.text)) {
    root = skipParens(root.expression.expression);
  }
  return root;
}

export class SafeIdioms {
  private readonly claimFacts = new Map<ts.Node, BodyClaimFacts>();
  private readonly leadingClaims = new Map<ts.Node, Map<string, ts.Expression>>();
  private readonly slotLooks = new Map<ts.Node, BodySlotLooks>();

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly scopes: Scopes,
  ) {}

  /** Whether an identifier is bound to a limiter made by a factory (`const limit = pLimit(2)`). */
  private isLimiterBinding(id: ts.Identifier): boolean {
    const b = this.scopes.resolve(id);
    const init = b?.initializer && skipParens(b.initializer);
    if (!init) return LOCKISH.test(id.text);
    if (ts.isCallExpression(init) || ts.isNewExpression(init)) {
      const name = calleeName(init.expression);
      return !!name && (LIMITER_FACTORIES.test(name) || LOCKISH.test(name));
    }
    return LOCKISH.test(id.text);
  }

  /**
   * Whether a callback runs serialized by the call it is passed to: `mutex.runExclusive(fn)`,
   * `limit(fn)`, `queue.add(fn)`, `navigator.locks.request(name, fn)`, `lock.acquire(key, fn)`.
   */
  isSerializedCallback(fn: ts.Node): boolean {
    const call = fn.parent;
    // A callback kept in a const first and handed to the lock by name (`const task = async () => …;
    // await queue.add(task)`): it runs serialized when every use of the name hands it to a lock.
    if (call && ts.isVariableDeclaration(call) && call.initializer === fn && ts.isIdentifier(call.name) && call.parent.flags & ts.NodeFlags.Const) return this.isOnlyHandedToLocks(call.name);
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
    return this.serializesArgument(call, call.arguments.indexOf(fn as ts.Expression));
  }

  /** Whether every use of a const's name (at least one) is an argument of a call that runs it serialized. */
  private isOnlyHandedToLocks(name: ts.Identifier): boolean {
    const b = this.scopes.resolve(name);
    const scope = b && (ts.isSourceFile(b.owner) ? b.owner : b.owner.body);
    if (!b || !scope) return false;
    let uses = 0;
    let all = true;
    const visit = (n: ts.Node): void => {
      if (!all) return;
      if (ts.isIdentifier(n) && n !== name && n.text === name.text && this.scopes.resolve(n) === b) {
        uses++;
        const p = n.parent;
        if (!ts.isCallExpression(p) || !p.arguments.includes(n) || !this.serializesArgument(p, p.arguments.indexOf(n))) all = false;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    return all && uses > 0;
  }

  /** Whether a call runs the function it is handed at `index` serialized. */
  private serializesArgument(call: ts.CallExpression, index: number): boolean {
    if (this.isChainLock(call)) return true;
    const callee = skipParens(call.expression);
    if (ts.isIdentifier(callee)) {
      // `limit(() => …)` with a p-limit instance, `withLock(() => …)`, `mutex(() => …)`, and a
      // function of the file that takes a lock before it calls the callback (see locksAroundCallback).
      return this.isLimiterBinding(callee) || LOCKISH.test(callee.text) || this.isLockHelper(callee, index);
    }
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const method = callee.name.text;
    if (ALWAYS_SERIALIZING.has(method)) return true;
    if (method === 'request' && /locks$/.test(callee.expression.getText(this.sourceFile))) return true;
    if (!SERIALIZING_METHODS.has(method)) return false;
    const r = receiverText(callee);
    if (LOCKISH.test(r)) return true;
    const recv = skipParens(callee.expression);
    return ts.isIdentifier(recv) && this.isLimiterBinding(recv);
  }

  /** Whether `callee` is a function of this file that awaits a lock before calling its parameter at `index`. */
  private isLockHelper(callee: ts.Identifier, index: number): boolean {
    const b = this.scopes.resolve(callee);
    const fn = b && functionOfBinding(b);
    const param = fn?.parameters[index];
    return !!fn && !!param && ts.isIdentifier(param.name) && locksAroundCallback(fn, param.name.text);
  }

  /**
   * Whether a read and a write of a Durable Object's storage (`await this.ctx.storage.get(k)` …
   * `await this.ctx.storage.put(k, v)`) have nothing but operations on that storage awaited
   * between them: the runtime's input gate delivers no other event to the object while a storage
   * operation runs, so no other request of the object gets in. (An `await fetch(…)` in between
   * opens the gate.)
   */
  isInputGated(location: { kind: string; text: string }, read: ts.Node, write: ts.Node): boolean {
    const storage = location.text.replace(/\s+/g, '');
    if (location.kind !== 'store' || !DO_STORAGE.test(storage)) return false;
    const owner = thisOwner(read)?.classNode ?? classOf(read);
    if (!owner || !isDurableObjectClass(owner) || classOf(write) !== owner) return false;
    const sf = this.sourceFile;
    const from = read.getEnd();
    const to = write.getStart(sf);
    const body = enclosingBody(read);
    if (!body || from > to) return false;
    let open = false;
    const visit = (n: ts.Node): void => {
      if (open || n.getEnd() <= from || n.getStart(sf) >= to) return;
      if (ts.isFunctionLike(n)) return;
      if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) {
        const e = ts.isAwaitExpression(n) ? skipParens(n.expression) : undefined;
        const callee = e && ts.isCallExpression(e) ? skipParens(e.expression) : undefined;
        if (!callee || !ts.isPropertyAccessExpression(callee) || keyText(callee.expression, sf) !== storage) open = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return !open;
  }

  /**
   * Whether a call's promise is kept, as it is made, where the next caller looks first (single
   * flight): `const p = load(k); inFlight.set(k, p)` after `if (inFlight.has(k)) return …`,
   * `inFlight.set(k, load(k))` after `inFlight.get(k)`, `this.p ??= load()`, `this.p = load()`
   * after a test of `this.p`, `feed.pending[side] = p` (any slot, on `this` or on an object the
   * caller was handed) after `const running = feed.pending[side]; if (running) return running`.
   * Callers arriving meanwhile await that promise, so what the called function does runs once at
   * a time for that slot. The slot must be looked at and the promise stored in one synchronous
   * step: with an await in between, two callers both find it empty.
   */
  isSingleFlight(call: ts.CallExpression): boolean {
    const sf = this.sourceFile;
    const top = promiseChainTop(call);
    const fn = enclosingBody(call);
    if (!fn) return false;
    // Where the promise is put: `m.set(k, <it>)`, `t = <it>`, `t ??= <it>`; the promise itself or a local holding it.
    const keptAt = (e: ts.Expression): { slot: string; at: ts.Node; binding?: Binding } | undefined => {
      // (`t = t || <it>`, `t = t ?? <it>`: the spelled-out `t ||= <it>`, the slot looked at in the same expression.)
      const defaulting = selfDefaultingAssignment(e, sf);
      if (defaulting) return { slot: '', at: defaulting };
      const p = e.parent;
      // A record that carries the promise with what it is for (`{ key, generation, promise }`):
      // kept where it is put, `this.pending = { key, promise }`, directly or through a const.
      if ((ts.isShorthandPropertyAssignment(p) && p.name === e) || (ts.isPropertyAssignment(p) && p.initializer === e)) {
        const record = p.parent;
        const direct = keptAt(record);
        if (direct) return direct;
        const holder = record.parent;
        return ts.isVariableDeclaration(holder) && holder.initializer === record && ts.isIdentifier(holder.name) && fn ? storedLater(fn, holder, holder.name.text, keptAt) : undefined;
      }
      if (ts.isBinaryExpression(p) && p.right === e) {
        const op = p.operatorToken.kind;
        if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return { slot: '', at: p };
        if (op !== ts.SyntaxKind.EqualsToken) return undefined;
        // (A variable of the module or of an enclosing function, `pending = setup()` after `if
        // (!pending)`: a slot every caller sees; a local of this run is not.)
        if (ts.isIdentifier(p.left)) {
          const b = this.scopes.resolve(p.left);
          return b && b.owner !== enclosingFunction(call) && (b.kind === 'let' || b.kind === 'var') ? { slot: `#${b.name}`, at: p, binding: b } : undefined;
        }
        return { slot: keyText(p.left, sf), at: p };
      }
      if (ts.isCallExpression(p) && p.arguments.length === 2 && p.arguments[1] === e) {
        const callee = skipParens(p.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set') return { slot: `${keyText(callee.expression, sf)}[${keyText(p.arguments[0], sf)}]`, at: p };
      }
      return undefined;
    };
    let kept = keptAt(top);
    if (!kept) {
      // `const p = load(k); inFlight.set(k, p)`, `flight = fetchPage().then(…); … feed.pending[side] = flight`:
      // a local holding the promise, stored before any await.
      const holder = top.parent;
      const local =
        ts.isVariableDeclaration(holder) && holder.initializer === top && ts.isIdentifier(holder.name)
          ? holder.name
          : ts.isBinaryExpression(holder) && holder.right === top && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(holder.left) && ts.isExpressionStatement(holder.parent)
            ? holder.left
            : undefined;
      const binding = local && this.scopes.resolve(local);
      if (!local || !binding || binding.owner !== enclosingFunction(call)) return false;
      kept = storedLater(fn, holder, local.text, keptAt);
    }
    if (!kept) return false;
    if (kept.slot === '') return true;
    if (kept.binding) {
      // Looked at before the call, with no await in between: the variable read (not assigned).
      const binding = kept.binding;
      const before = call.getStart(sf);
      let lastRead = -1;
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n) || n.getStart(sf) >= before) return;
        if (ts.isIdentifier(n) && n.text === binding.name && !(ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) && this.scopes.resolve(n) === binding) lastRead = Math.max(lastRead, n.getStart(sf));
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(fn, visit);
      return lastRead >= 0 && lastBefore(this.claimFactsOf(fn).awaits, before) <= lastRead;
    }
    // Looked at before the call, with no await in between: `inFlight.get(k)` / `.has(k)`, or the slot itself read.
    const m = /^(.*)\[(.*)\]$/.exec(kept.slot);
    const looks = this.slotLooksOf(fn);
    const before = call.getStart(sf);
    const lastLook = Math.max(lastBefore(looks.reads.get(kept.slot), before), m ? lastBefore(looks.lookups.get(lookupKey(m[1], m[2])), before) : -1);
    return lastLook >= 0 && lastBefore(this.claimFactsOf(fn).awaits, before) <= lastLook;
  }

  /**
   * Whether a call hands its work to a helper that keeps the helper's own pending promise in a map
   * the caller looked at just before (a single flight split over two functions): the caller looks
   * (`const pending = this.inFlight.get(k); if (pending) return pending.then(…)`) and, with no await
   * in between, calls the helper, which stores its promise under the same key before its own first
   * await (`const p = this.open(k).then(…).finally(() => this.inFlight.delete(k)); this.inFlight.set(k,
   * p)`). A second caller arriving while the first is in flight finds that promise and waits, so the
   * helper's runs for one key do not overlap. (Keys are compared after replacing a local `const` by
   * its initializer and the helper's parameters by the caller's arguments.)
   */
  isFlightKeptByCallee(call: ts.CallExpression, callee: ts.Node): boolean {
    const sf = this.sourceFile;
    if (!isFunctionLike(callee) || !callee.body || !ts.isBlock(callee.body)) return false;
    const via = skipParens(call.expression);
    const onThis = ts.isPropertyAccessExpression(via) && skipParens(via.expression).kind === ts.SyntaxKind.ThisKeyword;
    const body = enclosingBody(call);
    if (!body) return false;
    const calleeParams = new Map<ts.Node, ts.Expression>();
    callee.parameters.forEach((p, i) => {
      if (call.arguments[i] && !ts.isSpreadElement(call.arguments[i])) calleeParams.set(p, call.arguments[i]);
    });
    // The helper's stores of a promise it made, before its first await: map text and normalised key.
    const kept: Array<{ map: string; key: string }> = [];
    for (const st of callee.body.statements) {
      const e = ts.isExpressionStatement(st) ? skipParens(st.expression) : undefined;
      if (e && ts.isCallExpression(e) && e.arguments.length === 2) {
        const set = skipParens(e.expression);
        const value = skipParens(e.arguments[1]);
        const b = ts.isIdentifier(value) ? this.scopes.resolve(value) : undefined;
        const made = ts.isCallExpression(value) || (!!b && b.kind === 'const' && b.owner === callee && !!b.initializer && ts.isCallExpression(skipParens(b.initializer)));
        const map = ts.isPropertyAccessExpression(set) && set.name.text === 'set' ? keyText(set.expression, sf) : undefined;
        if (made && map && (onThis ? map.startsWith('this.') : ts.isIdentifier(skipParens((set as ts.PropertyAccessExpression).expression)) && this.scopes.resolve(skipParens((set as ts.PropertyAccessExpression).expression) as ts.Identifier)?.owner === sf)) {
          kept.push({ map, key: this.normalisedKey(e.arguments[0], callee, calleeParams) });
        }
      }
      if (containsAwait(st)) break;
    }
    if (kept.length === 0) return false;
    // The caller's last look at one of those entries before the call, and its last await before the call.
    const start = call.getStart(sf);
    const fnOfCall = enclosingFunction(call);
    let lastLook = -1;
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || n.getStart(sf) >= start) return;
      if (ts.isCallExpression(n) && n.arguments.length === 1) {
        const c = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(c) && (c.name.text === 'get' || c.name.text === 'has')) {
          const map = keyText(c.expression, sf);
          if (kept.some((k) => k.map === map && k.key === this.normalisedKey(n.arguments[0], fnOfCall, new Map()))) lastLook = Math.max(lastLook, n.getStart(sf));
        }
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    if (lastLook < 0) return false;
    return this.lastAwaitBefore(body, call) < lastLook;
  }

  /** Where the last await of a body before a call starts, outside the call itself (`await this.loop()` does not count); -1 if none. */
  private lastAwaitBefore(body: ts.Node, call: ts.CallExpression): number {
    const awaits = this.claimFactsOf(body).awaits;
    for (let i = countBefore(awaits, call.getStart(this.sourceFile)) - 1; i >= 0; i--) if (!isWithin(call, awaits[i].node)) return awaits[i].at;
    return -1;
  }

  /** A key's text with each local `const` of `owner` replaced by its initializer and each mapped parameter by its argument. */
  private normalisedKey(e: ts.Expression, owner: ts.Node, params: Map<ts.Node, ts.Expression>, depth = 0): string {
    const sf = this.sourceFile;
    const x = skipParens(e);
    if (depth > 4) return keyText(x, sf);
    if (ts.isIdentifier(x)) {
      const b = this.scopes.resolve(x);
      if (b && b.owner === owner && b.kind === 'const' && b.initializer) return this.normalisedKey(b.initializer, owner, params, depth + 1);
      const arg = b && params.get(b.declaration);
      if (arg) return this.normalisedKey(arg, enclosingFunction(arg), new Map(), depth + 1);
      return x.text;
    }
    if (ts.isPropertyAccessExpression(x)) return `${this.normalisedKey(x.expression, owner, params, depth)}.${x.name.text}`;
    if (ts.isElementAccessExpression(x)) return `${this.normalisedKey(x.expression, owner, params, depth)}[${this.normalisedKey(x.argumentExpression, owner, params, depth)}]`;
    if (ts.isCallExpression(x)) return `${this.normalisedKey(x.expression, owner, params, depth)}(${x.arguments.map((a) => this.normalisedKey(a, owner, params, depth)).join(',')})`;
    return keyText(x, sf);
  }

  /**
   * Where a function body looks at a slot (outside nested functions), in source order: reads of
   * `a.b` or `a[k]` by their text (not as the target of `=`), and `m.get(k)` / `m.has(k)` by map and
   * key. Collected once per body, since every call in it whose promise is kept in a slot asks (a
   * walk per call was quadratic in the body's size, as claimFactsOf's was).
   */
  private slotLooksOf(body: ts.Node): BodySlotLooks {
    let looks = this.slotLooks.get(body);
    if (!looks) {
      const sf = this.sourceFile;
      const found: BodySlotLooks = { reads: new Map(), lookups: new Map() };
      const add = (byKey: Map<string, Array<{ at: number }>>, key: string, at: number): void => {
        const list = byKey.get(key);
        if (list) list.push({ at });
        else byKey.set(key, [{ at }]);
      };
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return;
        if (ts.isCallExpression(n) && n.arguments.length === 1) {
          const callee = skipParens(n.expression);
          if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'get' || callee.name.text === 'has')) add(found.lookups, lookupKey(keyText(callee.expression, sf), keyText(n.arguments[0], sf)), n.getStart(sf));
        }
        if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && !(ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
          add(found.reads, keyText(n, sf), n.getStart(sf));
        }
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(body, visit);
      this.slotLooks.set(body, (looks = found));
    }
    return looks;
  }

  /**
   * Whether a call starts its callee only in the run that claimed a flag, in one synchronous step
   * with the flag's test: the caller claims it before the call (`if (this.running) throw …;
   * this.running = true; return this.loop()`), or the callee claims it before its own first await
   * and the caller tested it (`if (!this.busy) await this.drain()`, `drain` setting `busy` first;
   * a getter returning the flag counts as the flag). A second caller finds the flag held and is
   * turned away, so the callee's runs started here do not overlap. A test or a claim separated
   * from the call by an await claims nothing.
   */
  isStartedUnderClaim(call: ts.CallExpression, callee: ts.Node): boolean {
    const fn = enclosingBody(call);
    if (!fn) return false;
    const start = call.getStart(this.sourceFile);
    const claimedByCallee = this.leadingClaimsOf(callee);
    const facts = this.claimFactsOf(fn);
    // What the caller claims before the call; with no claim on either side nothing turns a caller away.
    const claimed = facts.claims.slice(0, countBefore(facts.claims, start));
    if (claimed.length === 0 && claimedByCallee.size === 0) return false;
    const lastAwait = this.lastAwaitBefore(fn, call);
    // What the caller tests on the way to the call: `if (!busy) { …call… }` reaches the call when the
    // test holds, `if (open) { … } else { …call… }` when it fails, and `if (open) throw …; …call…`
    // (an earlier branch that leaves) when it fails.
    const tests: Array<{ at: number; condition: ts.Expression; reaches: boolean }> = [];
    for (let n: ts.Node = call; n.parent && n !== fn; n = n.parent) {
      const p = n.parent;
      if (!ts.isIfStatement(p)) continue;
      if (n === p.thenStatement) tests.push({ at: p.getStart(this.sourceFile), condition: p.expression, reaches: true });
      else if (n === p.elseStatement) tests.push({ at: p.getStart(this.sourceFile), condition: p.expression, reaches: false });
    }
    for (const guard of facts.exitingIfs.slice(0, countBefore(facts.exitingIfs, start))) {
      if (!isWithin(call, guard.node)) tests.push({ at: guard.at, condition: guard.node.expression, reaches: false });
    }
    for (const t of tests) {
      if (t.at < lastAwait) continue;
      // The claim turns the next caller away: with the flag at the claimed value the test no longer reaches the call.
      const turnsAway = (flag: string, value: ts.Expression) => this.evaluate(t.condition, flag, value) === !t.reaches;
      if (claimed.some((c) => c.at > t.at && turnsAway(c.flag, c.value)) || [...claimedByCallee].some(([flag, value]) => turnsAway(flag, value))) return true;
    }
    return false;
  }

  /** The flags a function sets to a value before its first await, in its own leading statements. */
  private leadingClaimsOf(callee: ts.Node): Map<string, ts.Expression> {
    let claims = this.leadingClaims.get(callee);
    if (!claims) {
      claims = new Map();
      const body = ts.isFunctionLike(callee) ? (callee as ts.FunctionLikeDeclaration).body : undefined;
      if (body && ts.isBlock(body)) {
        for (const st of body.statements) {
          if (containsAwait(st)) break;
          const claim = claimOf(st, this.sourceFile);
          if (claim) claims.set(claim.flag, claim.value);
        }
      }
      this.leadingClaims.set(callee, claims);
    }
    return claims;
  }

  /**
   * The claims, awaits and early-leaving `if`s of a function body (outside nested functions), in
   * source order: collected once per body, since every call in it asks (a walk per call was
   * quadratic in the body's size: minutes on a generated file of a megabyte).
   */
  private claimFactsOf(fn: ts.Node): BodyClaimFacts {
    let facts = this.claimFacts.get(fn);
    if (!facts) {
      const sf = this.sourceFile;
      const found: BodyClaimFacts = { claims: [], awaits: [], exitingIfs: [] };
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return;
        const at = n.getStart(sf);
        if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) found.awaits.push({ at, node: n });
        if (ts.isIfStatement(n) && !n.elseStatement && exits(n.thenStatement)) found.exitingIfs.push({ at, node: n });
        const claim = ts.isExpressionStatement(n) ? claimOf(n, sf) : undefined;
        if (claim) found.claims.push({ at, ...claim });
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(fn, visit);
      this.claimFacts.set(fn, (facts = found));
    }
    return facts;
  }

  /**
   * What a condition comes to when the field `flag` holds `value` (`!this.busy` with `busy = true`:
   * false; `this.phase === 'idle'` with `phase = 'joining'`: false), or undefined when that does
   * not decide it.
   */
  private evaluate(condition: ts.Expression, flag: string, value: ts.Expression): boolean | undefined {
    const sf = this.sourceFile;
    const c = skipParens(condition);
    const isFlag = (e: ts.Expression): boolean => {
      const x = skipParens(e);
      return ts.isPropertyAccessExpression(x) && skipParens(x.expression).kind === ts.SyntaxKind.ThisKeyword && (this.getterField(x) ?? keyText(x, sf)) === flag;
    };
    if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = this.evaluate(c.operand, flag, value);
      return inner === undefined ? undefined : !inner;
    }
    if (ts.isBinaryExpression(c)) {
      const op = c.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        const a = this.evaluate(c.left, flag, value);
        const b = this.evaluate(c.right, flag, value);
        const decisive = op === ts.SyntaxKind.BarBarToken;
        if (a === decisive || b === decisive) return decisive;
        return a === undefined || b === undefined ? undefined : !decisive;
      }
      const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op);
      const other = isFlag(c.left) ? skipParens(c.right) : isFlag(c.right) ? skipParens(c.left) : undefined;
      if (!equality || !other) return undefined;
      const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      let same: boolean | undefined;
      if (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined')) same = false;
      else if (isConstantValue(other) && isConstantValue(skipParens(value))) same = keyText(other, sf) === keyText(skipParens(value), sf);
      return same === undefined ? undefined : same !== negated;
    }
    // The flag itself: `true`, a non-empty string, a number other than 0 (an enum member may be 0: undecided).
    if (!isFlag(c)) return undefined;
    const v = skipParens(value);
    if (v.kind === ts.SyntaxKind.TrueKeyword || (ts.isStringLiteral(v) && v.text !== '') || (ts.isNumericLiteral(v) && Number(v.text) !== 0)) return true;
    return undefined;
  }

  /** `this.isBusy` for `get isBusy() { return this.busy }` in the same class: `this.busy`. */
  private getterField(access: ts.PropertyAccessExpression): string | undefined {
    const cls = classOf(access);
    const getter = cls?.members.find((m): m is ts.GetAccessorDeclaration => ts.isGetAccessorDeclaration(m) && !!m.name && ts.isIdentifier(m.name) && m.name.text === access.name.text);
    const only = getter?.body?.statements.length === 1 ? getter.body.statements[0] : undefined;
    const returned = only && ts.isReturnStatement(only) && only.expression ? skipParens(only.expression) : undefined;
    return returned && ts.isPropertyAccessExpression(returned) && skipParens(returned.expression).kind === ts.SyntaxKind.ThisKeyword ? keyText(returned, this.sourceFile) : undefined;
  }

  /**
   * A promise-chain lock: `this.lock = this.lock.then(fn)` (also with `.catch`/`.finally` after
   * it), where each callback starts only when the previous one has settled.
   */
  isChainLock(call: ts.CallExpression): boolean {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !['then', 'catch', 'finally'].includes(callee.name.text)) return false;
    // The start of the chain: `x` in `x.then(a).catch(b)`.
    let root: ts.Expression = callee.expression;
    while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression) && ['then', 'catch', 'finally'].includes(root.expression.name.text)) {
      root = root.expression.expression;
    }
    // The end of the chain: the outermost `.then/.catch/.finally` call containing this one.
    let top: ts.Node = call;
    while (ts.isPropertyAccessExpression(top.parent) && ts.isCallExpression(top.parent.parent) && ['then', 'catch', 'finally'].includes(top.parent.name.text)) {
      top = top.parent.parent;
    }
    while (ts.isParenthesizedExpression(top.parent) || ts.isAsExpression(top.parent)) top = top.parent;
    const p = top.parent;
    // (A slot that may hold no chain yet starts from a settled promise: `(chains[k] ?? Promise.resolve()).then(fn)`.)
    let slot = skipParens(root);
    if (ts.isBinaryExpression(slot) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(slot.operatorToken.kind) && isSettledPromise(slot.right)) slot = skipParens(slot.left);
    const rootText = keyText(slot, this.sourceFile);
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === top) {
      return keyText(skipParens(p.left), this.sourceFile) === rootText;
    }
    if (this.isKeyedChain(root, top)) return true;
    // `const next = this.tail.then(fn); this.tail = next;`
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      const name = p.name.text;
      const block = p.parent?.parent?.parent;
      if (block && (ts.isBlock(block) || ts.isSourceFile(block))) {
        return block.statements.some(
          (s) =>
            ts.isExpressionStatement(s) &&
            ts.isBinaryExpression(s.expression) &&
            s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            chainRoot(s.expression.right).getText(this.sourceFile) === name &&
            keyText(skipParens(s.expression.left), this.sourceFile) === rootText,
        );
      }
    }
    return false;
  }

  /**
   * A promise-chain lock per key: `const prev = this.chains.get(k) ?? Promise.resolve(); const next
   * = prev.then(fn); this.chains.set(k, next);`: runs for the same key queue behind each other.
   */
  private isKeyedChain(root: ts.Expression, top: ts.Node): boolean {
    const norm = (n: ts.Node): string => keyText(n, this.sourceFile);
    // The chain starts from the entry for the key (`chains.get(k) ?? Promise.resolve()`), directly or
    // through a const (`const prev = chains.get(k); (prev ?? Promise.resolve()).then(fn)` too).
    let start = skipParens(root);
    for (let hops = 0; hops < 2; hops++) {
      if (ts.isBinaryExpression(start) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(start.operatorToken.kind)) start = skipParens(start.left);
      if (!ts.isIdentifier(start)) break;
      const b = this.scopes.resolve(start);
      const d = b?.declaration;
      if (!b?.initializer || !d || !ts.isVariableDeclaration(d) || !(d.parent.flags & ts.NodeFlags.Const)) return false;
      start = skipParens(b.initializer);
    }
    if (!ts.isCallExpression(start) || !ts.isPropertyAccessExpression(start.expression) || start.expression.name.text !== 'get' || start.arguments.length !== 1) return false;
    const map = norm(start.expression.expression);
    const key = norm(start.arguments[0]);
    // The chain's end is stored back under the same key, directly or through a const.
    let stored: string | undefined;
    let block: ts.Node | undefined;
    const p = top.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.parent.flags & ts.NodeFlags.Const) {
      stored = p.name.text;
      block = p.parent.parent.parent;
    } else if (ts.isCallExpression(p) && p.arguments[1] === top) {
      block = p.parent?.parent;
      stored = norm(top);
    }
    if (!stored || !block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
    // What is stored may be the chain's end with a handler added that keeps a failure from
    // breaking the queue (`const settled = next.catch(() => {}); chains.set(k, settled)`): it settles
    // only after the end does, so the next run still waits for this one.
    const endsChain = (e: ts.Expression): boolean => {
      let x = skipParens(e);
      if (norm(x) === stored) return true;
      if (ts.isIdentifier(x)) {
        const b = this.scopes.resolve(x);
        const d = b?.declaration;
        if (!b?.initializer || !d || !ts.isVariableDeclaration(d) || !(d.parent.flags & ts.NodeFlags.Const)) return false;
        x = skipParens(b.initializer);
      }
      return x !== chainRoot(x) && norm(chainRoot(x)) === stored;
    };
    return block.statements.some((st) => {
      const e = ts.isExpressionStatement(st) ? skipParens(st.expression) : undefined;
      return (
        !!e &&
        ts.isCallExpression(e) &&
        ts.isPropertyAccessExpression(e.expression) &&
        e.expression.name.text === 'set' &&
        e.arguments.length === 2 &&
        norm(e.expression.expression) === map &&
        norm(e.arguments[0]) === key &&
        endsChain(e.arguments[1])
      );
    });
  }

  /** `await mutex.acquire()`, `const release = await sem.acquire()`: a lock taken here. */
  isAcquire(awaitNode: ts.Node): boolean {
    if (!ts.isAwaitExpression(awaitNode)) return false;
    let e = skipParens(awaitNode.expression);
    // `const wait = queue.wait(); …; await wait;`
    if (ts.isIdentifier(e)) {
      const init = this.scopes.resolve(e)?.initializer;
      if (init) e = skipParens(init);
    }
    // (A tagged query: prisma's $queryRaw`SELECT … FOR UPDATE`.)
    if (ts.isTaggedTemplateExpression(e)) return SQL_ROW_LOCK.test(e.template.getText());
    if (!ts.isCallExpression(e)) return false;
    if (isBuilderRowLock(e)) return true;
    const sql = sqlTextOf(e, this.scopes);
    if (sql && (SQL_LOCK.test(sql) || SQL_ROW_LOCK.test(sql)) && !SQL_UNLOCK.test(sql)) return true;
    const callee = skipParens(e.expression);
    // A lock function called by its own name (`const lockAsync = promisify(lockfile.lock)`, a
    // `lock(path)` of the file): `await lockAsync(lockPath)` … `await unlockAsync(lockPath)`.
    // (Or a function named for a lock, `lockPath(fs, dir)`, `takeRowLock(id)`, whose handle the
    // function gives back: `const held = await lockPath(…); try { … } finally { held.release() }`.)
    if (ts.isIdentifier(callee)) return LOCK_FUNCTIONS.test(callee.text) || (LOCK_NAMED.test(callee.text) && releasedHandle(awaitNode));
    if (!ts.isPropertyAccessExpression(callee) || !ACQUIRE_METHODS.has(callee.name.text)) return false;
    return callee.name.text === 'acquire' || LOCKISH.test(receiverText(callee)) || releasedHandle(awaitNode);
  }

  /**
   * Whether a call runs while the function around it holds a lock it took just before: inside the
   * `try` of `const release = await mutex.acquire(); try { … } finally { release() }` (or `await
   * lock.acquire(); try { … } finally { lock.release() }`). Runs of that code reach the call one at
   * a time, as a call in a `runExclusive` callback does.
   */
  isHeldUnderLock(call: ts.Node): boolean {
    for (let n: ts.Node = call; n.parent && !ts.isFunctionLike(n); n = n.parent) {
      const p = n.parent;
      if (!ts.isTryStatement(p) || p.tryBlock !== n || !p.finallyBlock || !this.releasesIn(p.finallyBlock)) continue;
      const block = p.parent;
      if (!ts.isBlock(block) && !ts.isSourceFile(block)) continue;
      const before = block.statements[block.statements.indexOf(p) - 1];
      if (before && this.takesLock(before)) return true;
    }
    return false;
  }

  /** `await lock.acquire();`, `const release = await mutex.acquire();`: a statement that takes a lock. */
  private takesLock(st: ts.Statement): boolean {
    const taken = ts.isExpressionStatement(st) ? skipParens(st.expression) : ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 ? st.declarationList.declarations[0].initializer : undefined;
    if (!taken || !this.isAcquire(skipParens(taken))) return false;
    // (Not a lock made by this very run, `const m = new Mutex(); await m.acquire()`: no other run waits on it.)
    const awaited = skipParens((skipParens(taken) as ts.AwaitExpression).expression);
    const callee = ts.isCallExpression(awaited) ? skipParens(awaited.expression) : undefined;
    const recv = callee && ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : undefined;
    const b = recv && ts.isIdentifier(recv) ? this.scopes.resolve(recv) : undefined;
    return !(b && b.owner === enclosingFunction(st) && !!b.initializer && ts.isNewExpression(skipParens(b.initializer)));
  }

  /** Whether a block gives a lock back (`release()`, `mutex.release()`), outside functions it defines. */
  private releasesIn(block: ts.Block): boolean {
    const visit = (n: ts.Node): boolean => {
      if (ts.isFunctionLike(n)) return false;
      if (ts.isCallExpression(n) && this.isRelease(n)) return true;
      return ts.forEachChild(n, visit) === true;
    };
    return visit(block);
  }

  /** `release()`, `mutex.release()`, `lock.unlock()`: a lock given back. */
  isRelease(call: ts.Node): boolean {
    if (!ts.isCallExpression(call)) return false;
    if (SQL_UNLOCK.test(sqlTextOf(call, this.scopes) ?? '')) return true;
    const callee = skipParens(call.expression);
    if (ts.isPropertyAccessExpression(callee)) return RELEASE_METHODS.has(callee.name.text) || (LOCKISH_RELEASES.has(callee.name.text) && LOCKISH.test(receiverText(callee)) && !/s$|list|items|array/i.test(receiverText(callee)));
    if (!ts.isIdentifier(callee)) return false;
    if (RELEASE_METHODS.has(callee.text.replace(/Async$/, ''))) return true;
    const b = this.scopes.resolve(callee);
    const init = b?.initializer && skipParens(b.initializer);
    return !!init && ts.isAwaitExpression(init) && this.isAcquire(init);
  }
}

/** How a Durable Object reaches its storage: `this.ctx.storage`, `this.state.storage`, `this.storage`. */
const DO_STORAGE = /^(this\.)?(ctx|state)\.storage$|^this\.storage$/;

/** The class a node is in (what `this` is there, for a node in one of its methods). */
export function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

/**
 * A Cloudflare Durable Object class: it extends `DurableObject`, or its constructor takes the
 * object's state first and the environment second (`constructor(ctx, env)`, `constructor(state, env)`).
 */
function isDurableObjectClass(c: ts.ClassLikeDeclaration): boolean {
  const base = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (base && /(^|\.)DurableObject$/.test(base.getText())) return true;
  const ctor = c.members.find(ts.isConstructorDeclaration);
  const [first, second] = ctor?.parameters ?? [];
  return !!first && !!second && ts.isIdentifier(first.name) && /^(ctx|state|durableObjectState)$/.test(first.name.text) && ts.isIdentifier(second.name) && second.name.text === 'env';
}

/**
 * Whether the awaited call's result is kept as a handle that the same function gives back
 * (`const held = await this.cache.lock(key); try { … } finally { await held.unlock() }`, a
 * redlock-style lock on any receiver): a lock handle, whatever its receiver is called.
 */
function releasedHandle(awaitNode: ts.AwaitExpression): boolean {
  const name = handleName(awaitNode);
  if (!name) return false;
  const body = enclosingBody(awaitNode);
  const released = (n: ts.Node): boolean => {
    if (ts.isFunctionLike(n)) return false;
    if (ts.isCallExpression(n)) {
      const c = skipParens(n.expression);
      if (ts.isPropertyAccessExpression(c) && RELEASE_METHODS.has(c.name.text) && ts.isIdentifier(c.expression) && c.expression.text === name) return true;
    }
    return ts.forEachChild(n, released) === true;
  };
  return !!body && ts.forEachChild(body, released) === true;
}

/**
 * The local an awaited call's result is kept in: `const held = await …`, or a handle declared
 * before and taken only on some paths, `let held; if (store.lock) held = await store.lock(key)`.
 */
function handleName(awaitNode: ts.AwaitExpression): string | undefined {
  const p = awaitNode.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.initializer === awaitNode) return p.name.text;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === awaitNode && ts.isIdentifier(p.left) && ts.isExpressionStatement(p.parent)) return p.left.text;
  return undefined;
}

/** A function named for taking a lock (`lockPath`, `takeRowLock`), not for giving one back or asking about one. */
const LOCK_NAMED = /^(?!un|is|has|with|release|check)(lock|mutex|[a-zA-Z]*[a-z0-9](Lock|Mutex))([A-Z0-9_]|$)/;

/** The body of the function a node is in. */
function enclosingBody(node: ts.Node): ts.Node | undefined {
  const fn = enclosingFunction(node);
  return ts.isSourceFile(fn) ? undefined : fn.body;
}

/** The first use of a name in a statement (outside nested functions). */
function findIdentifier(node: ts.Node, name: string): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return node.text === name ? node : undefined;
  if (ts.isFunctionLike(node)) return undefined;
  return ts.forEachChild(node, (c) => findIdentifier(c, name));
}

/**
 * Where a local holding a promise is stored next (`feed.pending[side] = flight`), when that
 * happens in the same synchronous step as the assignment `from`: the statements after it, in its
 * block and the blocks around it, up to the function's end, with no await in between.
 */
function storedLater<K>(body: ts.Node, from: ts.Node, name: string, keptAt: (e: ts.Expression) => K | undefined): K | undefined {
  let stmt: ts.Node = from;
  while (stmt.parent && stmt !== body) {
    const block = stmt.parent;
    if (ts.isBlock(block) || ts.isSourceFile(block)) {
      const at = block.statements.indexOf(stmt as ts.Statement);
      for (const next of block.statements.slice(at + 1)) {
        const use = findIdentifier(next, name);
        if (use) return keptAt(use);
        if (containsAwait(next)) return undefined;
      }
    }
    // (Leaving a loop, the next statement may run after an await of the next round.)
    if (ts.isIterationStatement(block, false) || block === body) return undefined;
    stmt = block;
  }
  return undefined;
}

/**
 * The field of `this` a statement sets to a value that holds it, and the value: `this.open = true`,
 * `this.phase = 'busy'`, `this.state = State.Joining` (not `= false`, `= null`, nor a value
 * computed at run time, which may be empty).
 */
function claimOf(st: ts.Statement, sf: ts.SourceFile): { flag: string; value: ts.Expression } | undefined {
  if (!ts.isExpressionStatement(st)) return undefined;
  const e = skipParens(st.expression);
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(e.left) || skipParens(e.left.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const v = skipParens(e.right);
  const empty = v.kind === ts.SyntaxKind.FalseKeyword || v.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(v) && v.text === 'undefined') || (ts.isNumericLiteral(v) && v.text === '0') || (ts.isStringLiteral(v) && v.text === '') || ts.isVoidExpression(v);
  return empty || !isConstantValue(v) ? undefined : { flag: keyText(e.left, sf), value: v };
}

/** `true`, a non-empty literal, or a member of an enum-like object (`State.Joining`). */
function isConstantValue(v: ts.Expression): boolean {
  return v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword || ts.isStringLiteral(v) || ts.isNumericLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v) || (ts.isPropertyAccessExpression(v) && ts.isIdentifier(v.expression) && /^[A-Z]/.test(v.expression.text));
}

/** Whether a branch leaves the function or throws on every path through it (`return`, `throw`, a block ending in one). */
export function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]);
}

/** What `isStartedUnderClaim` reads of a function body, each list in source order. */
interface BodyClaimFacts {
  claims: Array<{ at: number; flag: string; value: ts.Expression }>;
  awaits: Array<{ at: number; node: ts.Node }>;
  /** `if (…) return/throw` with no else: a caller past it found the test false. */
  exitingIfs: Array<{ at: number; node: ts.IfStatement }>;
}

/** What `isSingleFlight` reads of a function body: where it looks at each slot, each list in source order. */
interface BodySlotLooks {
  /** `a.b`, `a[k]` read (not assigned with `=`), by their text. */
  reads: Map<string, Array<{ at: number }>>;
  /** `m.get(k)`, `m.has(k)`, by lookupKey of the map's and the key's text. */
  lookups: Map<string, Array<{ at: number }>>;
}

/** One string for a map and a key, distinct for distinct pairs. */
function lookupKey(map: string, key: string): string {
  return JSON.stringify([map, key]);
}

/** Where the last entry of a list in source order that starts before `pos` starts, or -1 (none, or no list). */
function lastBefore(list: ReadonlyArray<{ at: number }> | undefined, pos: number): number {
  const i = list ? countBefore(list, pos) : 0;
  return i > 0 ? list![i - 1].at : -1;
}

/** How many entries of a list in source order start before `pos`. */
function countBefore(list: ReadonlyArray<{ at: number }>, pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a statement (or any node) awaits, outside the functions nested in it. */
export function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsAwait) === true;
}
