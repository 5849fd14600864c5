// Check-then-act: a check of shared state in one async segment (a queue's length, `map.has(k)`,
// `!this.conn`, a counter against a limit, `fs.existsSync(p)`) whose decision is acted on in a
// later segment (`shift()`, `set`, `this.conn = …`, `running++`, creating a file) without checking
// again, in code that can run concurrently: two runs both pass the check before either acts. The
// JavaScript form of `if not queue.empty(): queue.get()`. Includes double initialisation
// (`if (!this.client) this.client = await connect()`), a check followed by a call to a function
// of the file that sets the state after its own await, creating what an external check (a file,
// a row, a key) found missing even with no other await in between, creating what a synchronous
// look-up did not find when the creation itself is the await (a second run looks up while the
// first creation is in flight), checks answered in a Node callback, stale comparisons, early
// returns while another call is still initialising (also on a flag kept per key), a creation
// inside a database transaction begun after the check (`findFirst(…)` on the pool, then
// `db.transaction(async (tx) => tx.member.create(…))`: the transaction does not cover the check),
// a getter of a class of the file read on an instance held in module state or a field
// (`if (!index.ready) await index.load()`), which stands for the field it reports, an async
// predicate helper that answers first from an entry in memory (`if (claimed.has(p)) return true;
// await stat(p)`) and one from elsewhere handed the collection the function then fills
// (`if (await isDuplicate(id, clients)) return; … clients.set(id, c)`).
//
// Deliberately left alone: a flag or slot claimed in the check's own segment (before the first
// await), also by the caller that is the only way in or by a callee before its own first await,
// another task that only clears what was found unset, a fill from a promise made once
// (`this.client = await this.opening`), caching the promise (`this.ready ??= connect()`, or a
// single flight kept in any slot tested in the same step, `feed.pending[side] = p`, also one split
// over a caller that looks in a map of pending promises and a helper it then calls that stores its
// own promise under the same key before its first await, and an exported initialiser the file
// runs only as such a flight's body, `pending ??= loadStore()`), a re-check
// after the await (including `while (full) await slot();`, or any read inside the transaction
// before its creation), code under a mutex, semaphore,
// limiter or promise-chain lock, exclusive file creation (`'wx'`, `recursive: true`), a creation
// that accepts "already exists" (a catch that reads the winner) or whose promise is shared, a
// memo of plain data loaded or computed from reads (or a member added to the set it was missing
// from and kept there, with only reads in between) where overlap is only assumed, a test that only shapes the
// request of the await (a header sent when a tag is known), a check in a constructor whose
// helper overlaps only with itself, state no concurrent code can reach, a drain after the await
// that takes all a collection holds as it empties it (`const batch = q; q = []`, `q.splice(0)`),
// a store creator's `set({ … })` naming only fields other than the one checked, a check and act
// after a locking read (`SELECT … FOR UPDATE`, or a query builder's `.forUpdate()`), and a memo of what a file holds (every run reads
// the same content, however many overlap).
import { ASYNC_MODEL_KEY, buildAsyncModel, mayContainSuspension, type RaceSource } from '../async/model';
import { checkThenActFixes, isDoubleInit } from '../async/raceFixes';
import { quoteName } from '../async/concurrency';
import { describeLocation, describeSource, describeSuspension, lineOf, relatedSource } from '../async/raceMessages';
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';
import { ts } from 'ts-morph';
import { isNullishLiteral, skipOuterAwaitedParents } from '../syntax';
import { isFunctionLike, isWithin, type Scopes } from '../async/scopes';
import { calleeName, functionOf, keyText, thisOwner } from '../async/sharedLocations';
import { enclosingTransaction, SETUP_METHODS } from '../async/races';
import { isAssignmentOperator, promiseChainTop, skipParens } from '../async/flow';
import type { FunctionLike } from '../async/scopes';
import { classOf, selfDefaultingAssignment, type SafeIdioms } from '../async/safeIdioms';
import { coarseCandidates } from '../async/coarseFormer';

function snippet(node: ts.Node): string {
  const t = node.getText().replace(/\s+/g, ' ');
  return t.length > 50 ? `${t.slice(0, 47)}...` : t;
}

