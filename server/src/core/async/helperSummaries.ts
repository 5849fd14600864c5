// Helper summaries: what a small function of this file does to shared state, seen from a call.
//
// Code often reaches shared state through helpers written next to it: `loadBalance()` returns a
// module variable, `getOptions()` reads a storage key, `this.getWallet(id)` selects a row,
// `writeTasks(tasks)` writes a file. For the race model a call of such a helper is the read or
// the write the helper does, as if it were written inline:
// - read: the helper's result comes from a shared location (the value read, or a part, a copy or
//   a parse of it);
// - write: the helper writes a shared location from one of its parameters, and does not read
//   that location itself on the way (a helper that reads the latest value and writes in one go
//   is an update of its own, not a blind write).
// Keys that name the helper's parameters are rewritten with the call's arguments (a helper that
// reads `storage.get(key)` called as `get(userKey)` reads the `userKey` entry); a key built from
// other locals of the helper is dropped, so the access is to the store as a whole.
// Helpers are functions, arrow constants and methods with a body in this file, reached without
// types (see LocationResolver.helperFunction). At most two levels of helpers are followed, and
// a helper that calls itself, directly or through another, has no summary.
import { ts } from 'ts-morph';
import { returnedValues } from '../syntax';
import { isAssignmentOperator, readsResolvedBy, skipParens } from './flow';
import { isAsyncFunction, isFunctionLike, type FunctionLike, type Scopes } from './scopes';
import { countedCollection, type CallAccess, type SharedLocation } from './sharedLocations';

/** What a summary needs from the location resolver. */
export interface LocationQueries {
  readonly sourceFile: ts.SourceFile;
  readonly scopes: Scopes;
  callAccess(call: ts.CallExpression, fn: FunctionLike): CallAccess | undefined;
  locationOf(expr: ts.Expression, fn: FunctionLike): SharedLocation | undefined;
}

export interface HelperSummary {
  /**
   * The shared location the helper's result is read from, and the read in its body; `tested` when
   * the result is a test of it (`return this.conn !== undefined`, `return !this.items.length`).
   */
  read?: { location: SharedLocation; node: ts.Node; tested?: boolean; search?: boolean };
  /** A shared location the helper writes from its parameters (their indexes), and the write. */
  write?: { location: SharedLocation; params: number[]; node: ts.Node; several?: boolean };
  /**
   * The rows and files a helper that writes several places stores from its parameters, each on its
   * own (`startRun(db, flow) { …insert a run…; await db.from('flows').update({ count: flow.count + 1 }) }`):
   * what the caller hands it is written to each of them as the caller had it.
   */
  storeWrites?: Array<{ location: SharedLocation; params: number[]; node: ts.Node }>;
  /**
   * A location the helper reads and writes back with a parameter merged in (`history.map((m) =>
   * m.id === updated.id ? updated : m)`): an update of its own, but what the parameter carries is
   * written as the caller had it.
   */
  merged?: { location: SharedLocation; params: number[]; node: ts.Node };
  /**
   * A synchronous helper that throws when a test of shared state holds (`enforceLimit() { if
   * (this.sent.length >= this.max) throw … }`): its caller goes on only when the test passed, so
   * the call checks that location as the test inline would.
   */
  throwsOn?: { location: SharedLocation; node: ts.Node };
  /**
   * A synchronous helper that adds to a collection in memory (`record() { this.sent.push(now) }`)
   * without looking at it first: the call changes it as the `push` inline would.
   */
  mutates?: { location: SharedLocation; node: ts.Node; entries?: SharedLocation[] };
  /**
   * A row, document or file the helper creates or removes in a store (`insert`, `create`, `mkdir`,
   * `delete`), directly or through a helper of its own, without looking at that place itself
   * first (`createCard(userId) { return db.card.create({ data: { userId } }) }`): the call is that
   * creation, keyed as the caller's arguments say, as the line inline would be.
   */
  creates?: { location: SharedLocation; node: ts.Node; params: number[]; several?: boolean };
}

/** One entry of a collection kept in memory (`this.byKey[k]`, `cache[k]`), not a store's or a file's. */
export function isEntryInMemory(l: SharedLocation): boolean {
  return l.entry !== undefined && !!l.collection && l.kind !== 'store' && l.kind !== 'file';
}

/** A field or variable kept in memory (not a store's key, a file, or a component's state slot). */
export function isFieldInMemory(l: SharedLocation): boolean {
  return l.kind === 'instance' || l.kind === 'static' || l.kind === 'module' || l.kind === 'captured';
}

/**
 * The tests of a helper's top-level `if (test) throw …` statements (no `else`; the throw alone or
 * ending a block, which may work out the message first), in order: its caller goes on only when
 * each test failed.
 */
function thrownTests(helper: FunctionLike): ts.Expression[] {
  const body = helper.body;
  if (!body || !ts.isBlock(body)) return [];
  const out: ts.Expression[] = [];
  for (const st of body.statements) {
    if (!ts.isIfStatement(st) || st.elseStatement) continue;
    let then: ts.Statement = st.thenStatement;
    if (ts.isBlock(then) && then.statements.length >= 1) then = then.statements[then.statements.length - 1];
    if (ts.isThrowStatement(then)) out.push(st.expression);
  }
  return out;
}

/** A function of no parameters whose one result is `node` itself: `() => client`, `get() { return this.conn }`. */
function isPlainGetter(helper: FunctionLike, node: ts.Node): boolean {
  const body = helper.body;
  if (!body || helper.parameters.length > 0) return false;
  if (!ts.isBlock(body)) return skipParens(body) === node;
  const only = body.statements.length === 1 ? body.statements[0] : undefined;
  return !!only && ts.isReturnStatement(only) && !!only.expression && skipParens(only.expression) === node;
}

/** A boolean literal's value; undefined for anything else. */
function booleanLiteral(e: ts.Expression): boolean | undefined {
  const v = skipParens(e);
  return v.kind === ts.SyntaxKind.TrueKeyword ? true : v.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
}

/** The boolean properties of an object literal written as `name: true|false`. */
function booleanProperties(e: ts.Expression): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const v = skipParens(e);
  if (!ts.isObjectLiteralExpression(v)) return out;
  for (const p of v.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const b = booleanLiteral(p.initializer);
    if (b !== undefined) out.set(p.name.text, b);
  }
  return out;
}

/** Two answers of a test: opposite boolean literals, or object literals with a boolean property set to opposite literals. */
function areOppositeAnswers(a: ts.Expression, b: ts.Expression): boolean {
  const x = booleanLiteral(a);
  const y = booleanLiteral(b);
  if (x !== undefined || y !== undefined) return x !== undefined && y !== undefined && x !== y;
  const pa = booleanProperties(a);
  const pb = booleanProperties(b);
  for (const [name, value] of pa) if (pb.has(name) && pb.get(name) !== value) return true;
  return false;
}

/** Methods by which a record saves itself (an ORM document, an active record). */
const RECORD_SAVES = new Set(['save', '$save']);
/** How many helpers deep a call is followed: a helper, and the helpers it calls. */
const MAX_DEPTH = 2;
const NO_SUMMARY: HelperSummary = {};