export const checkThenAct: RuleDefinition<Record<string, never>> = {
  id: 'check-then-act',
  description: 'A check whose decision is acted on after an await or across workers, without a re-check.',
  defaultLevel: 'warn',
  requiresTypes: false,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('check-then-act'),
  mayApply: mayContainSuspension,
  check(ctx) {
    const model = ctx.shared(ASYNC_MODEL_KEY, () => buildAsyncModel(ctx.sourceFile, ctx.program));
    const checked = [...model.functions.map((f) => f.node), ...ctx.shared(DELEGATING_CHECKERS_KEY, () => delegatingCheckers(model))];
    // (One finding per helper write, however many checked callers reach it.)
    const reportedWrites = new Set<ts.Node>();
    const clearedByName = new Map<string, boolean>();
    const asyncFunctions = new Set<ts.Node>(model.functions.map((f) => f.node));
    for (const fnNode of checked) {
      reportEarlyReturns(ctx, model, fnNode);
      const formed = model.races(fnNode).checkThenActs;
      // (And the coarse former's, which pass the same gates; see coarseFormer.)
      const coarse = asyncFunctions.has(fnNode) ? coarseCandidates(model, fnNode, formed) : [];
      const candidates = coarse.length > 0 ? [...formed, ...coarse] : formed;
      for (const c of candidates) {
        // Using a checked value races with whoever resets it, not with another run of the same code.
        // (A check that found it unset, acted on by setting it, races with another initialiser, not
        // with a task that only clears it: after a clear the location is still unset, as found.)
        let why = model.raceSource(c.fn, c.location, { otherWriterOnly: c.kind === 'use' || !!c.reset, otherWriterSets: foundUnsetAndSet(c) });
        // Runs that each store what one promise made once settled to store the same value: only
        // another task that sets something else races with them.
        if (why && !why.otherWriter && isSettledPromiseFill(c, model.scopes)) why = model.raceSource(c.fn, c.location, { otherWriterOnly: true, otherWriterSets: true });
        // A check made in a constructor runs once per object, before anyone else holds it: no
        // second run passes it. Another run of the helper it hands the work to (from a public
        // caller) made no such check, so that overlap is the helper's own, not this check's; only
        // a writer elsewhere can make what the constructor found stale.
        if (why?.otherWriter && c.callee && ts.isConstructorDeclaration(c.fn) && why.otherWriter.fn === c.callee) {
          why = model.raceSource(c.fn, c.location, { otherWriterOnly: c.kind === 'use' || !!c.reset, otherWriterSets: foundUnsetAndSet(c), notWrittenIn: c.callee });
        }
        if (!why) continue;
        if (checksOnlyTheRequest(c) || setsOtherFields(c) || isInCachedPromise(c.act, model.idioms) || (!!c.callee && ts.isCallExpression(c.act) && model.idioms.isFlightKeptByCallee(c.act, c.callee)) || awaitsSharedFlight(c, model) || isCallerContract(c, why) || isExportedFlightBody(c, why, model) || isAssumedCacheFill(c, why, model, () => ctx.checker) || isOpenOfFoundFile(c) || isMadeDirectoryMemo(c) || (isAnsweredCompareAndSet(c) && !firstEffect(c)) || isSettledOutcomeOfKey(c, model.scopes) || testsConstItself(c.checkedRead ?? c.check, model.scopes) || ((c.kind === 'use' || isCallOnChecked(c)) && !isEverCleared(ctx.sourceFile, c.checkedRead ?? c.check, model.scopes, clearedByName, () => ctx.checker))) continue;
        const where = describeLocation(c.location);
        // (A check made inside a helper, `if (await exists(key))`: the read the helper tests.)
        const checkVia = c.location.through && c.location.through.node.getSourceFile() === ctx.sourceFile && !isWithin(c.location.through.node, c.fn) ? c.location.through : undefined;
        const source = describeSource(why);
        const suspension = describeSuspension(c.suspension);
        let message: string;
        // The answer of a check on an external resource arrives with the check's own suspension:
        // its callback (`fs.exists(p, (ok) => …)`) or its await (`if (!(await exists(p))) …`).
        const checkCall = c.checkedRead && (ts.isCallExpression(c.checkedRead) || ts.isTaggedTemplateExpression(c.checkedRead)) ? c.checkedRead : undefined;
        // (How the check is quoted: a call by its callee, a tagged SQL statement by its text.)
        const asked = checkCall && (ts.isCallExpression(checkCall) ? `${snippet(checkCall.expression)}(…)` : snippet(checkCall));
        const ownSuspension = !!checkCall && (c.suspension === checkCall || (ts.isAwaitExpression(c.suspension) && isWithin(checkCall, c.suspension)));
        if (c.inFlight) {
          message =
            `Create-if-missing: \`${asked ?? snippet(c.check)}\` finds no entry for \`${c.location.entry ?? where}\`, and \`${snippet(c.act)}\` creates it, but the creation completes only after its await. ` +
            `${cap(source)}: a second run looks up while the first creation is still in flight, finds nothing too, and creates it again (a duplicate, or an "already exists" error). ` +
            `Keep the pending creation in a map of promises and await that, or let the creation tolerate an existing entry (catch "already exists" and read it again).`;
        } else if (c.readyAfter) {
          message =
            `Check-then-act: \`${snippet(c.check)}\` asks whether the object is ready, and \`${snippet(c.act)}\` replaces it with a new one that is ready only once ${describeSuspension(c.readyAfter)} completes. ` +
            `${cap(source)}: a second run that arrives meanwhile finds the new object not ready yet, and replaces it again (the first one is left open and lost). ` +
            `Keep the pending set-up as a promise and hand every caller that promise.`;
        } else if (c.kind === 'act' && !c.callee && ts.isCallExpression(c.act) && ts.isPropertyAccessExpression(c.act.expression) && SETUP_METHODS.test(c.act.expression.name.text) && isWithin(c.act, c.suspension)) {
          message =
            `Double set-up: \`${snippet(c.check)}\` finds ${where} not ready, and \`${snippet(c.act)}\` sets it up, but it is ready only once that await completes. ` +
            `${cap(source)}: a second run checks meanwhile, finds it not ready too, and sets it up again (a second connection, or an "already connecting" error). ` +
            `Keep the pending set-up as a promise and let every caller await that one.`;
        } else if (c.claimedField && checkCall) {
          message =
            `Check-then-act: \`${asked}\` finds rows of the store \`${c.location.text}\` by their \`${c.claimedField}\` (free ones), and \`${snippet(c.act)}\` claims them by id, setting \`${c.claimedField}\` without filtering on it again. ` +
            `${cap(source)}: two runs can both find the same rows before either claims them, and both go on to process them. ` +
            `Let the store decide: repeat the \`${c.claimedField}\` filter in the update's where (and mark the rows with a token of this run to know which it got), or lock the rows.`;
        } else if (ownSuspension && c.kind === 'act' && !c.callee) {
          const byCallback = c.suspension === checkCall;
          // (An act inside a transaction begun after the check: the transaction does not cover the check.)
          const tx = !byCallback ? enclosingTransaction(c.act) : undefined;
          const inTx = tx && enclosingTransaction(c.check) !== tx ? ` inside the transaction begun on line ${lineOf(tx)}, which does not cover the check,` : '';
          const advice =
            tx && inTx
              ? '. Check inside the transaction instead, through its handle, and let a unique constraint or an upsert decide.'
              : c.location.kind === 'file'
              ? ', and another process can create or remove it in between. Make the act itself exclusive instead (`{ flag: \'wx\' }`, `{ recursive: true }`) and handle EEXIST/ENOENT.'
              : c.location.kind === 'store'
                ? '. Let the store decide instead: a unique constraint, an upsert or a conditional write (`NX`, `ON CONFLICT`), or a lock around both.'
                : '.';
          message =
            `Check-then-act: \`${asked}\` checks ${where}${checkVia ? `, read on line ${lineOf(checkVia.node)} in \`${checkVia.within}\`` : ''}, and ${byCallback ? 'its callback acts' : `\`${snippet(c.act)}\` acts`} on the answer${byCallback ? ` with \`${snippet(c.act)}\`` : ''}${inTx} without checking again. ` +
            `${cap(source)}: two runs can both get the same answer before either acts${advice}`;
        } else if (c.stale && c.kind === 'act' && !c.callee) {
          const readLine = c.checkedRead ? lineOf(c.checkedRead) : lineOf(c.check);
          message =
            `Stale check: \`${snippet(c.check)}\` decides on ${where} as read on line ${readLine}, before ${suspension}, and \`${snippet(c.act)}\` acts on that decision without reading it again. ` +
            `${cap(source)}: another task can change it during the suspension. Read it again after the await (or compare versions) before acting.`;
        } else if (c.kind === 'file') {
          message =
            `Check-then-act on a file: \`${snippet(c.check)}\` checks ${where}, and \`${snippet(c.act)}\` acts on that check; another process, or a concurrent run, can create or remove it in between. ` +
            `${cap(source)}. Make the act itself exclusive instead (\`{ flag: 'wx' }\`, \`{ recursive: true }\`) and handle EEXIST/ENOENT.`;
        } else if (c.kind === 'use') {
          message =
            `Check-then-use: \`${snippet(c.check)}\` checks ${where} before ${suspension}, and \`${snippet(c.act)}\` uses it after that without checking again. ` +
            `${cap(source)}, so it may have been replaced or cleared in between. Keep the checked value in a local, or check again after the await.`;
        } else if (c.kind === 'refresh') {
          message =
            `Check-then-act: ${where} is replaced after ${suspension} by a value computed from \`${snippet(c.check)}\`, read before it. ` +
            `${cap(source)}: two runs can both start from the same value and the later one overwrites the first. Share one in-flight promise instead.`;
        } else if (isDoubleInit(c)) {
          message =
            `Double initialisation: ${where} is tested by \`${snippet(c.check)}\` before ${suspension} and set after it. ` +
            `${cap(source)}: two runs can both find it unset and both initialise it. Cache the promise instead (e.g. \`this.ready ??= init()\`), or re-check after the await.`;
        } else if (c.callee) {
          // (Reported at the helper's write, below: the message says where the check and the call are.)
          const helperWrite = model.races(c.callee).lateWrites.get(c.location.key)?.write;
          message = helperWrite
            ? `Check-then-act: \`${snippet(c.check)}\` in ${quoteName(c.fn)} (line ${lineOf(c.check)}) checks ${where}, then calls \`${snippet(c.act)}\` (line ${lineOf(c.act)}), which sets it here only after its own await (${suspension}). ` +
              `${cap(source)}: two runs can both pass the check before either sets it, and both run the helper. Share the helper's pending promise instead.`
            : `Check-then-act: \`${snippet(c.check)}\` checks ${where}, then \`${snippet(c.act)}\` sets it only after its own await (${suspension}). ` +
              `${cap(source)}: two runs can both pass the check before either sets it.`;
        } else {
          message =
            `Check-then-act: \`${snippet(c.check)}\` checks ${where}${checkVia ? `, read on line ${lineOf(checkVia.node)} in \`${checkVia.within}\`,` : ''} before ${suspension}, and \`${snippet(c.act)}\` acts on that check after it without checking again. ` +
            `${cap(source)}: two runs can both pass the check before either acts.`;
        }
        const related: Array<{ node: ts.Node; message: string }> = [
          { node: c.check, message: 'checked here' },
          { node: c.suspension, message: 'other tasks can run here' },
        ];
        if (checkVia) related.push({ node: checkVia.node, message: `\`${checkVia.within}\` reads what it checks here` });
        const src = relatedSource(why);
        if (src) related.push(src);
        // Duplicates start where the answer is first acted on: the webhook created, the mail sent,
        // before the store records it.
        const effect = c.kind === 'act' && c.location.kind === 'store' ? firstEffect(c) : undefined;
        // (Two branches that each record what one effect made, `if (x) set(k, a) else set(k, b)`, report that effect once.)
        if (effect && reportedWrites.has(effect)) continue;
        if (effect) {
          reportedWrites.add(effect);
          message += ` The first act on that answer is \`${snippet(effect.expression)}(…)\` here, before the store records it on line ${lineOf(c.act)}.`;
          related.push({ node: c.act, message: 'recorded here' });
        }
        // A helper that sets the state after its own await is where the second initialisation
        // happens (`this.token = res.token` in `refresh()`): the finding points there, and at the call.
        const lateWrite = c.callee && !effect ? model.races(c.callee).lateWrites.get(c.location.key)?.write : undefined;
        if (lateWrite && reportedWrites.has(lateWrite)) continue;
        if (lateWrite) {
          reportedWrites.add(lateWrite);
          related.push({ node: c.act, message: 'called here, after the check' });
        }
        ctx.report({ node: effect ?? lateWrite ?? c.act, message, related, suggestions: checkThenActFixes(model, c) });
        // The call that acts on the check is reported too (once): in the caller it is the act,
        // and where the pending promise would be shared.
        if (lateWrite && !reportedWrites.has(c.act)) {
          reportedWrites.add(c.act);
          ctx.report({
            node: c.act,
            message:
              `Check-then-act: \`${snippet(c.check)}\` (line ${lineOf(c.check)}) checks ${where}, and \`${snippet(c.act)}\` acts on it here, but sets it only after its own await (line ${lineOf(lateWrite)}). ` +
              `${cap(source)}: two runs can both pass the check before either sets it, and both run \`${snippet(c.act)}\`. Share its pending promise instead.`,
            related: [...related.filter((r) => r.node !== c.act), { node: lateWrite, message: 'set here, after its await' }],
          });
        }
      }
    }
  },
};

const DELEGATING_CHECKERS_KEY = 'check-then-act:delegating-checkers';

/**
 * Functions with no suspension of their own that test something and call a function of this file
 * that does suspend: `if (this.token && !expired) return this.token; return this.refresh();`,
 * where `refresh` sets `this.token` after its own await. The race model looks at them for a
 * check acted on by the callee (they have nothing else to report), and only when a conditional
 * sits in the same body as such a call.
 */
function delegatingCheckers(model: ReturnType<typeof buildAsyncModel>): FunctionLike[] {
  const suspending = new Set(model.functions.filter((f) => f.suspensions.length > 0).map((f) => f.node));
  // A delegate is a function that suspends: with none in the file there is nothing to find, and the
  // walk would build the concurrency model for nothing (about half of theia-core's files).
  if (suspending.size === 0) return [];
  const out = new Set<FunctionLike>();
  // (Whether a body has a conditional at all, once per function: its text is not copied per call.)
  const branches = new Map<FunctionLike, boolean>();
  const hasBranch = (f: FunctionLike): boolean => {
    let b = branches.get(f);
    if (b === undefined) {
      b = !!f.body && /\bif\b|\?/.test(f.body.getText());
      branches.set(f, b);
    }
    return b;
  };
  model.scopes.forEachNode((n) => {
    if (ts.isCallExpression(n)) {
      const owner = functionOf(n);
      if (owner && !suspending.has(owner) && !out.has(owner) && hasBranch(owner)) {
        const c = skipParens(n.expression);
        const local = ts.isIdentifier(c) || (ts.isPropertyAccessExpression(c) && skipParens(c.expression).kind === ts.SyntaxKind.ThisKeyword);
        const callee = local ? model.concurrency.resolveCallee(n) : undefined;
        if (callee && callee !== owner && suspending.has(callee)) out.add(owner);
      }
    }
  });
  return [...out];
}

type Candidate = ReturnType<ReturnType<typeof buildAsyncModel>['races']>['checkThenActs'][number];

/**
 * Whether `node` runs in a callback of a promise that is cached as it is made:
 * `entry.ready ??= load().then(() => { …node… })`, or `if (!this.p) this.p = load().then(…)`.
 * Only the run that stored the promise started the chain; the others await the same promise,
 * so the callback runs once whatever they checked.
 */
function isInCachedPromise(node: ts.Node, idioms: SafeIdioms): boolean {
  // The call that starts the cached chain: `this.p = this.refresh().finally(…)` under `if (!this.p)`,
  // or after `if (this.p) return this.p` (a single flight: see SafeIdioms.isSingleFlight).
  if (ts.isCallExpression(node) && (isCachedAsMade(node) || idioms.isSingleFlight(node))) return true;
  for (let fn = functionOf(node); fn; fn = functionOf(fn)) {
    let chain: ts.Node = fn;
    while (ts.isParenthesizedExpression(chain.parent)) chain = chain.parent;
    const call = chain.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(chain as ts.Expression)) continue;
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !['then', 'catch', 'finally'].includes(callee.name.text)) continue;
    if (isCachedAsMade(call) || idioms.isSingleFlight(call)) return true;
  }
  return false;
}

/**
 * Whether the suspension between the check and the act awaits a function of the file that keeps its
 * pending promise for the next caller, a single flight (`if (m.has(k)) return m.get(k); const p =
 * load(k).finally(…); m.set(k, p); return p`, `return (this.p ??= load())`): runs that pass the
 * check meanwhile join the same flight, get the same result and store the same value. (The fix the
 * rule asks for, made in the helper the caller awaits.) Only an act that sets the location: a use of
 * what was checked still races with whoever clears it.
 */
function awaitsSharedFlight(c: Candidate, model: ReturnType<typeof buildAsyncModel>): boolean {
  if (c.kind === 'use' || c.kind === 'file' || !ts.isAwaitExpression(c.suspension)) return false;
  const awaited = skipParens(c.suspension.expression);
  if (!ts.isCallExpression(awaited)) return false;
  if (isMemoizedFunction(awaited.expression, model.scopes)) return true;
  const callee = model.concurrency.resolveCallee(awaited);
  return !!callee && sharesPendingPromise(callee, model.idioms);
}

/** Factories that return a function handing every later caller the first call's result (its promise). */
const MEMOIZING_FACTORIES = /^(memoize|memoizee|pMemoize|mem|moize|once|pOnce|onetime|memoizeOne|asyncOnce|singleFlight|singleflight)$/;

/**
 * Whether a callee is a function made by a memoizing factory (`const loadConfig = pMemoize(load)`,
 * `private readonly init = once(() => this.connect())`): every caller gets the first call's
 * promise. (A `const` of the file, or a field of the class initialised where it is declared.)
 */
function isMemoizedFunction(callee: ts.Expression, scopes: Scopes): boolean {
  const e = skipParens(callee);
  let init: ts.Expression | undefined;
  if (ts.isIdentifier(e)) {
    const b = scopes.resolve(e);
    if (b?.kind === 'const') init = b.initializer;
  } else if (ts.isPropertyAccessExpression(e) && skipParens(e.expression).kind === ts.SyntaxKind.ThisKeyword) {
    const cls = classOf(e);
    const member = cls?.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === e.name.text);
    // (Never given another function: readonly, or not assigned in the class.)
    const kept = member?.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) || !new RegExp(`\\bthis\\.${e.name.text}\\s*=[^=]`).test(cls!.getText());
    if (member && kept) init = member.initializer;
  }
  const made = init && skipParens(init);
  return !!made && ts.isCallExpression(made) && MEMOIZING_FACTORIES.test(calleeName(made)) && made.arguments.length >= 1;
}

/** The call a promise chain starts with: `load(k)` in `load(k).then(a).finally(b)`. */
function chainStart(e: ts.Expression): ts.CallExpression | undefined {
  let x = skipParens(e);
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['then', 'catch', 'finally'].includes(x.expression.name.text)) x = skipParens(x.expression.expression);
  return ts.isCallExpression(x) ? x : undefined;
}

/**
 * Whether a function returns a promise it kept, as it made it, where its next caller looks first
 * (see SafeIdioms.isSingleFlight and isCachedAsMade): returned directly (`return this.p ??=
 * load()`) or through a const. Nothing after an await counts: a promise stored after the function's
 * own await is found by no caller that arrived during it.
 */