/** Calls that only reshape their argument: the result is the value read, parsed or copied. */
const CONVERSIONS = /^(JSON\.(parse|stringify)|structuredClone|Array\.from|Object\.(assign|fromEntries|values|entries)|Number|String|BigInt|parseInt|parseFloat|(_|lodash)\.(clone|cloneDeep)|cloneDeep)$/;
/** Collections built as a copy of the one they are given: `new Map(this.byId)`. */
const COPYING_CONSTRUCTORS = new Set(['Map', 'Set', 'Array']);
/** Methods whose result is computed from the object they are called on. */
/** Calls that add to a collection in place. */
const ADDING_METHODS = new Set(['push', 'unshift', 'add', 'set']);
/** Deriving methods that search a collection for a member: their answer says whether one matches. */
const SEARCHES = new Set(['find', 'findLast']);
const DERIVING_METHODS = new Set(['slice', 'map', 'filter', 'concat', 'flat', 'flatMap', 'find', 'findLast', 'toSorted', 'toReversed', 'toSpliced', 'with', 'split', 'trim', 'at', 'exec', 'lean', 'toArray', 'unwrap', 'first', 'promise']);

/** A name of the helper: a parameter, a local holding one value (`part`: a destructured part of it), or anything else. */
type LocalName = { param: number } | { init: ts.Expression; part?: boolean } | 'opaque';

export class HelperSummaries {
  private depth = 0;
  private readonly cache = Array.from({ length: MAX_DEPTH }, () => new Map<FunctionLike, HelperSummary>());
  private readonly inProgress = new Set<FunctionLike>();
  private readonly recursive = new Set<FunctionLike>();
  private readonly locals = new Map<FunctionLike, Map<string, LocalName>>();
  /**
   * The accesses of the calls in a helper's body, by depth: the passes over one body (its writes,
   * what it reads itself, what the written and returned values come from) ask about the same calls.
   * What a call of another helper stands for depends on the depth (the last level follows none),
   * so each depth keeps its own.
   */
  private readonly callAccesses = Array.from({ length: MAX_DEPTH + 1 }, () => new Map<ts.CallExpression, CallAccess | undefined>());

  constructor(private readonly q: LocationQueries) {}

  /**
   * The access a call of `helper` stands for: a read of what the helper returns, or a write of
   * what it stores from its parameters (with the arguments as the values written). Undefined when
   * the helper does neither, or both.
   */
  accessOf(call: ts.CallExpression, helper: FunctionLike): CallAccess | undefined {
    const summary = this.summaryOf(helper);
    if (!summary.read && !summary.write && (summary.throwsOn || summary.mutates)) {
      const name = skipParens(call.expression).getText(this.q.sourceFile).replace(/\s+/g, '');
      const only = summary.throwsOn && !summary.mutates ? summary.throwsOn : !summary.throwsOn ? summary.mutates : undefined;
      const location = only && this.atCall(only.location, helper, call);
      // (An async helper's test is of a store's rows, see throwingStoreTest.)
      if (!only || !location || !(isFieldInMemory(location) || (only === summary.throwsOn && location.kind === 'store' && isAsyncFunction(helper)))) return undefined;
      const at = this.through(location, name, only.node);
      return only === summary.throwsOn ? { mode: 'check', location: at, throwsOnTest: true } : { mode: 'mutate', location: at };
    }
    if (!summary.read && !summary.write && !summary.storeWrites && !summary.merged && summary.creates) {
      const name = skipParens(call.expression).getText(this.q.sourceFile).replace(/\s+/g, '');
      const location = this.atCall(summary.creates.location, helper, call);
      // (What it stores is what the caller hands it at the parameters the creation's values come from.)
      const values = summary.creates.params.map((i) => call.arguments[i]).filter((a): a is ts.Expression => !!a && !ts.isSpreadElement(a));
      return location && { mode: 'mutate', location: this.through(location, name, summary.creates.node), values };
    }
    if (!summary.read === !summary.write) return undefined;
    if (summary.read) {
      const name = skipParens(call.expression).getText(this.q.sourceFile).replace(/\s+/g, '');
      const location = this.atCall(summary.read.location, helper, call);
      // (Only the value is used: what it says is checked where it was read, not through helpers;
      // except a look-up of one entry of a collection in memory, `find(name) { return this.byName.get(name) }`,
      // whose answer is as good a check as the `get` written inline.)
      // (So is a predicate helper's test of a field in memory, `hasConnection() { return this.conn
      // !== undefined }`: `if (this.hasConnection()) return` checks the field as the test inline would.)
      // (And so is the answer of a plain getter of a field in memory, `const getClient = () => client`:
      // it hands back the field itself, so testing it tests the field.)
      // (And so is a search of a collection in memory, `find` or a loop returning the member it
      // matched: its answer says whether one is there, as the inline `find` does.)
      const checks = !!location && (isEntryInMemory(location) || (location.kind === 'store' && location.entry !== undefined && !!summary.read.tested) || ((!!summary.read.tested || !!summary.read.search || isPlainGetter(helper, summary.read.node)) && isFieldInMemory(location)));
      return location && { mode: 'read', location: this.through(location, name, summary.read.node), ...(checks ? {} : { valueOnly: true }) };
    }
    return this.writeAt(call, helper, summary.write!);
  }

  /**
   * The write-back of a helper that reads a location and writes it with a parameter merged in
   * (see HelperSummary.merged), as a write of the arguments at those parameters.
   */
  mergedWriteOf(call: ts.CallExpression, helper: FunctionLike): CallAccess | undefined {
    const m = this.summaryOf(helper).merged;
    return m && this.writeAt(call, helper, m);
  }

  private readonly savedMemo = new Map<FunctionLike, Array<{ param: number; node: ts.Node }>>();