function sharesPendingPromise(fn: FunctionLike, idioms: SafeIdioms): boolean {
  const body = fn.body;
  if (!body) return false;
  const kept = (e: ts.Expression | undefined): boolean => {
    let x = e && skipParens(e);
    while (x && (ts.isNonNullExpression(x) || ts.isAwaitExpression(x))) x = skipParens(x.expression);
    if (!x) return false;
    if (ts.isBinaryExpression(x) && [ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken].includes(x.operatorToken.kind)) x = skipParens(x.right);
    if (ts.isIdentifier(x)) {
      const b = idioms.scopes.resolve(x);
      if (!b || b.kind !== 'const' || !b.initializer) return false;
      x = skipParens(b.initializer);
    }
    const start = chainStart(x);
    return !!start && (isCachedAsMade(start) || idioms.isSingleFlight(start));
  };
  if (!ts.isBlock(body)) return kept(body);
  let found = false;
  let awaited = false;
  const visit = (n: ts.Node): void => {
    if (found || awaited || isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && kept(n.expression)) found = true;
    else if (ts.isAwaitExpression(n)) awaited = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * Whether the promise chain a call belongs to is stored as it is made, only when none is stored
 * yet: `x ??= call.then(…)`, `x ||= …` (or `x = x || …`), or `x = call…` under `if (!x)`.
 */
function isCachedAsMade(call: ts.CallExpression): boolean {
  const top = promiseChainTop(call);
  if (selfDefaultingAssignment(top, top.getSourceFile())) return true;
  const assign = top.parent;
  if (!ts.isBinaryExpression(assign) || assign.right !== top) return false;
  const op = assign.operatorToken.kind;
  if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return true;
  if (op !== ts.SyntaxKind.EqualsToken) return false;
  const target = assign.left.getText().replace(/\s+/g, '');
  for (let p: ts.Node | undefined = assign.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (!ts.isIfStatement(p) || isWithin(assign, p.expression) || !isWithin(assign, p.thenStatement)) continue;
    const unset = [`!${target}`, `!(${target})`, `${target}==null`, `${target}===null`, `${target}==undefined`, `${target}===undefined`];
    if (unset.includes(p.expression.getText().replace(/\s+/g, ''))) return true;
  }
  return false;
}

/**
 * A cache in memory filled with what was loaded (`source ??= await res.arrayBuffer()`,
 * `cache.set(url, copy)` in the load's `.then`), when the only sign of overlapping runs is that
 * the function is exported or public. A caller arriving during the load loads again and stores an
 * equal value: waste, not a wrong result. When the file itself runs it overlapping (Promise.all,
 * handlers, timers, loops) the duplicate loads are certain and it is reported; so is storing a
 * resource (a client, a socket, a session), whose second copy is left open, and any store or file.
 */
function isAssumedCacheFill(c: Candidate, why: RaceSource, model: ReturnType<typeof buildAsyncModel>, checker: () => ts.TypeChecker): boolean {
  if (c.kind !== 'act' || c.stale || c.callee || c.reset || c.inFlight || c.readyAfter || c.claimedField || why.otherWriter) return false;
  if (c.location.kind === 'store' || c.location.kind === 'file' || c.actLocation.key !== c.location.key) return false;
  let root = why.source;
  while (root.kind === 'caller' && root.via) root = root.via;
  // A memo of what a file holds is filled alike by every run, however many overlap, and reading a
  // file hands nothing out (even under a name like `session`): a second read is waste only.
  if (ts.isBinaryExpression(c.act) && isFileContent(c.act.right, model.scopes, 0)) return true;
  if ((root.kind !== 'exported' && root.kind !== 'public-method') || model.concurrency.isSeenOverlapping(c.fn)) return false;
  const act = c.act;
  // A member added to the set its check found it missing from (`if (seen.has(k)) return; …
  // seen.add(k)`): every run adds the same member, so only what runs in between can be the duplicate.
  // (Unless the run takes the member out again, `finally { busy.delete(k) }`: then it marks work in
  // progress, not work done, and the add claims what follows it, which a second run that passed
  // the same check does again.)
  if (isAddOfCheckedMember(c)) return readsOnlyBetween(c, model.scopes) && !removesAddedMember(c);
  const value = ts.isBinaryExpression(act) ? act.right : ts.isCallExpression(act) && ts.isPropertyAccessExpression(act.expression) && act.expression.name.text === 'set' ? act.arguments[1] : undefined;
  if (!value) return false;
  const target = ts.isBinaryExpression(act) ? act.left : ts.isCallExpression(act) ? act.expression : act;
  const typedAsData = (e: ts.Expression) => !ISSUED.test(target.getText()) && !ISSUED.test(e.getText()) && isPlainData(e, checker());
  if (isLoadedData(value, model.scopes, 0, typedAsData)) return true;
  // Plain data computed from what was loaded (`rows.length > 0`, a count kept in a `let` filled by
  // one of two queries): equal in every run only when nothing but reads ran since the check.
  return derivedFromLoads(value, model.scopes, 0) === 'load' && typedAsData(value) && readsOnlyBetween(c, model.scopes);
}

/**
 * A store creator's `set` merges the object it is handed into the state (zustand's `create((set,
 * get) => …)`): `set({ loading: false })` writes `loading` and nothing else, so it acts on no
 * check of another field, read as `get().user`. (A spread or a computed name may write anything;
 * a hook's setter replaces the whole value.)
 */
function setsOtherFields(c: Candidate): boolean {
  if (c.location.kind !== 'slot' || !/^set(State)?$/.test(c.location.setter ?? '') || c.callee) return false;
  const read = c.checkedRead ?? c.check;
  const field = ts.isCallExpression(read) && ts.isPropertyAccessExpression(read.parent) && read.parent.expression === read ? read.parent.name.text : undefined;
  const act = c.act;
  const given = ts.isCallExpression(act) && act.arguments.length === 1 ? skipParens(act.arguments[0]) : undefined;
  if (!field || !given || !ts.isObjectLiteralExpression(given)) return false;
  return given.properties.every((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text !== field);
}

/**
 * A store update that repeats, in its own filter, a test of a column it sets, with its answer kept
 * (`const won = await db.update(t).set({ sentAt }).where(and(eq(t.id, id), isNull(t.sentAt)))
 * .returning()`, `updateMany({ where: { id, sentAt: null }, data: { sentAt } })`, SQL `UPDATE t SET
 * sent_at = $1 WHERE id = $2 AND sent_at IS NULL`): a compare-and-set. The store lets one run set
 * the column; the others match nothing and learn it from the answer, whatever the earlier read
 * said. (An update that throws its answer away goes on as if it had won.)
 */
function isAnsweredCompareAndSet(c: Candidate): boolean {
  if (c.kind !== 'act' || c.callee || c.location.kind !== 'store' || !ts.isCallExpression(c.act)) return false;
  const top = skipOuterAwaitedParents(c.act);
  if (ts.isExpressionStatement(top.parent) || ts.isVoidExpression(top.parent)) return false;
  const written = new Set<string>();
  const filters: ts.Node[] = [];
  const fieldNames = (e: ts.Expression): string[] => {
    const o = skipParens(e);
    if (!ts.isObjectLiteralExpression(o)) return [];
    return o.properties.flatMap((p) => ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : []));
  };
  const option = (e: ts.Expression, name: string): ts.Expression | undefined => {
    const o = skipParens(e);
    if (!ts.isObjectLiteralExpression(o)) return undefined;
    const p = o.properties.find((q) => ts.isPropertyAssignment(q) && (ts.isIdentifier(q.name) || ts.isStringLiteral(q.name)) && q.name.text === name);
    return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
  };
  // Down the chain: `.set(values)` / `.update(values)` write, `.where(…)`, `.eq(col, v)`, `.is(…)` filter.
  for (let e: ts.Expression = c.act; ts.isCallExpression(e); ) {
    const callee = skipParens(e.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const [a0, a1] = e.arguments;
    if (a0 && /^(update|updateMany|updateOne|updateTable)$/.test(name) && option(a0, 'where') && option(a0, 'data')) {
      // `update({ where, data })`
      for (const f of fieldNames(option(a0, 'data')!)) written.add(f);
      filters.push(option(a0, 'where')!);
    } else if (a0 && a1 && /^(update|updateMany|updateOne)$/.test(name) && option(a1, 'where')) {
      // `Model.update(values, { where })`
      for (const f of fieldNames(a0)) written.add(f);
      filters.push(option(a1, 'where')!);
    } else if (a0 && /^(set|update)$/.test(name)) for (const f of fieldNames(a0)) written.add(f);
    else if (/^(where|andWhere|whereNull|eq|is|match|filter)$/.test(name)) filters.push(...e.arguments);
    else if (a0 && ts.isStringLiteralLike(skipParens(a0))) {
      const sql = /^\s*update\b[\s\S]*?\bset\b([\s\S]*?)\bwhere\b([\s\S]*)$/i.exec((skipParens(a0) as ts.StringLiteralLike).text);
      if (sql) {
        for (const m of sql[1].matchAll(/([A-Za-z_][\w]*)\s*=/g)) written.add(m[1]);
        if ([...written].some((f) => new RegExp(`\\b${f}\\b`).test(sql[2]))) return true;
      }
    }
    e = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : callee;
  }
  if (written.size === 0 || filters.length === 0) return false;
  // A written column named in the filter: `isNull(t.sentAt)`, `eq('sent_at', null)`, `{ sentAt: null }`.
  // (A column, not a value: the name of `t.sentAt`, a key of `{ sentAt: null }`, a string `'sent_at'`.)
  const names = (n: ts.Node): boolean => {
    const column = ts.isStringLiteral(n) || (ts.isIdentifier(n) && ((ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) || ((ts.isPropertyAssignment(n.parent) || ts.isShorthandPropertyAssignment(n.parent)) && n.parent.name === n)));
    if (column && written.has((n as ts.Identifier | ts.StringLiteral).text)) return true;
    return ts.forEachChild(n, names) === true;
  };
  return filters.some(names);
}

/** Reads of a file's content: `readFile(p)`, `readFileSync(p)`, fs-extra's `readJson(p)`. */
const FILE_READS = /^(readFile|readFileSync|readJson|readJSON|readJsonSync|readJSONSync)$/;

/** Methods that copy or cut up text or a list without doing anything else: `raw.trim().split('\n')`. */
const CONTENT_COPIES = /^(toString|trim|trimEnd|trimStart|split|slice|toLowerCase|toUpperCase)$/;

/**
 * Whether a value is the content of a file, read in this function: `await readFile(p, 'utf8')`,
 * `readFileSync(p)`, through `JSON.parse(…)`, `.toString()`, `.split(…)` and `const`s.
 */
function isFileContent(e: ts.Expression, scopes: Scopes, depth: number): boolean {
  const x = skipParens(e);
  if (depth > 4) return false;
  if (ts.isAwaitExpression(x)) return isFileContent(x.expression, scopes, depth + 1);
  if (ts.isCallExpression(x)) {
    const name = calleeName(x);
    if (FILE_READS.test(name)) return true;
    const callee = skipParens(x.expression);
    if (name === 'parse' && ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'JSON' && x.arguments.length >= 1) return isFileContent(x.arguments[0], scopes, depth + 1);
    if (CONTENT_COPIES.test(name) && ts.isPropertyAccessExpression(callee)) return isFileContent(callee.expression, scopes, depth + 1);
    return false;
  }
  if (!ts.isIdentifier(x)) return false;
  const b = scopes.resolve(x);
  return !!b && b.kind === 'const' && !ts.isSourceFile(b.owner) && !!b.initializer && isFileContent(b.initializer, scopes, depth + 1);
}

/**
 * Whether the function that adds `set.add(k)` (the candidate's act) takes the same member out again
 * after it (`set.delete(k)`, in a `finally`, on a failure path, or in a callback it hands on), on
 * the same set and key.
 */
function removesAddedMember(c: Candidate): boolean {
  const act = c.act;
  if (!ts.isCallExpression(act) || !ts.isPropertyAccessExpression(act.expression) || act.arguments.length !== 1) return false;
  const sf = act.getSourceFile();
  const set = keyText(act.expression.expression, sf);
  const member = keyText(act.arguments[0], sf);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && n.getStart() > act.getEnd() && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'delete' && n.arguments.length === 1) {
      if (keyText(n.expression.expression, sf) === set && keyText(n.arguments[0], sf) === member) found = true;
    }
    ts.forEachChild(n, visit);
  };
  if (c.fn.body) visit(c.fn.body);
  return found;
}

/** `set.add(k)` after `set.has(k)`, on the same set and key (the candidate's act and check). */
function isAddOfCheckedMember(c: Candidate): boolean {
  const act = c.act;
  const checked = c.checkedRead ?? c.check;
  if (!ts.isCallExpression(act) || !ts.isPropertyAccessExpression(act.expression) || act.expression.name.text !== 'add' || act.arguments.length !== 1) return false;
  if (!ts.isCallExpression(checked) || !ts.isPropertyAccessExpression(checked.expression) || checked.expression.name.text !== 'has' || checked.arguments.length !== 1) return false;
  const sf = act.getSourceFile();
  return keyText(act.expression.expression, sf) === keyText(checked.expression.expression, sf) && keyText(act.arguments[0], sf) === keyText(checked.arguments[0], sf);
}

/** Awaited calls that only read: what LOADS names, counts and existence tests, a SQL SELECT. */
const READS = /^(count|exists|has|contains|stat|supports)|[a-z](Exists|Count)$/;
const SENDS = /^(send|post|publish|fire|trigger|emit|notify|dispatch|deliver|mail|email|enqueue|submit|charge|pay|transfer)(?![a-z])/;
const SQL_READ = /^\s*(select|with|show|describe|explain)\b/i;

function isReadCall(call: ts.CallExpression, scopes: Scopes): boolean {
  const name = calleeName(call);
  if (LOADS.test(name) || READS.test(name)) return true;
  // (The query text in place, or in a `const`: `const sql = 'select …'; await conn.execute(sql)`.)
  let first: ts.Expression | undefined = call.arguments[0] && skipParens(call.arguments[0]);
  if (first && ts.isIdentifier(first)) {
    const b = scopes.resolve(first);
    first = b?.kind === 'const' && b.initializer ? skipParens(b.initializer) : undefined;
  }
  const sql = first && (ts.isStringLiteralLike(first) ? first.text : ts.isTemplateExpression(first) ? first.head.text : undefined);
  return !!sql && SQL_READ.test(sql);
}

/** SQL that changes nothing when it runs a second time: `CREATE TABLE|INDEX|… IF NOT EXISTS`. */
const SQL_IDEMPOTENT_DDL = /^\s*create\s+(unique\s+)?(table|index|view|schema|extension|trigger|sequence|type)\s+if\s+not\s+exists\b/i;

/**
 * An awaited statement (or batch of statements) every SQL text of which is idempotent DDL:
 * `await db.exec('CREATE TABLE IF NOT EXISTS …')`, `await db.batch([db.prepare(`CREATE TABLE IF
 * NOT EXISTS …`), db.prepare(`CREATE INDEX IF NOT EXISTS …`)])`. A second run re-creates nothing:
 * like a read, it can only be wasted work. The texts are the call's string arguments, in place, in
 * a `const`, in an array, or given to a call among them (`prepare(…)`, `.bind(…)` chains).
 */
function isIdempotentDdl(call: ts.CallExpression, scopes: Scopes): boolean {
  const texts: string[] = [];
  const collect = (e: ts.Expression, depth: number): void => {
    const x = skipParens(e);
    if (depth > 4) return;
    if (ts.isStringLiteralLike(x)) texts.push(x.text);
    else if (ts.isTemplateExpression(x)) texts.push(x.head.text);
    else if (ts.isArrayLiteralExpression(x)) x.elements.forEach((el) => collect(el, depth + 1));
    else if (ts.isCallExpression(x)) {
      x.arguments.forEach((a) => collect(a, depth + 1));
      const callee = skipParens(x.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipParens(callee.expression))) collect(callee.expression, depth + 1);
    } else if (ts.isIdentifier(x)) {
      const b = scopes.resolve(x);
      if (b?.kind === 'const' && b.initializer) collect(b.initializer, depth + 1);
    }
  };
  call.arguments.forEach((a) => collect(a, 0));
  return texts.length > 0 && texts.every((t) => SQL_IDEMPOTENT_DDL.test(t));
}

/**
 * Whether everything awaited between the check and the act, in the check's function, only reads
 * (and no call there sends or creates something): a second run then repeats reads, and the
 * duplicate is wasted work, not a second effect.
 */
function readsOnlyBetween(c: Candidate, scopes: Scopes): boolean {
  const start = c.check.getEnd();
  const end = c.act.getStart();
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok || n.getEnd() <= start || n.getStart() >= end) return;
    if (n !== c.fn && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isForOfStatement(n) && n.awaitModifier) ok = false;
    if (ts.isAwaitExpression(n) && n.getStart() > start) {
      let e: ts.Expression = n.expression;
      while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
      // (`await import('…')` loads a module.)
      if (!ts.isCallExpression(e) || !(e.expression.kind === ts.SyntaxKind.ImportKeyword || isReadCall(e, scopes) || isIdempotentDdl(e, scopes))) ok = false;
    }
    // (A call not awaited that sends: `emit`, `send`, `publish`; a synchronous `create…` only builds a value.)
    if (ts.isCallExpression(n) && n !== c.act && (ts.isAwaitExpression(skipParens(n).parent) ? EFFECTS : SENDS).test(calleeName(n))) ok = false;
    ts.forEachChild(n, visit);
  };
  if (c.fn.body) visit(c.fn.body);
  return ok;
}

/**
 * What a value is computed from: 'load' when it reads what was loaded (`res.length > 0`, `!found`,
 * `rows[0].n`, a `let` every assignment of which is loaded), 'const' for literals alone, false
 * for anything else (shared state, a call, a parameter).
 */
function derivedFromLoads(e: ts.Expression, scopes: Scopes, depth: number): 'load' | 'const' | false {
  const x = skipParens(e);
  if (depth > 8) return false;
  if (ts.isLiteralExpression(x) || x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword || x.kind === ts.SyntaxKind.NullKeyword) return 'const';
  if (ts.isAwaitExpression(x)) {
    const call = skipParens(x.expression);
    return ts.isCallExpression(call) && isReadCall(call, scopes) ? 'load' : false;
  }
  const both = (parts: ts.Expression[]): 'load' | 'const' | false => {
    let out: 'load' | 'const' = 'const';
    for (const p of parts) {
      const d = derivedFromLoads(p, scopes, depth + 1);
      if (!d) return false;
      if (d === 'load') out = 'load';
    }
    return out;
  };
  if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) return ts.isElementAccessExpression(x) ? both([x.expression, x.argumentExpression]) : derivedFromLoads(x.expression, scopes, depth + 1);
  if (ts.isBinaryExpression(x)) return isAssignmentOperator(x.operatorToken.kind) ? false : both([x.left, x.right]);
  if (ts.isPrefixUnaryExpression(x)) return derivedFromLoads(x.operand, scopes, depth + 1);
  if (ts.isConditionalExpression(x)) return both([x.condition, x.whenTrue, x.whenFalse]);
  if (!ts.isIdentifier(x)) return false;
  const b = scopes.resolve(x);
  if (!b || ts.isSourceFile(b.owner)) return false;
  if (b.kind === 'const') return b.initializer ? derivedFromLoads(b.initializer, scopes, depth + 1) : false;
  if (b.kind !== 'let' || !ts.isVariableDeclaration(b.declaration) || !b.owner.body) return false;
  // A `let` of this function: every value it is given (its initialiser, each assignment) is loaded.
  const given: ts.Expression[] = b.declaration.initializer ? [b.declaration.initializer] : [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.left.text === b.name && isAssignmentOperator(n.operatorToken.kind)) {
      if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken && scopes.resolve(n.left) === b) given.push(n.right);
      else other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(b.owner.body);
  if (other || given.length === 0) return false;
  return both(given);
}

/** Names of calls that load data (`fetchInfo`, `res.json`, `readFile`), and of things that are resources, not data. */
const LOADS = /^(load|fetch|read|get|query|find|list|download|request|retrieve|describe|lookup|search|select|parse|json|text|arrayBuffer|blob|compute|calculate)/;
const RESOURCES = /client|connection|conn|socket|session|pool|worker|browser|page|server|channel|stream|transport|database|process|lock|lease|token|handle/i;
/** Constructors of plain data: a copy of loaded bytes or values. */
const DATA_CONSTRUCTORS = /^(ArrayBuffer|SharedArrayBuffer|(Big)?(Ui|I)nt(8|16|32|64)(Clamped)?Array|Float(32|64)Array|DataView|Map|Set|Array|Date|URL|Blob)$/;

/**
 * Names of what is issued to one holder even when it is a plain string (a token, a session id, a
 * lease): two loads hand out two, so a primitive stored under such a name is still a resource.
 */
const ISSUED = /token|session|lease|lock|ticket|nonce|credential|cookie|handle/i;