  /**
   * The parameters a helper changes from their own values and then saves as records
   * (`bump(doc) { doc.hits += 1; doc.save(cb) }`): the call stands for that change and save of
   * the record it is handed, as the same lines inline would. Only a field changed from the record's
   * own value (`+=`, `++`, `doc.n = doc.n + 1`) and a `save()` of the same parameter in the helper's
   * own body.
   */
  savedRecordsOf(helper: FunctionLike): Array<{ param: number; node: ts.Node }> {
    const known = this.savedMemo.get(helper);
    if (known) return known;
    const out: Array<{ param: number; node: ts.Node }> = [];
    const names = new Map<string, number>();
    helper.parameters.forEach((p, i) => {
      if (ts.isIdentifier(p.name)) names.set(p.name.text, i);
    });
    const changed = new Set<number>();
    const saved = new Map<number, ts.Node>();
    const rootParam = (e: ts.Expression): number | undefined => {
      let x = skipParens(e);
      if (!ts.isPropertyAccessExpression(x) && !ts.isElementAccessExpression(x)) return undefined;
      while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipParens(x.expression);
      return ts.isIdentifier(x) ? names.get(x.text) : undefined;
    };
    const visit = (n: ts.Node): void => {
      if (n !== helper && (isFunctionLike(n) || ts.isClassLike(n))) return;
      if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
        const i = rootParam(n.left);
        if (i !== undefined && n.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionEqualsToken) {
          const sf = this.q.sourceFile;
          const target = skipParens(n.left).getText(sf);
          const mentions = (x: ts.Node): boolean => ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && x.getText(sf) === target) || !!ts.forEachChild(x, mentions);
          if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken || mentions(n.right)) changed.add(i);
        }
      } else if ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        const i = rootParam(n.operand as ts.Expression);
        if (i !== undefined) changed.add(i);
      } else if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(callee) && RECORD_SAVES.has(callee.name.text) && ts.isIdentifier(skipParens(callee.expression))) {
          const i = names.get((skipParens(callee.expression) as ts.Identifier).text);
          if (i !== undefined && !saved.has(i)) saved.set(i, n);
        }
      }
      ts.forEachChild(n, visit);
    };
    if (helper.body) visit(helper.body);
    for (const [param, node] of saved) if (changed.has(param)) out.push({ param, node });
    this.savedMemo.set(helper, out);
    return out;
  }

  /** The stores a helper that writes several places writes from its parameters, each seen at a call (see HelperSummary.storeWrites). */
  storeWritesOf(call: ts.CallExpression, helper: FunctionLike): CallAccess[] {
    const summary = this.summaryOf(helper);
    if (summary.write || summary.read || !summary.storeWrites) return [];
    return summary.storeWrites.map((w) => this.writeAt(call, helper, w)).filter((a): a is CallAccess => !!a);
  }

  /** A helper's write from its parameters, seen at a call: a write of the arguments at those parameters. */
  private writeAt(call: ts.CallExpression, helper: FunctionLike, w: { location: SharedLocation; params: number[]; node: ts.Node }): CallAccess | undefined {
    const values = w.params.map((i) => call.arguments[i]).filter((a): a is ts.Expression => !!a && !ts.isSpreadElement(a));
    const location = values.length > 0 ? this.atCall(w.location, helper, call) : undefined;
    const name = skipParens(call.expression).getText(this.q.sourceFile).replace(/\s+/g, '');
    return location && { mode: 'write', location: this.through(location, name, w.node), values };
  }

  /** A call's access inside a helper; through a helper of its own, the location that one's body touches. */
  private accessIn(call: ts.CallExpression, helper: FunctionLike): CallAccess | undefined {
    const known = this.callAccesses[this.depth];
    if (known.has(call)) return known.get(call);
    const access = this.q.callAccess(call, helper);
    const body = access?.location.alias?.through ? access.location.alias : undefined;
    const found = body ? { ...access!, location: body } : access;
    known.set(call, found);
    return found;
  }

  private through(location: SharedLocation, helper: string, node: ts.Node): SharedLocation {
    // Through a helper of a helper, the innermost access is the one to point at.
    const inner = location.through;
    return { ...location, alias: undefined, through: { helper, node: inner?.node ?? node, within: inner?.within ?? helper } };
  }

  summaryOf(helper: FunctionLike): HelperSummary {
    if (this.inProgress.has(helper)) {
      this.recursive.add(helper);
      return NO_SUMMARY;
    }
    if (this.depth >= MAX_DEPTH || this.recursive.has(helper)) return NO_SUMMARY;
    const level = this.cache[this.depth];
    const known = level.get(helper);
    if (known) return known;
    this.depth++;
    this.inProgress.add(helper);
    let summary: HelperSummary;
    try {
      summary = this.compute(helper);
    } finally {
      this.depth--;
      this.inProgress.delete(helper);
    }
    if (this.recursive.has(helper)) summary = NO_SUMMARY;
    level.set(helper, summary);
    return summary;
  }

  private compute(helper: FunctionLike): HelperSummary {
    const body = helper.body;
    if (!body) return NO_SUMMARY;
    const out: HelperSummary = {};
    const returned: ts.Expression[] = [];
    if (!ts.isBlock(body)) returned.push(body);
    const visit = (n: ts.Node): void => {
      if (n !== helper && (isFunctionLike(n) || ts.isClassLike(n))) return;
      if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
      if (!out.write?.several || out.storeWrites) {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const location = this.q.locationOf(n.left, helper);
          if (location && location.kind !== 'slot' && location.text !== 'this') this.considerWrite(out, helper, location, [n.right], n);
        } else if (ts.isCallExpression(n)) {
          const access = this.accessIn(n, helper);
          if (access?.mode === 'write' && access.location.kind !== 'slot') {
            // The key of a keyed write (`store.set(key, value)`) says where, not what.
            const values = access.values ?? [];
            const keyed = access.location.entry !== undefined && values.length >= 2 && values[0] === n.arguments[0];
            this.considerWrite(out, helper, access.location, keyed ? values.slice(1) : values, n);
            // (An entry in memory set under a key the helper is given, to a value of its own,
            // `track(key) { inProgress.set(key, Date.now()) }`, is that entry written all the same.)
            const key = n.arguments[0];
            if (!out.write && isEntryInMemory(access.location) && key && !ts.isSpreadElement(key) && !values.includes(key)) this.considerWrite(out, helper, access.location, [key], n);
          } else if (access?.mode === 'mutate' && access.entries?.length === 1 && isEntryInMemory(access.entries[0]) && n.arguments.length === 1 && ts.isPropertyAccessExpression(skipParens(n.expression)) && (skipParens(n.expression) as ts.PropertyAccessExpression).name.text === 'add') {
            // A member added to a set kept in memory (`mark(x) { claimed.add(x) }`) is that entry
            // written: the partner of a look-up of it, as `remember(k, v) { byKey.set(k, v) }` is.
            this.considerWrite(out, helper, access.entries[0], [n.arguments[0]], n);
          } else if (access?.mode === 'mutate' && (access.location.kind === 'store' || access.location.kind === 'file') && !access.location.resource?.startsWith('resource:')) {
            // (Only a creation in a store the body names, not one guessed from a callee's name.)
            const params = new Set<number>();
            for (const v of access.values ?? []) this.dependencies(v, helper, params, [], new Set());
            if (!out.creates) out.creates = { location: access.location, node: n, params: [...params].sort((a, b) => a - b) };
            else if (out.creates.location.key !== access.location.key) out.creates.several = true;
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    // A helper that looks at the location itself (reads it, checks it) before writing it is an
    // update of its own, not a write of what the caller hands it.
    if (out.write) {
      const written = out.write.location;
      // (The handle of a store, tested before use, `if (!this.client) return`, is not what the store
      // keeps: only a read of the store itself, or of the entry, is.)
      if (out.write.several || this.bodyReads(helper).some((r) => overlaps(r, written) && !isHandleOf(r, written))) delete out.write;
    }
    if (out.storeWrites) {
      // (Each only when the helper does not look at that place itself first: see above.)
      const reads = this.bodyReads(helper);
      const kept = out.write ? [] : out.storeWrites.filter((w) => !reads.some((r) => overlaps(r, w.location) && !isHandleOf(r, w.location)));
      if (kept.length > 0) out.storeWrites = kept;
      else delete out.storeWrites;
    }
    // (A helper that creates in more than one place, or looks at the place first, decides on its own.)
    if (out.creates && (out.creates.several || this.bodyReads(helper).some((r) => overlaps(r, out.creates!.location) && !isHandleOf(r, out.creates!.location)))) delete out.creates;
    // (A leading test of an entry in memory answers first: what comes back after the await is the slow part.)
    const guard = out.write ? undefined : this.guardClauseTest(helper);
    if (guard) out.read = { ...guard, tested: true };
    for (const e of guard ? [] : returned) {
      const found = this.sourceOf(e, helper, new Set());
      if (found) {
        out.read = found;
        break;
      }
      const tested = this.testedSource(e, helper);
      if (tested) {
        out.read = { ...tested, tested: true };
        break;
      }
      // (A count of the members of a collection, `let n = 0; for (const s of this.sessions.values())
      // if (…) n += 1; return n`, reports how many it holds, as `return this.sessions.size` does.)
      const counted = this.countedSource(e, helper);
      if (counted) {
        out.read = { ...counted, tested: true };
        break;
      }
    }
    if (!out.read && !out.write) {
      const answered = this.answeredTest(helper);
      if (answered) out.read = { ...answered, tested: true };
    }
    if (!out.read && !out.write && !out.merged && !isAsyncFunction(helper)) {
      const thrown = this.throwingTest(helper);
      if (thrown) out.throwsOn = thrown;
      const added = this.addedTo(helper);
      if (added) out.mutates = added;
    }
    if (!out.read && !out.write && !out.merged && !out.creates && isAsyncFunction(helper)) {
      const thrown = this.throwingStoreTest(helper);
      if (thrown) out.throwsOn = thrown;
    }
    return out;
  }

  /**
   * The test of a store's rows an async helper throws on: a statement of its body `if (test) throw
   * …` (see thrownTests), `test` a test of what a query of the helper answered (`count >= limit`, `existing !==
   * null`, `!rows.length`), the other side of a comparison no part of that answer. The caller goes
   * on only when the rows were as the test wanted (`await assertCap(orgId)` … `insert(…)`), as with
   * the test inline.
   */
  private throwingStoreTest(helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    for (const test of thrownTests(helper)) {
      const tested = this.testedSource(test, helper) ?? this.comparedSource(test, helper) ?? this.queriedTest(test, helper);
      if (tested && tested.location.kind === 'store') return tested;
    }
    return undefined;
  }

  /** The store query whose answer a value of the helper is (`const n = await db.t.count(q)`): a count or existence check is no read of a value, but its answer is what a test of it tests. */
  private queriedBy(expr: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    let e = unwrap(expr);
    // (Through a default and the fields of the answer: `row?.n ?? 0`.)
    for (;;) {
      if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken) && ts.isLiteralExpression(unwrap(e.right))) e = unwrap(e.left);
      else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
      else break;
    }
    if (ts.isIdentifier(e)) {
      const local = this.localNames(helper).get(e.text);
      if (!local || typeof local !== 'object' || !('init' in local)) return undefined;
      e = unwrap(local.init);
    }
    if (!ts.isCallExpression(e)) return undefined;
    const access = this.accessIn(e, helper);
    return access && (access.mode === 'read' || access.mode === 'check') && access.location.kind === 'store' ? { location: access.location, node: e } : undefined;
  }

  /** A test of a query's answer against a constant or by itself (`n >= 5`, `!found`, `existing`). */
  private queriedTest(cond: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    let e = unwrap(cond);
    while (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) e = unwrap(e.operand);
    if (!ts.isBinaryExpression(e)) return this.queriedBy(e, helper);
    const constant = (x: ts.Expression) => {
      const v = unwrap(x);
      return ts.isLiteralExpression(v) || v.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(v) && v.text === 'undefined');
    };
    const other = constant(e.right) ? e.left : constant(e.left) ? e.right : undefined;
    return other && this.queriedBy(other, helper);
  }

  /** The one side of a comparison that comes from a shared read, the other side from elsewhere: `n >= plan.max`. */
  private comparedSource(cond: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    const e = unwrap(cond);
    if (!ts.isBinaryExpression(e) || ![ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken].includes(e.operatorToken.kind)) return undefined;
    // (A side may add to what was read: `(row?.n ?? 0) + adding > CAP`.)
    const side = (x: ts.Expression): { location: SharedLocation; node: ts.Node } | undefined => {
      const v = unwrap(x);
      if (ts.isBinaryExpression(v) && (v.operatorToken.kind === ts.SyntaxKind.PlusToken || v.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
        const l = side(v.left);
        const r = side(v.right);
        return l && r ? undefined : (l ?? r);
      }
      // (A module constant written as a literal, `COMPETITOR_CAP`, is configuration, not state.)
      if (this.isLiteralConstant(v)) return undefined;
      return this.sourceOf(v, helper, new Set()) ?? this.queriedBy(v, helper);
    };
    const left = side(e.left);
    const right = side(e.right);
    if (left && right) return undefined;
    return left ?? right;
  }

  /**
   * The test a helper answers with constants. Its body ends with `if (test) { …; return A }`
   * and then `return B` (or the same in an `else`), where A and B are opposite boolean literals,
   * or object literals whose shared boolean property takes opposite literal values (`{ conflict:
   * true, message }` and `{ conflict: false, message: '' }`), and `test` tests a shared read of
   * the helper (`conflicts.length > 0` on the rows a SELECT returned, `row !== undefined`, `!found`).
   * The caller receives the outcome of that test as if it had made it: `const { conflict } = await
   * checkConflict(…)` then `if (conflict) return` checks what the helper's query read.
   */
  private answeredTest(helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    const body = helper.body;
    if (!body || !ts.isBlock(body)) return undefined;
    const statements = body.statements;
    const last = statements[statements.length - 1];
    let test: ts.IfStatement | undefined;
    let whenTrue: ts.Expression | undefined;
    let whenFalse: ts.Expression | undefined;
    const returnedAtEnd = (st: ts.Statement | undefined): ts.Expression | undefined => {
      if (!st) return undefined;
      if (ts.isBlock(st)) st = st.statements[st.statements.length - 1];
      return st && ts.isReturnStatement(st) && st.expression ? st.expression : undefined;
    };
    if (last && ts.isIfStatement(last) && last.elseStatement) {
      test = last;
      whenTrue = returnedAtEnd(last.thenStatement);
      whenFalse = returnedAtEnd(last.elseStatement);
    } else if (last && ts.isReturnStatement(last) && last.expression && statements.length >= 2) {
      const before = statements[statements.length - 2];
      if (ts.isIfStatement(before) && !before.elseStatement) {
        test = before;
        whenTrue = returnedAtEnd(before.thenStatement);
        whenFalse = last.expression;
      }
    }
    if (!test || !whenTrue || !whenFalse || !areOppositeAnswers(whenTrue, whenFalse)) return undefined;
    const cond = test.expression;
    return this.testedSource(cond, helper) ?? this.sourceOf(cond, helper, new Set());
  }

  /**
   * A predicate that answers from an entry of a collection in memory first, and only then asks
   * something slow: `async isTaken(p) { if (claimed.has(p)) return true; await stat(p); … }`.
   * Its answer carries that test, made before its own await: a caller that finds the answer
   * `false` and then adds the entry (`if (!(await isTaken(p))) claimed.add(p)`) acts on a test
   * another run can also have passed meanwhile. Only a leading `if (test) return true|false`
   * in an async function.
   */
  private guardClauseTest(helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    if (!helper.body || !ts.isBlock(helper.body) || !isAsyncFunction(helper)) return undefined;
    const first = helper.body.statements[0];
    if (!first || !ts.isIfStatement(first) || first.elseStatement) return undefined;
    let then: ts.Statement = first.thenStatement;
    if (ts.isBlock(then) && then.statements.length === 1) then = then.statements[0];
    if (!ts.isReturnStatement(then) || !then.expression || (then.expression.kind !== ts.SyntaxKind.TrueKeyword && then.expression.kind !== ts.SyntaxKind.FalseKeyword)) return undefined;
    let cond = unwrap(first.expression);
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) cond = unwrap(cond.operand);
    if (!ts.isCallExpression(cond)) return undefined;
    const access = this.accessIn(cond, helper);
    if (!access || access.mode !== 'read' || !isEntryInMemory(access.location)) return undefined;
    return { location: access.location, node: cond };
  }

  /**
   * The test of shared state a synchronous helper throws on: a statement of its body `if (test)
   * throw …` (see thrownTests), `test` a test of a field or collection in memory
   * (`this.sent.length >= this.max`, `!this.ready`).
   */
  private throwingTest(helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    for (const test of thrownTests(helper)) {
      const tested = this.testedSource(test, helper) ?? this.countedInTest(test, helper);
      if (tested && isFieldInMemory(tested.location)) return tested;
    }
    return undefined;
  }

  /**
   * What a comparison against a bound tests: the collection in memory whose size it compares
   * (`this.sent.length >= this.max`), or else the one side that is a field in memory
   * (`this.used >= limit`, with `limit` a local).
   */
  private countedInTest(cond: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    const e = unwrap(cond);
    if (!ts.isBinaryExpression(e) || ![ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken].includes(e.operatorToken.kind)) return undefined;
    for (const side of [e.left, e.right]) {
      const x = unwrap(side);
      if (!ts.isPropertyAccessExpression(x) || (x.name.text !== 'length' && x.name.text !== 'size')) continue;
      const location = this.q.locationOf(x.expression, helper);
      if (location && isFieldInMemory(location)) return { location, node: x };
    }
    const fields = [e.left, e.right].map((side) => ({ side, location: this.q.locationOf(unwrap(side), helper) })).filter((f) => !!f.location && isFieldInMemory(f.location));
    return fields.length === 1 ? { location: fields[0].location!, node: fields[0].side } : undefined;
  }

  /**
   * The collection in memory a synchronous helper adds to (`push`, `add`, `set`, `unshift`) when
   * it does not read it otherwise: one such call in its body, not inside a loop or a callback.
   */
  private addedTo(helper: FunctionLike): { location: SharedLocation; node: ts.Node; entries?: SharedLocation[] } | undefined {
    const body = helper.body;
    if (!body || !ts.isBlock(body)) return undefined;
    let found: { location: SharedLocation; node: ts.Node; entries?: SharedLocation[] } | undefined;
    let several = false;
    const visit = (n: ts.Node): void => {
      if (several || isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        const access = ts.isPropertyAccessExpression(callee) && ADDING_METHODS.has(callee.name.text) ? this.accessIn(n, helper) : undefined;
        if (access?.mode === 'mutate' && isFieldInMemory(access.location)) {
          for (let p: ts.Node = n.parent; p !== body; p = p.parent) if (ts.isIterationStatement(p, false)) return;
          if (found) several = true;
          found = { location: access.location, node: n, ...(access.entries ? { entries: access.entries } : {}) };
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    if (!found || several) return undefined;
    const added = found.location;
    return this.bodyReads(helper).some((r) => overlaps(r, added)) ? undefined : found;
  }

  /** Records a write of `location` from `values` when they come from parameters, not from the location itself. */
  private considerWrite(out: HelperSummary, helper: FunctionLike, location: SharedLocation, values: readonly ts.Expression[], node: ts.Node): void {
    const isStored = location.kind === 'store' || location.kind === 'file';
    // (Past the second place written, only the stores and files are listed, see storeWrites.)
    if (out.write?.several && !isStored) return;
    const params = new Set<number>();
    const read: SharedLocation[] = [];
    for (const v of values) this.dependencies(v, helper, params, read, new Set());
    if (params.size === 0) return;
    const write = { location, params: [...params].sort((a, b) => a - b), node };
    if (out.write?.several) {
      if (!read.some((r) => overlaps(r, location))) (out.storeWrites ??= []).push(write);
      return;
    }
    if (read.some((r) => overlaps(r, location))) {
      // (Only a value put in place whole, `m.id === x.id ? x : m`, `{ ...all, [x.id]: x }`; a
      // parameter added to the fresh value, `this.used + units`, is an update of its own.)
      if (values.some((v) => this.placesParameter(v, helper))) out.merged = out.merged && out.merged.location.key !== location.key ? undefined : (out.merged ?? write);
      return;
    }
    if (isStored) (out.storeWrites ??= []).push(write);
    // A helper that stores into several places (`_patch(data)` setting field after field) applies
    // a record; only a helper that writes one place stands for a write of it.
    if (out.write && out.write.location.key !== location.key) {
      out.write.several = true;
      return;
    }
    out.write ??= { ...write };
  }

  /** Whether a parameter of the helper is put whole into the value: a branch, a property, an element, a spread. */
  private placesParameter(value: ts.Expression, helper: FunctionLike): boolean {
    const names = this.localNames(helper);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && isValueName(n)) {
        const local = names.get(n.text);
        const p = n.parent;
        const placed = (ts.isConditionalExpression(p) && p.condition !== n) || (ts.isPropertyAssignment(p) && p.initializer === n) || ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || ts.isSpreadElement(p) || ts.isArrayLiteralExpression(p);
        if (placed && local && typeof local === 'object' && 'param' in local) found = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(value);
    return found;
  }

  /** The shared read a returned value comes from: itself, a part of it, or a copy, parse or default of it. */
  private sourceOf(expr: ts.Expression, helper: FunctionLike, seen: Set<ts.Node>): { location: SharedLocation; node: ts.Node; search?: boolean } | undefined {
    const e = unwrap(expr);
    if (seen.has(e)) return undefined;
    seen.add(e);
    // (A promise made around a callback read settles with what the read handed its callback:
    // `return new Promise((resolve) => storage.get(k, (items) => resolve(items[k])))`.)
    if (ts.isNewExpression(e)) {
      for (const r of readsResolvedBy(e)) {
        const access = this.accessIn(r, helper);
        if (access?.mode === 'read' && access.location.kind !== 'slot') return { location: access.location, node: r };
      }
    }
    if (ts.isCallExpression(e)) {
      const callee = skipParens(e.expression);
      const calleeText = callee.getText(this.q.sourceFile);
      // (`Object.assign({}, this.settings)` copies what follows its empty target.)
      if (calleeText === 'Object.assign') {
        for (const a of e.arguments) {
          const found = ts.isSpreadElement(a) ? undefined : this.sourceOf(a, helper, seen);
          if (found && !this.isLiteralConstant(a)) return found;
        }
        return undefined;
      }
      if (CONVERSIONS.test(calleeText) && e.arguments[0]) return this.sourceOf(e.arguments[0], helper, seen);
      // (A value handed back as a settled promise, `return Promise.resolve(found)`, is that value.)
      if (calleeText === 'Promise.resolve' && e.arguments.length === 1) return this.sourceOf(e.arguments[0], helper, seen);
      if (ts.isPropertyAccessExpression(callee) && DERIVING_METHODS.has(callee.name.text)) {
        const from = this.sourceOf(callee.expression, helper, seen);
        // (`find` answers whether a matching member is there: a search of the collection.)
        if (from) return SEARCHES.has(callee.name.text) ? { ...from, search: true } : from;
      }
      // `storage.get(K).then((items) => items[K] ?? fallback)`: what the callback makes of the value read.
      const cb = e.arguments[0] && skipParens(e.arguments[0]);
      // (Or a conversion handed over by name: `readFile(p, 'utf8').then(JSON.parse)`.)
      const converts = !!cb && (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) && CONVERSIONS.test(cb.getText(this.q.sourceFile));
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && cb && (converts || ((ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && usesFirstParameter(cb)))) {
        const from = this.sourceOf(callee.expression, helper, seen);
        if (from) return from;
      }
      // (Or what the callback hands on, read there: `pathExists(p).then((ok) => (ok ? readFile(p,
      // 'utf8') : undefined))` settles with the file's text.)
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && e.arguments[0] === cb) {
        for (const r of returnedValues(cb)) {
          const from = this.sourceOf(r, helper, seen);
          if (from) return from;
        }
      }
      const access = this.accessIn(e, helper);
      return access?.mode === 'read' && access.location.kind !== 'slot' ? { location: access.location, node: e } : undefined;
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const location = this.q.locationOf(e, helper);
      if (location) return location.kind === 'slot' || location.text === 'this' ? undefined : { location, node: e };
      if (ts.isIdentifier(e)) {
        // (The member a loop over a collection hands back when it matches, `for (const r of
        // this.requests) if (same(r, q)) return r`: a search of that collection, as `find` is.)
        const searched = this.searchedCollection(e, helper);
        if (searched) {
          const from = this.sourceOf(searched, helper, seen);
          if (from) return { ...from, search: true };
        }
        const local = this.localNames(helper).get(e.text);
        if (local === 'opaque') return this.assignedSource(e.text, helper, seen);
        return local && typeof local === 'object' && 'init' in local ? this.sourceOf(local.init, helper, seen) : undefined;
      }
      // A field or entry of a value read (`stored[key]`, `rows[0]`).
      return this.sourceOf(e.expression, helper, seen);
    }
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return this.sourceOf(e.left, helper, seen) ?? this.sourceOf(e.right, helper, seen);
    }
    if (ts.isConditionalExpression(e)) return this.sourceOf(e.whenTrue, helper, seen) ?? this.sourceOf(e.whenFalse, helper, seen);
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && COPYING_CONSTRUCTORS.has(e.expression.text) && e.arguments?.length === 1) return this.sourceOf(e.arguments[0], helper, seen);
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) {
      // A merge over constant defaults (`{ ...DEFAULTS, ...stored }`) comes from what was read:
      // a module constant written as a literal is configuration, not state.
      const spreads = ts.isObjectLiteralExpression(e) ? e.properties.filter(ts.isSpreadAssignment) : e.elements.filter(ts.isSpreadElement);
      let fallback: { location: SharedLocation; node: ts.Node } | undefined;
      for (const p of spreads) {
        const found = this.sourceOf(p.expression, helper, seen);
        if (found && !this.isLiteralConstant(p.expression)) return found;
        fallback ??= found;
      }
      if (fallback || spreads.length > 0 || !ts.isObjectLiteralExpression(e)) return fallback;
      // A record rebuilt field by field from one value read (`return { id: raw.id, items:
      // JSON.parse(raw.items) }`) is that value in another shape: every field that is not a
      // constant comes from the same location. (A field made of something else that is no shared
      // read, the path the helper resolved, a size, `{ fullPath, lines: text.split('\n'), bytes:
      // Buffer.byteLength(text) }`, rides along with the value.)
      let from: { location: SharedLocation; node: ts.Node } | undefined;
      const derived: SharedLocation[] = [];
      for (const p of e.properties) {
        const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
        if (!value) return undefined;
        // (Constants, and the parameters the caller passed, such as the key, are no part of the read.)
        const v = skipParens(value);
        if (ts.isLiteralExpression(v)) continue;
        if (ts.isIdentifier(v)) {
          const local = this.localNames(helper).get(v.text);
          if (local && typeof local === 'object' && 'param' in local) continue;
        }
        // (Each field is traced on its own: they share the local they come from.)
        const found = this.sourceOf(value, helper, new Set(seen));
        if (!found) {
          // (The functions it calls, `Buffer.byteLength`, an imported `readFile`, are no state.)
          for (const l of this.sharedReadsOf(value, helper)) if (!isCode(l)) derived.push(l);
          continue;
        }
        if (from && found.location.key !== from.location.key) return undefined;
        from ??= found;
      }
      // (A field computed from the same read, `Buffer.byteLength(text)`, is part of it; from another, not.)
      if (from && derived.some((l) => l.key !== from!.location.key)) return undefined;
      return from;
    }
    return undefined;
  }

  /**
   * The shared read a variable of the helper holds when it is set in branches (`let v; if (k in
   * counters) v = counters[k]; else v = 0; return v`): every value put in it is a constant or comes
   * from one and the same location. A variable also changed in place (`v += 1`, `v++`), set in a
   * loop or by destructuring holds something else.
   */
  private assignedSource(name: string, helper: FunctionLike, seen: Set<ts.Node>): { location: SharedLocation; node: ts.Node } | undefined {
    const body = helper.body;
    if (!body || !ts.isBlock(body)) return undefined;
    const values: ts.Expression[] = [];
    let ok = true;
    let declared = false;
    const isName = (x: ts.Expression) => ts.isIdentifier(skipParens(x)) && (skipParens(x) as ts.Identifier).text === name;
    const visit = (n: ts.Node): void => {
      if (!ok || (n !== helper && (isFunctionLike(n) || ts.isClassLike(n)))) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
        if (declared || !ts.isVariableDeclarationList(n.parent) || ts.isForOfStatement(n.parent.parent) || ts.isForInStatement(n.parent.parent)) ok = false;
        declared = true;
        if (n.initializer) values.push(n.initializer);
      } else if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && isName(n.left)) {
        if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken) ok = false;
        for (let p: ts.Node = n.parent; p !== body; p = p.parent) if (ts.isIterationStatement(p, false)) ok = false;
        values.push(n.right);
      } else if ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && isName(n.operand as ts.Expression) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        ok = false;
      } else if ((ts.isArrayLiteralExpression(n) || ts.isObjectLiteralExpression(n)) && ts.isBinaryExpression(n.parent) && n.parent.left === n) {
        ok = false;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    if (!ok || !declared || values.length === 0) return undefined;
    let from: { location: SharedLocation; node: ts.Node } | undefined;
    const created: SharedLocation[] = [];
    for (const v of values) {
      const x = skipParens(v);
      if (ts.isLiteralExpression(x) || x.kind === ts.SyntaxKind.NullKeyword || x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || this.isLiteralConstant(x)) continue;
      if ((ts.isObjectLiteralExpression(x) && x.properties.length === 0) || (ts.isArrayLiteralExpression(x) && x.elements.length === 0)) continue;
      const found = this.sourceOf(v, helper, seen);
      // (Get-or-create: `let row = await find(k); if (!row) row = (await insert(k).returning())[0]`
      // hands back the row of that store either way, found or just created there.)
      const made = found ? undefined : this.createdIn(v, helper, 0);
      if (made) {
        created.push(made);
        continue;
      }
      if (!found || (from && found.location.key !== from.location.key)) return undefined;
      from ??= found;
    }
    if (from && created.some((c) => c.resource === undefined ? c.key !== from!.location.key : c.resource !== from!.location.resource)) return undefined;
    return from;
  }

  /**
   * The collection a returned name iterates, when the name is the variable of a `for … of` loop of
   * the helper over it (`for (const r of this.requests)`) and is returned from inside that loop.
   */
  private searchedCollection(id: ts.Identifier, helper: FunctionLike): ts.Expression | undefined {
    for (let p: ts.Node | undefined = id.parent; p && p !== helper; p = p.parent) {
      if (!ts.isForOfStatement(p) || !ts.isVariableDeclarationList(p.initializer)) continue;
      if (p.initializer.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === id.text)) return p.expression;
    }
    return undefined;
  }

  /** The store a value was made in by a creation of the helper: `r[0]` of `const r = await db.insert(t).values(v).returning()`. */
  private createdIn(expr: ts.Expression, helper: FunctionLike, depth: number): SharedLocation | undefined {
    const e = unwrap(expr);
    if (depth > 4) return undefined;
    if (ts.isIdentifier(e)) {
      const local = this.localNames(helper).get(e.text);
      return local && typeof local === 'object' && 'init' in local ? this.createdIn(local.init, helper, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return this.createdIn(e.expression, helper, depth + 1);
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return this.createdIn(e.left, helper, depth + 1);
    if (!ts.isCallExpression(e)) return undefined;
    const access = this.accessIn(e, helper);
    return access && (access.mode === 'mutate' || access.mode === 'write') && access.location.kind === 'store' ? access.location : undefined;
  }

  /** What a returned test reads: `this.conn !== undefined`, `!this.ready`, `!!this.timer`, `this.items.length > 0`. */
  private testedSource(expr: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    const e = unwrap(expr);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = unwrap(e.operand);
      return this.testedSource(inner, helper) ?? this.sourceOf(inner, helper, new Set());
    }
    if (!ts.isBinaryExpression(e)) return undefined;
    const op = e.operatorToken.kind;
    // A conjunction or disjunction of tests answers from what its tests read: `expiresAt !==
    // undefined && expiresAt > Date.now()` (with `expiresAt` read from the entry) tests the entry.
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return this.testedSource(e.left, helper) ?? this.testedSource(e.right, helper);
    if (![ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanEqualsToken].includes(op)) return undefined;
    // One side a constant (`undefined`, `null`, a literal), the other what is tested.
    const constant = (x: ts.Expression) => {
      const v = unwrap(x);
      return ts.isLiteralExpression(v) || v.kind === ts.SyntaxKind.NullKeyword || v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(v) && v.text === 'undefined');
    };
    const other = constant(e.right) ? e.left : constant(e.left) ? e.right : undefined;
    return other && this.sourceOf(other, helper, new Set());
  }

  /**
   * The collection a returned counter counts: a `let` of the helper set to 0 whose only changes
   * are increments inside `for … of` loops over the members of one shared collection.
   */
  private countedSource(expr: ts.Expression, helper: FunctionLike): { location: SharedLocation; node: ts.Node } | undefined {
    const e = unwrap(expr);
    const body = helper.body;
    if (!ts.isIdentifier(e) || !body || !ts.isBlock(body)) return undefined;
    let declared = false;
    let found: { location: SharedLocation; node: ts.Node } | undefined;
    let ok = true;
    const isCounter = (x: ts.Expression) => ts.isIdentifier(skipParens(x)) && (skipParens(x) as ts.Identifier).text === e.text;
    const visit = (n: ts.Node): void => {
      if (!ok || (n !== helper && (isFunctionLike(n) || ts.isClassLike(n)))) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text) {
        const init = n.initializer && skipParens(n.initializer);
        if (declared || !(n.parent.flags & ts.NodeFlags.Let) || !init || !ts.isNumericLiteral(init) || init.text !== '0') ok = false;
        declared = true;
      }
      const increment =
        ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && n.operator === ts.SyntaxKind.PlusPlusToken && isCounter(n.operand)) ||
        (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && isCounter(n.left) && ts.isNumericLiteral(skipParens(n.right)));
      const otherWrite =
        !increment &&
        (((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && isCounter(n.operand)) ||
          (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && isCounter(n.left)));
      if (otherWrite) ok = false;
      if (increment) {
        let loop: ts.Node | undefined = n.parent;
        while (loop && loop !== body && !ts.isForOfStatement(loop)) loop = loop.parent;
        const members = loop && ts.isForOfStatement(loop) ? skipParens(loop.expression) : undefined;
        const collection = members && (countedCollection(members) ?? members);
        const location = collection && this.q.locationOf(collection, helper);
        if (!location || location.kind === 'slot' || location.text === 'this' || (found && found.location.key !== location.key)) ok = false;
        else found ??= { location: { ...location, collection: location.key }, node: members! };
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return ok && declared ? found : undefined;
  }

  /** A module `const` initialized with a literal (`const DEFAULTS = { theme: 'light' }`). */
  private isLiteralConstant(expr: ts.Expression): boolean {
    const e = skipParens(expr);
    const b = ts.isIdentifier(e) ? this.q.scopes.resolve(e) : undefined;
    const d = b?.declaration;
    if (!b || !ts.isSourceFile(b.owner) || !d || !ts.isVariableDeclaration(d) || !(d.parent.flags & ts.NodeFlags.Const) || !d.initializer) return false;
    let init = skipParens(d.initializer);
    while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isTypeAssertionExpression(init)) init = skipParens(init.expression);
    return ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init) || ts.isLiteralExpression(init);
  }

  /** The shared locations a value of the helper is computed from (through its locals). */
  private sharedReadsOf(value: ts.Expression, helper: FunctionLike): SharedLocation[] {
    const read: SharedLocation[] = [];
    this.dependencies(value, helper, new Set(), read, new Set());
    return read;
  }

  /** The shared locations a helper's body reads or checks (not the paths it writes through). */
  private bodyReads(helper: FunctionLike): SharedLocation[] {
    const out: SharedLocation[] = [];
    const visit = (n: ts.Node): void => {
      if (n !== helper && (isFunctionLike(n) || ts.isClassLike(n))) return;
      if (ts.isCallExpression(n)) {
        const access = this.accessIn(n, helper);
        if (access?.mode === 'read' || access?.mode === 'check') out.push(access.location);
      } else if ((ts.isIdentifier(n) && isValueName(n)) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
        // (A non-null assertion or a cast on the way to a member, `this.client!.set(k, v)`, is on the way too.)
        let at: ts.Node = n;
        while (ts.isNonNullExpression(at.parent) || ts.isParenthesizedExpression(at.parent) || ts.isAsExpression(at.parent)) at = at.parent;
        const p = at.parent;
        const onTheWay = (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === at;
        const target = ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
        const callee = ts.isCallExpression(p) && p.expression === n;
        const location = onTheWay || target || callee ? undefined : this.q.locationOf(n as ts.Expression, helper);
        if (location && location.text !== 'this') out.push(location);
      }
      ts.forEachChild(n, visit);
    };
    if (helper.body) visit(helper.body);
    return out;
  }

  /** The parameters and shared locations a value is computed from, through the helper's locals. */
  private dependencies(expr: ts.Node, helper: FunctionLike, params: Set<number>, read: SharedLocation[], seen: Set<ts.Node>): void {
    const visit = (n: ts.Node): void => {
      if (seen.has(n)) return;
      seen.add(n);
      if (ts.isIdentifier(n)) {
        if (!isValueName(n)) return;
        const local = this.localNames(helper).get(n.text);
        if (local && typeof local === 'object' && 'param' in local) params.add(local.param);
        else if (local && typeof local === 'object') visit(local.init);
        else if (!local) {
          const location = this.q.locationOf(n, helper);
          if (location) read.push(location);
        }
        return;
      }
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
        const location = this.q.locationOf(n, helper);
        if (location && location.text !== 'this') {
          read.push(location);
          return;
        }
      }
      if (ts.isCallExpression(n)) {
        const access = this.accessIn(n, helper);
        if (access?.mode === 'read' || access?.mode === 'check') read.push(access.location);
      }
      ts.forEachChild(n, visit);
    };
    visit(expr);
  }

  /** The helper's own names: parameters (by index), constants and variables assigned once (by initializer), others. */
  private localNames(helper: FunctionLike): Map<string, LocalName> {
    let names = this.locals.get(helper);
    if (names) return names;
    names = new Map();
    const opaque = new Set<string>();
    helper.parameters.forEach((p, i) => {
      const add = (name: ts.BindingName): void => {
        if (ts.isIdentifier(name)) names!.set(name.text, { param: i });
        else for (const el of name.elements) if (!ts.isOmittedExpression(el)) add(el.name);
      };
      add(p.name);
    });
    const assigned = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (n !== helper && isFunctionLike(n)) {
        if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) && n.name) opaque.add(n.name.text);
        return;
      }
      if (ts.isVariableDeclaration(n)) {
        if (ts.isIdentifier(n.name) && n.initializer) names!.set(n.name.text, { init: n.initializer });
        else if (ts.isIdentifier(n.name)) opaque.add(n.name.text);
        else {
          // `const [row] = await select(…)`, `const { data } = await get(…)`: parts of the value.
          const init = n.initializer;
          const add = (name: ts.BindingName): void => {
            if (ts.isIdentifier(name)) {
              if (init) names!.set(name.text, { init, part: true });
              else opaque.add(name.text);
            } else for (const el of name.elements) if (!ts.isOmittedExpression(el)) add(el.name);
          };
          add(n.name);
        }
      } else if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && ts.isIdentifier(skipParens(n.left))) {
        assigned.add((skipParens(n.left) as ts.Identifier).text);
      } else if (ts.isCatchClause(n) && n.variableDeclaration && ts.isIdentifier(n.variableDeclaration.name)) {
        opaque.add(n.variableDeclaration.name.text);
      } else if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && ts.isVariableDeclarationList(n.initializer)) {
        for (const d of n.initializer.declarations) if (ts.isIdentifier(d.name)) opaque.add(d.name.text);
      }
      ts.forEachChild(n, visit);
    };
    if (helper.body) visit(helper.body);
    // A variable assigned again holds more than its initializer (still local, but no longer one value).
    for (const name of assigned) if (names.has(name) && !('param' in (names.get(name) as object))) names.set(name, 'opaque');
    for (const name of opaque) if (!names.has(name)) names.set(name, 'opaque');
    this.locals.set(helper, names);
    return names;
  }

  /**
   * The location seen from the call: parameters in its key replaced by the arguments, locals by
   * what they were computed from. A key that still needs the helper's locals is dropped (the
   * store or collection as a whole); a file path that does has no location outside the helper.
   */
  private atCall(location: SharedLocation, helper: FunctionLike, call: ts.CallExpression): SharedLocation | undefined {
    const sf = this.q.sourceFile;
    const names = this.localNames(helper);
    const rewrite = (text: string, compact: boolean, depth = 0): string | undefined => {
      let failed = false;
      const out = text.replace(/(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$])(?!\s*:(?!:))/g, (word) => {
        const local = names.get(word);
        if (!local || failed) return word;
        if (local === 'opaque' || depth > 3) {
          failed = true;
          return word;
        }
        if ('param' in local) {
          const arg = call.arguments[local.param];
          if (!arg || ts.isSpreadElement(arg) || helper.parameters[local.param]?.dotDotDotToken || !ts.isIdentifier(helper.parameters[local.param].name)) {
            failed = true;
            return word;
          }
          const t = arg.getText(sf);
          return compact ? t.replace(/\s+/g, '') : t;
        }
        const init = unwrap(local.init);
        // (Destructured parts and awaited values are values, not key expressions.)
        if (local.part || ts.isAwaitExpression(skipParens(local.init))) {
          failed = true;
          return word;
        }
        const initText = init.getText(sf);
        const inner = rewrite(compact ? initText.replace(/\s+/g, '') : initText, compact, depth + 1);
        if (inner === undefined) {
          failed = true;
          return word;
        }
        const simple = ts.isIdentifier(init) || ts.isCallExpression(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init) || ts.isLiteralExpression(init) || ts.isNoSubstitutionTemplateLiteral(init);
        return simple ? inner : `(${inner})`;
      });
      return failed ? undefined : out;
    };
    const prefix = /^(?:store:|file:|sql:|resource:|var:[^@]*@\d+|this:[^.[]*|static:[^.[]*|options@\d+)/.exec(location.key)?.[0] ?? '';
    const key = rewrite(location.key.slice(prefix.length), true);
    // (Undefined when the store's receiver needs the helper's locals.)
    const resource = location.resource?.startsWith('store:') ? rewrite(location.resource.slice('store:'.length), true) : location.resource ?? '';
    if (key !== undefined && resource !== undefined) {
      const entry = location.entry !== undefined ? rewrite(location.entry, false) : undefined;
      const text = rewrite(location.text, false) ?? location.text;
      return {
        ...location,
        key: prefix + key,
        text,
        ...(location.resource ? { resource: location.resource.startsWith('store:') ? `store:${resource}` : resource } : {}),
        ...(location.entry !== undefined ? { entry: entry ?? location.entry } : {}),
      };
    }
    // The key needs the helper's locals: the store (or the collection) as a whole.
    if (resource && location.resource) {
      const whole = location.resource.startsWith('store:') ? `store:${resource}` : location.resource;
      const { entry: _entry, literalKey: _literal, ...rest } = location;
      return { ...rest, key: whole, resource: whole, text: rewrite(location.text, false) ?? location.text };
    }
    if (location.collection && location.collection !== location.key && rewrite(location.collection.slice(prefix.length), true) === location.collection.slice(prefix.length)) {
      const { entry: _entry, literalKey: _literal, ...rest } = location;
      return { ...rest, key: location.collection, collection: undefined };
    }
    return undefined;
  }
}

/** Whether a callback's body uses its first parameter (`(items) => items[K]`). */
function usesFirstParameter(cb: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const p = cb.parameters[0];
  if (!p || !ts.isIdentifier(p.name)) return false;
  const name = p.name.text;
  const visit = (n: ts.Node): boolean => (ts.isIdentifier(n) && n.text === name && isValueName(n)) || !!ts.forEachChild(n, visit);
  return visit(cb.body);
}

/** skipParens, and through `await` too: the value a returned or assigned expression comes from. */
function unwrap(e: ts.Expression): ts.Expression {
  let x = skipParens(e);
  while (ts.isAwaitExpression(x)) x = skipParens(x.expression);
  return x;
}

/** Whether an identifier stands for a value (not a property name or a declaration's name). */
function isValueName(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p)) && p.name === id) return false;
  return !ts.isTypeReferenceNode(p);
}

/** Whether reading `r` reads (part of) what writing `w` replaces, or the other way round. */
/** A binding of code, not state: an import, a function or class, a constant holding a function. */
function isCode(l: SharedLocation): boolean {
  const b = l.binding;
  if (!b) return false;
  if (b.kind === 'import' || b.kind === 'function' || b.kind === 'class') return true;
  const init = b.kind === 'const' && b.initializer ? skipParens(b.initializer) : undefined;
  return !!init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init));
}

/** A field holding the client of a store (`this.client`), read where the store's entries (`this.client[key]`) are written. */
function isHandleOf(r: SharedLocation, w: SharedLocation): boolean {
  return w.kind === 'store' && r.kind !== 'store' && w.entry !== undefined && w.key.startsWith(`${r.key}[`);
}

function overlaps(r: SharedLocation, w: SharedLocation): boolean {
  if (r.key === w.key || (!!r.resource && r.resource === w.resource)) return true;
  return r.key.startsWith(`${w.key}.`) || r.key.startsWith(`${w.key}[`) || w.key.startsWith(`${r.key}.`) || w.key.startsWith(`${r.key}[`);
}