/**
 * Whether the checker types a stored value as plain data: strings, numbers, booleans, enums (and
 * arrays of them). A name (`getCurrentDatabase()` answers a database's name) says nothing then:
 * whatever the callee is called, a second load stores an equal value and leaves nothing open.
 * Asked only for the few values already found loaded by a call whose name says "load".
 */
function isPlainData(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const F = ts.TypeFlags;
  const PRIMITIVE = F.StringLike | F.NumberLike | F.BooleanLike | F.BigIntLike | F.EnumLike | F.Null | F.Undefined | F.Void;
  const plain = (t: ts.Type, depth: number): boolean => {
    if (t.flags & PRIMITIVE) return true;
    if (t.isUnion()) return t.types.every((u) => plain(u, depth));
    if (depth > 0 || !(checker.isArrayType(t) || checker.isTupleType(t))) return false;
    return checker.getTypeArguments(t as ts.TypeReference).every((u) => plain(u, depth + 1));
  };
  return plain(checker.getTypeAtLocation(e), 0);
}

/**
 * Whether a stored value is data that was loaded (or a plain copy of it), followed through `const`s.
 * `typedAsData` asks the checker whether a value is plain data, whatever the names around it say.
 */
function isLoadedData(e: ts.Expression, scopes: Scopes, depth: number, typedAsData: (e: ts.Expression) => boolean): boolean {
  const x = skipParens(e);
  if (depth > 3) return false;
  if (ts.isAwaitExpression(x)) {
    const call = skipParens(x.expression);
    if (!ts.isCallExpression(call)) return false;
    return LOADS.test(calleeName(call)) && (!RESOURCES.test(skipParens(call.expression).getText()) || typedAsData(x));
  }
  if (ts.isNewExpression(x)) return ts.isIdentifier(x.expression) && DATA_CONSTRUCTORS.test(x.expression.text);
  if (!ts.isIdentifier(x)) return false;
  const b = scopes.resolve(x);
  if (!b) return false;
  // What a load's `.then` callback is handed: `.then((data) => cache.set(url, data))`.
  if (b.kind === 'parameter') {
    const fn = b.owner;
    const call = !ts.isSourceFile(fn) && fn.parent;
    return !!call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'then' && call.arguments[0] === fn && (!RESOURCES.test(x.text) || typedAsData(x));
  }
  return b.kind === 'const' && !!b.initializer && isLoadedData(b.initializer, scopes, depth + 1, typedAsData);
}

/**
 * An open for writing or appending (`openSync(p, 'w')`, `'a'`) of a file an existence check found
 * there: in the branch where `existsSync(p)` held (`if (exists(p)) …`, or after `if (!exists(p))
 * return`). It truncates or extends that file; nothing rests on the file being absent, and if it
 * was removed in between the open makes it again, empty, as the truncation would have left it.
 * Opening a file the check found missing is a create (a concurrent creator's content is truncated
 * away) and stays reported, as does any write of data (`writeFileSync`) after a check.
 */
function isOpenOfFoundFile(c: Candidate): boolean {
  if (c.kind !== 'file' || !c.checkStatement || !ts.isIfStatement(c.checkStatement) || !ts.isCallExpression(c.act) || !ts.isCallExpression(c.check)) return false;
  const act = c.act;
  const flags = act.arguments[1] && skipParens(act.arguments[1]);
  if (!['open', 'openSync'].includes(calleeName(act)) || !flags || !ts.isStringLiteralLike(flags) || !/^[wa]\+?$/.test(flags.text)) return false;
  if (!/^(exists|existsSync|pathExists|pathExistsSync)$/.test(calleeName(c.check))) return false;
  // Whether the condition holds exactly when the file exists: only `!`, parentheses and `&&` between.
  const statement = c.checkStatement;
  let found = true;
  let node: ts.Node = c.check;
  while (node !== statement.expression) {
    const parent: ts.Node = node.parent;
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent)) node = parent;
    else if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) { found = !found; node = parent; }
    else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && found) node = parent;
    else return false;
  }
  if (found) return isWithin(act, statement.thenStatement);
  // `if (!exists(p)) return;` then the open: reached only when the file was found.
  const exits = (s: ts.Statement): boolean => ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isContinueStatement(s) || (ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]));
  return !statement.elseStatement && exits(statement.thenStatement) && !isWithin(act, statement) && isWithin(act, statement.parent);
}

/**
 * A set remembering made directories around a make that accepts an existing directory:
 * `if (!made.has(d)) { await mkdir(d, { recursive: true }); made.add(d) }` (or `ensureDir`,
 * `mkdirp`, and the early-return form). Every step between the check and the act can run twice
 * with the same outcome, and adding the same entry twice is one entry: overlapping runs end as one.
 */
function isMadeDirectoryMemo(c: Candidate): boolean {
  if (c.kind !== 'act' || c.callee || !c.checkStatement || !ts.isIfStatement(c.checkStatement) || !ts.isCallExpression(c.act)) return false;
  const add = skipParens(c.act.expression);
  if (!ts.isPropertyAccessExpression(add) || add.name.text !== 'add' || c.act.arguments.length !== 1) return false;
  const owner = add.expression.getText();
  const key = c.act.arguments[0].getText();
  let has: ts.Node = c.checkedRead ?? c.check;
  while (ts.isPrefixUnaryExpression(has) || ts.isParenthesizedExpression(has)) has = ts.isPrefixUnaryExpression(has) ? has.operand : has.expression;
  if (!ts.isCallExpression(has) || has.arguments.length !== 1 || has.arguments[0].getText() !== key) return false;
  const hasCallee = skipParens(has.expression);
  if (!ts.isPropertyAccessExpression(hasCallee) || hasCallee.name.text !== 'has' || hasCallee.expression.getText() !== owner) return false;
  const actStatement = c.act.parent;
  if (!ts.isExpressionStatement(actStatement) || !ts.isBlock(actStatement.parent)) return false;
  const block = actStatement.parent;
  const at = block.statements.indexOf(actStatement);
  // The steps between: the branch's statements before the act, or those after an early-return check.
  const statement = c.checkStatement;
  const from = block === statement.thenStatement ? 0 : block.statements.indexOf(statement) + 1;
  if (block !== statement.thenStatement && from === 0) return false;
  const steps = block.statements.slice(from, at);
  return steps.length > 0 && steps.every((s) => {
    if (!ts.isExpressionStatement(s) || !ts.isAwaitExpression(s.expression)) return false;
    const call = skipParens(s.expression.expression);
    if (!ts.isCallExpression(call)) return false;
    const name = calleeName(call);
    if (/^(mkdirp|ensureDir|ensureDirSync|mkdirs)$/.test(name)) return call.arguments.length > 0 && call.arguments[0].getText() === key;
    return /^mkdir(Sync)?$/.test(name) && call.arguments[0]?.getText() === key && call.arguments.slice(1).some((o) => {
      const opts = skipParens(o);
      return ts.isObjectLiteralExpression(opts) && opts.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'recursive' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
    });
  });
}

/**
 * A map keyed by a promise, filled from that promise's own callbacks with what it settled to:
 * `promise.then((v) => results.set(promise, [v]), (e) => results.set(promise, [undefined, e]))`.
 * A promise settles once, so every run that missed stores the same outcome under the same key:
 * the value is built only from the callback's parameters and constants, nothing the run holds.
 */
function isSettledOutcomeOfKey(c: Candidate, scopes: Scopes): boolean {
  if (c.kind !== 'act' || c.callee || !ts.isCallExpression(c.act) || c.act.arguments.length !== 2) return false;
  const set = skipParens(c.act.expression);
  const key = skipParens(c.act.arguments[0]);
  if (!ts.isPropertyAccessExpression(set) || set.name.text !== 'set' || !ts.isIdentifier(key)) return false;
  const binding = scopes.resolve(key);
  if (!binding || (binding.kind !== 'const' && binding.kind !== 'parameter')) return false;
  // The callback holding the act, handed to `key.then/catch`.
  let fn: ts.Node = c.act;
  while (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) {
    if (ts.isBlock(fn) || ts.isSourceFile(fn)) return false;
    fn = fn.parent;
  }
  const callback = fn;
  const then = callback.parent;
  if (!ts.isCallExpression(then) || !then.arguments.includes(callback)) return false;
  const on = skipParens(then.expression);
  if (!ts.isPropertyAccessExpression(on) || !['then', 'catch'].includes(on.name.text)) return false;
  const promise = skipParens(on.expression);
  if (!ts.isIdentifier(promise) || scopes.resolve(promise) !== binding) return false;
  const params = new Set(callback.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')));
  const fromOutcome = (e: ts.Node): boolean => {
    if (ts.isIdentifier(e)) return params.has(e.text) || e.text === 'undefined';
    if (ts.isShorthandPropertyAssignment(e)) return params.has(e.name.text);
    if (ts.isPropertyAssignment(e)) return !ts.isComputedPropertyName(e.name) && fromOutcome(e.initializer);
    if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return e.getChildren().every((k) => k.kind === ts.SyntaxKind.SyntaxList ? k.getChildren().every(fromOutcome) : fromOutcome(k));
    return ts.isLiteralExpression(e) || (ts.isToken(e) && e.kind !== ts.SyntaxKind.ThisKeyword) || ts.isTypeNode(e);
  };
  return fromOutcome(c.act.arguments[1]);
}

/** Calls that create or send something outside the store: done twice, they are the duplicate. */
const EFFECTS = /^(create|insert|add|send|post|publish|fire|trigger|emit|charge|notify|register|provision|spawn|launch|enqueue|dispatch|deliver|mail|email|invite|pay|refund|transfer|issue|grant|mint|submit)(?![a-z])/;

/**
 * The first awaited call that creates or sends something between a store check and the write
 * that records it, in the code the write's branch runs: `if (!found) { await stripe.webhooks.create(…);
 * await db.insert(…) }`. Undefined when the recording write is the first act.
 */
function firstEffect(c: Candidate): ts.CallExpression | undefined {
  const act = c.act;
  const start = c.check.getEnd();
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.getEnd() <= start || n.getStart() >= act.getStart()) return;
    if (n !== c.fn && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isAwaitExpression(n) && n.getStart() > start) {
      let call: ts.Expression = n.expression;
      while (ts.isParenthesizedExpression(call) || ts.isAsExpression(call) || ts.isNonNullExpression(call)) call = call.expression;
      if (ts.isCallExpression(call) && !isWithin(act, call) && sharesBranch(n, act)) {
        const callee = call.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        // (An idempotency key makes the service answer a repeat with the first result: no duplicate there.)
        if (EFFECTS.test(name) && !call.arguments.some((a) => /idempoten/i.test(a.getText()))) {
          found = call;
          return;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  if (c.fn.body) visit(c.fn.body);
  return found;
}

/** Whether `node` runs on every path that reaches `act`: its statement sits in a block that holds `act`. */
function sharesBranch(node: ts.Node, act: ts.Node): boolean {
  let stmt: ts.Node = node;
  while (stmt.parent && !ts.isBlock(stmt.parent) && !ts.isSourceFile(stmt.parent)) stmt = stmt.parent;
  return !!stmt.parent && isWithin(act, stmt.parent) && !isWithin(act, stmt);
}

/**
 * A fill from a promise made once (`this.client = await this.opening`, `settings ??= await
 * settingsLoad`): a field only the constructor assigns, or a module `const`. Every run awaits the
 * same promise and stores the same settled value (an `await` of a call, `await this.open()`,
 * makes a new one per run and is no such fill).
 */
function isSettledPromiseFill(c: Candidate, scopes: Scopes): boolean {
  if (c.kind !== 'act' || c.callee || c.reset || c.stale || c.actLocation.key !== c.location.key || !ts.isBinaryExpression(c.act)) return false;
  const op = c.act.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken && op !== ts.SyntaxKind.BarBarEqualsToken) return false;
  const right = skipParens(c.act.right);
  if (!ts.isAwaitExpression(right)) return false;
  let promise = skipParens(right.expression);
  while (ts.isNonNullExpression(promise)) promise = skipParens(promise.expression);
  if (ts.isIdentifier(promise)) {
    const b = scopes.resolve(promise);
    return b?.kind === 'const' && ts.isSourceFile(b.owner);
  }
  if (!ts.isPropertyAccessExpression(promise) || skipParens(promise.expression).kind !== ts.SyntaxKind.ThisKeyword) return false;
  const cls = classOf(promise);
  if (!cls) return false;
  const name = promise.name.text;
  // (A `readonly` field: the compiler keeps typed writes in the constructor; a write through a
  // computed key, `(this as any)[name] = …`, steps outside the types and is not counted then.)
  const readonly = cls.members.some((m) => ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && !!ts.getModifiers(m)?.some((k) => k.kind === ts.SyntaxKind.ReadonlyKeyword));
  // Every assignment of a property of that name in the file sits in the class's constructor (a
  // field of `this` in another class is another field; any other object's may be this one's).
  let elsewhere = false;
  const visit = (n: ts.Node): void => {
    if (elsewhere) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
      const left = skipParens(n.left);
      // (`x.opening = …` on any object; `this[key] = …`; a destructuring that names it.)
      const named =
        (ts.isPropertyAccessExpression(left) && left.name.text === name) ||
        (!readonly && ts.isElementAccessExpression(left) && skipParens(left.expression).kind === ts.SyntaxKind.ThisKeyword && !(ts.isStringLiteralLike(left.argumentExpression) && left.argumentExpression.text !== name)) ||
        ((ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) && new RegExp(`\\b${name}\\b`).test(left.getText()));
      const owner = thisOwner(left)?.classNode;
      const onThis = (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && skipParens(left.expression).kind === ts.SyntaxKind.ThisKeyword;
      if (named && !(onThis && owner !== cls)) {
        let f: ts.Node | undefined = n.parent;
        while (f && !ts.isFunctionLike(f)) f = f.parent;
        if (!f || !ts.isConstructorDeclaration(f) || f.parent !== cls) elsewhere = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(c.act.getSourceFile());
  return !elsewhere;
}

/**
 * A check made while building the request of the await that splits it from the act (`await
 * send(url, { headers: { ...(tag !== undefined && { 'if-match': tag }) } })`, then `tag =
 * reply.tag`): it decides what the request carries, not whether the act runs, and what the act
 * writes is the answer (see the lost-update rule's refresh).
 */
function checksOnlyTheRequest(c: Candidate): boolean {
  if (c.kind !== 'act' || c.callee || !ts.isAwaitExpression(c.suspension)) return false;
  const call = skipParens(c.suspension.expression);
  return ts.isCallExpression(call) && call.arguments.some((a) => isWithin(c.check, a));
}

/**
 * Whether the check found the location unset (`!this.socket`, `this.ready == null`, `while
 * (!this.ready)`) and the act sets it (`this.socket = await open()`, `this.ready = true`).
 */
function foundUnsetAndSet(c: Candidate): boolean {
  if (c.kind !== 'act' || c.reset || c.stale || c.callee || !ts.isBinaryExpression(c.act) || c.act.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const sf = c.act.getSourceFile();
  const target = keyText(c.act.left, sf);
  let t: ts.Node = c.checkedRead ?? c.check;
  while (ts.isParenthesizedExpression(t.parent)) t = t.parent;
  if (keyText(t, sf) !== target) return false;
  const p = t.parent;
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
  return ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(p.operatorToken.kind) && isNullishLiteral(p.left === t ? p.right : p.left);
}

/**
 * A guard that throws when the method is called a second time (`if (this.replied) throw new
 * Error('already replied')` … `this.replied = true`) states a contract on the callers. When the
 * only evidence of overlapping runs is that the method is public, a concurrent second call is
 * the caller's mistake, and the guard's message is the report; racelint speaks when the file itself
 * runs the code concurrently (handlers, timers, Promise.all, loops).
 */
function isCallerContract(c: Candidate, why: RaceSource): boolean {
  if (why.otherWriter) return false;
  let root = why.source;
  while (root.kind === 'caller' && root.via) root = root.via;
  if (root.kind !== 'public-method' || c.kind !== 'act' || c.stale) return false;
  const guard = enclosingIf(c.check);
  if (!guard || guard.elseStatement || !throwsOnly(guard.thenStatement)) return false;
  const act = c.act;
  if (!ts.isBinaryExpression(act) || act.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const value = act.right;
  return value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || ts.isLiteralExpression(value) || ts.isPropertyAccessExpression(value);
}

/**
 * An exported function the file itself runs only as the body of a single flight (`init() { return
 * (this.p ??= setup()) }`, `if (!pending) pending = setup(); return pending`): the file's way in is
 * the flight, which hands every concurrent caller one promise; the function's export alone is no
 * evidence that its runs overlap. (The usual fix of a double initialisation: wrap the existing
 * initialiser in a function that caches its promise.) Only when the export is the only source,
 * every reference to the function in the file is such a call, and there is at least one.
 */
function isExportedFlightBody(c: Candidate, why: RaceSource, model: ReturnType<typeof buildAsyncModel>): boolean {
  if (why.otherWriter || why.source.kind !== 'exported' || c.kind === 'use') return false;
  const fn = c.fn;
  const nameNode = ts.isFunctionDeclaration(fn) ? fn.name : (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  if (!nameNode) return false;
  const binding = model.scopes.resolve(nameNode);
  if (!binding) return false;
  let calls = 0;
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n !== nameNode && n.text === nameNode.text && model.scopes.resolve(n)?.declaration === binding.declaration) {
      const call = n.parent;
      if (ts.isCallExpression(call) && call.expression === n && !isWithin(call, fn) && model.idioms.isSingleFlight(call)) calls++;
      else if (!(ts.isExportSpecifier(call))) other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.getSourceFile());
  return !other && calls > 0;
}

function enclosingIf(n: ts.Node): ts.IfStatement | undefined {
  for (let p: ts.Node | undefined = n.parent; p && !ts.isBlock(p) && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isIfStatement(p)) return isWithin(n, p.expression) ? p : undefined;
  }
  return undefined;
}

function throwsOnly(s: ts.Statement): boolean {
  if (ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.length > 0 && s.statements.every((x) => ts.isThrowStatement(x) || ts.isExpressionStatement(x)) && ts.isThrowStatement(s.statements[s.statements.length - 1]);
}

/**
 * Whether the check tests a `const` (or an import) itself (`if (!api) return`, `api == null`):
 * nothing can assign it, so what the check found holds for the whole run; only what the object
 * contains can change, and a check of that (`api.ready`) is a check of another location.
 */
function testsConstItself(checked: ts.Node, scopes: Scopes): boolean {
  let t: ts.Node = checked;
  for (;;) {
    if (ts.isParenthesizedExpression(t) || (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken)) t = ts.isParenthesizedExpression(t) ? t.expression : t.operand;
    else if (ts.isBinaryExpression(t) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(t.operatorToken.kind) && isNullishLiteral(t.right)) t = t.left;
    else break;
  }
  if (!ts.isIdentifier(t)) return false;
  const b = scopes.resolve(t);
  return !!b && (b.kind === 'const' || b.kind === 'import');
}

/**
 * Whether anything in the file can take back what a truthiness check of a field found: an
 * assignment of `null`, `undefined`, `false`, `0` or `''` to a property of that name, or a
 * `delete` of it. A field that is only ever given new objects (a connection replaced on
 * reconnect) stays set, so using it after an await uses the current one, as intended.
 */
function isEverCleared(sf: ts.SourceFile, checked: ts.Node, scopes: Scopes, clearedByName: Map<string, boolean>, checker: () => ts.TypeChecker): boolean {
  let t: ts.Node = checked;
  // `!this.conn`, `(this.conn)`, `this.conn == null`: the field tested.
  for (;;) {
    if (ts.isParenthesizedExpression(t) || (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken)) t = ts.isParenthesizedExpression(t) ? t.expression : t.operand;
    else if (ts.isBinaryExpression(t) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(t.operatorToken.kind)) t = t.left;
    else break;
  }
  const target = ts.isPropertyAccessExpression(t) ? t : undefined;
  // (A collection's size changes without any assignment: `queue.length` is never "set".)
  if (!target || target.name.text === 'length' || target.name.text === 'size') return true;
  const name = target.name.text;
  const owner = target.expression.getText(sf).replace(/\s+/g, '');
  const cls = classOf(target);
  // (The answer depends only on the file, the name and the object: one walk of the file per pair, not per candidate.)
  const memo = `${owner}@${cls?.pos ?? -1}|${name}`;
  let cleared = clearedByName.get(memo);
  if (cleared === undefined) clearedByName.set(memo, (cleared = isNameEverCleared(sf, name, owner, cls, scopes, checker)));
  return cleared;
}

function isNameEverCleared(sf: ts.SourceFile, name: string, owner: string, cls: ts.ClassLikeDeclaration | undefined, scopes: Scopes, checker: () => ts.TypeChecker): boolean {
  const falsy = (e: ts.Expression): boolean => {
    const x = ts.isParenthesizedExpression(e) ? e.expression : e;
    if ([ts.SyntaxKind.NullKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.UndefinedKeyword].includes(x.kind) || ts.isVoidExpression(x)) return true;
    if (ts.isIdentifier(x) && x.text === 'undefined') return true;
    if (ts.isNumericLiteral(x) && Number(x.text) === 0) return true;
    return ts.isStringLiteralLike(x) && x.text === '';
  };
  let cleared = false;
  const visit = (n: ts.Node): void => {
    if (cleared) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = n.left;
      // A property of that name given a value that may be missing.
      if (ts.isPropertyAccessExpression(left) && left.name.text === name && (falsy(n.right) || (isMaybeFalsy(n.right, scopes) && !isTypedAsObject(n.right, checker())))) cleared = true;
      // A computed key on that object (or on `this`), or a destructuring, may name it too: assume
      // it does. (`headers[key] = v` on another object cannot reach `this.backend`.)
      if (ts.isElementAccessExpression(left) && !ts.isNumericLiteral(left.argumentExpression)) {
        const on = left.expression.getText(sf).replace(/\s+/g, '');
        if ((on === owner && owner !== 'this') || (on === 'this' && classOf(left) === cls)) cleared = true;
      }
      if (ts.isObjectLiteralExpression(left)) cleared = true;
    }
    if (ts.isDeleteExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === name) cleared = true;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return cleared;
}

/**
 * Whether the checker types a value as an object on every path (a class instance, an interface,
 * a function): never falsy, so assigning it sets the field (`this.backend = await
 * Backend.open()`). Unions with null or undefined, primitives, type parameters, any and unknown
 * may be falsy.
 */
function isTypedAsObject(e: ts.Expression, checker: ts.TypeChecker): boolean {
  const object = (t: ts.Type): boolean => (t.isUnion() ? t.types.every(object) : (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive)) !== 0);
  return object(checker.getTypeAtLocation(e));
}

/** `if (this.inflate) { await x; this.inflate.push(chunk) }`: the act calls a method of the object checked present. */
function isCallOnChecked(c: Candidate): boolean {
  if (c.kind !== 'act' || c.stale || !ts.isCallExpression(c.act) || !ts.isPropertyAccessExpression(c.act.expression)) return false;
  const checked = c.checkedRead ?? c.check;
  return ts.isPropertyAccessExpression(checked) && c.act.expression.expression.getText() === checked.getText();
}

/**
 * A value that may be missing: anything but a new object, a literal object, array or function,
 * or a `const` holding one (`const connection = new WebSocket(url)`).
 */
function isMaybeFalsy(e: ts.Expression, scopes: Scopes): boolean {
  const x = ts.isParenthesizedExpression(e) ? e.expression : e;
  const object = (v: ts.Expression) => ts.isNewExpression(v) || ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v) || ts.isArrowFunction(v) || ts.isFunctionExpression(v) || ts.isClassExpression(v) || ts.isTemplateExpression(v);
  if (object(x)) return false;
  if (!ts.isIdentifier(x)) return true;
  const b = scopes.resolve(x);
  const held = b?.kind === 'const' ? b.initializer : undefined;
  return !held || !object(ts.isParenthesizedExpression(held) ? held.expression : held);
}

/** Early returns while another run initialises, and the callers that then use unready state. */
function reportEarlyReturns(ctx: Parameters<RuleDefinition<Record<string, never>>['check']>[0], model: ReturnType<typeof buildAsyncModel>, fnNode: Parameters<typeof model.earlyReturnRace>[0]): void {
  const r = model.earlyReturnRace(fnNode);
  if (!r) return;
  const why = model.raceSource(r.init, r.flag);
  if (!why) return;
  const flag = describeLocation(r.flag);
  const init = quoteName(r.init);
  const firstCaller = r.uses[0];
  const state = describeLocation(firstCaller.location);
  const related = (write: ts.Node, extra: Array<{ node: ts.Node; message: string }>) => {
    const out = [{ node: r.check, message: 'checked here' }, { node: r.claim, message: 'claimed here, before the await' }, { node: r.suspension, message: 'other tasks can run here' }, { node: write, message: 'set only here, after the await' }, ...extra];
    const src = relatedSource(why);
    if (src) out.push(src);
    return out;
  };
  ctx.report({
    node: r.earlyReturn,
    message:
      `Early return while another call is still initialising: ${flag} is claimed before ${describeSuspension(r.suspension)}, but ${state} is ${firstCaller.viaKey ? `set up only by \`${snippet(firstCaller.write)}\`` : 'set only after it'}, on line ${lineOf(firstCaller.write)}. ` +
      `${cap(describeSource(why))}: a second call returns here at once, and ${quoteName(firstCaller.caller)} (line ${lineOf(firstCaller.call)}) then uses ${state} before it is ready. ` +
      `Keep the initialisation promise and return it instead (\`return (this.initPromise ??= this.doInit())\`).`,
    related: related(firstCaller.write, r.uses.map((u) => ({ node: u.use, message: 'used here, maybe before it is ready' }))),
  });
  for (const u of r.uses) {
    const used = describeLocation(u.location);
    const waited = ts.isAwaitExpression(u.call.parent) ? `await ${snippet(u.call)}` : `${snippet(u.call)}.then(…)`;
    const what = u.viaResult ? `the result of \`${waited}\` (${used}) is used right after it` : u.viaKey ? `the object passed to \`${waited}\` is used right after it (\`${snippet(ts.isReturnStatement(u.use.parent) ? u.use.parent : u.use)}\`)` : `${used} is used right after \`${waited}\``;
    ctx.report({
      node: u.use,
      message:
        `Check-then-use: ${what}, but ${init} returns at once (line ${lineOf(r.earlyReturn)}) while another call is still initialising, and ${used} is ${u.viaKey ? 'set up' : 'set'} only on line ${lineOf(u.write)}, after ${describeSuspension(r.suspension)}. ` +
        `${cap(describeSource(why))}, so the second caller gets here before it is set. Await the initialisation promise instead of a flag.`,
      related: related(u.write, [{ node: r.earlyReturn, message: 'a second call returns here' }]),
    });
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
