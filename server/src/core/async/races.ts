// The race data flow: over each function with suspension points, which shared reads and checks
// are still "believed" when a later write or action uses them, and whether a suspension came in
// between. Produces candidates; ./model.ts keeps those whose function can really run concurrently.
//
// Per path, the state holds:
// - reads: each shared read evaluated on the path, and the first suspension since (a re-read resets it);
// - taints: which shared reads a local's value came from (`const cur = this.count` → {this.count});
// - guards: per shared location, the latest check that the code now depends on (an `if` condition
//   atom, a `while` test, an `fs.existsSync(p)`), and the first suspension since;
// - locked: inside `await mutex.acquire()` … `release()`.
// A write whose value derives from a read of the same location made before a suspension is a lost
// update. A write or mutation of a location whose guard was checked before a suspension is a
// check-then-act. An action in the same segment as its check consumes the guard (the flag or slot
// is claimed before the await), and a fresh check after the await replaces it (the re-check).
import { ts } from 'ts-morph';
import { isConstDeclaration, isNullishLiteral, returnedValues, skipOuterAwaitedParents, skipOuterParents } from '../syntax';
import { functionName, type ConcurrencyModel } from './concurrency';
import { isAssignmentOperator, readsResolvedBy, runFlow, skipParens, type FlowAnalysis, type FlowEvent } from './flow';
import { isEntryInMemory, isFieldInMemory } from './helperSummaries';
import { containsAwait, exits, type SafeIdioms } from './safeIdioms';
import { enclosingFunction, isAsyncFunction, isFunctionLike, isWithin, patternOwner, requiredModule, type Binding, type FunctionLike, type Scopes } from './scopes';
import { accessorField, calleeName, countedCollection, dataOption, hasExclusiveFlag, isAsyncHere, isWebStorage, nounsAgree, redisCommandName, whereOption, type LocationResolver, type SharedLocation } from './sharedLocations';
import type { SnapshotWriters } from './snapshotWriters';
import { VersionedSaves } from './versionedSaves';

export interface LostUpdateCandidate {
  fn: FunctionLike;
  location: SharedLocation;
  /** The read whose value is written back (an identifier, property access or `get` call). */
  read: ts.Node;
  /** The write (assignment, `++`, `map.set`, `store.set`, `writeFile`). */
  write: ts.Node;
  /** The suspension between them. */
  suspension: ts.Node;
  /** The local that carried the value from the read to the write, if any. */
  via?: Binding;
  /** Where the read was (the write's location, or a path under it; a hook's snapshot). */
  readLocation: SharedLocation;
  /**
   * The write puts back the value read, after the function itself changed the location
   * (`const prev = this.x; this.x = next; try { await save() } catch { this.x = prev }`).
   */
  rollback?: boolean;
  /** A flag cleared after the await on the strength of a check before it: another task's set is lost. */
  cleared?: boolean;
  /** (With `cleared`) a collection taken before the await and emptied after it: what was added meanwhile is lost. */
  drained?: boolean;
  /**
   * The write is in a snapshot writer of the file (`merge = (p) => setState({ ...state, ...p })`,
   * see ./snapshotWriters.ts) that this function calls after the suspension: that call.
   */
  calledAt?: ts.CallExpression;
  /**
   * The run holds a flag it claimed before the read (`if (this.syncing) return; this.syncing =
   * true`): other runs that test it stay out, so only another writer of the location, run by
   * something of its own (an event, a timer), races.
   */
  claimed?: { flag: SharedLocation };
}

export interface CheckThenActCandidate {
  fn: FunctionLike;
  location: SharedLocation;
  /** The check (a condition atom, or a check call such as `fs.existsSync(p)`). */
  check: ts.Node;
  /** The read the check tested: the atom's own read, or the call whose result a local carries. */
  checkedRead?: ts.Node;
  /** The statement (if/while/?:) whose condition holds the check, when there is one. */
  checkStatement?: ts.Node;
  /** The action: assignment, mutation, file creation, or a call to a function that writes it after its own await. */
  act: ts.Node;
  actLocation: SharedLocation;
  suspension: ts.Node;
  /** When the action is inside a called function: that function. */
  callee?: FunctionLike;
  /**
   * `act`: a write or mutation acting on the check. `use`: a use of what was checked non-null
   * (`x.send()`), racing with a task that resets it. `refresh`: the state replaced by a value
   * computed from part of it (`tokens = await refresh(tokens.refreshToken)`).
   * `file`: a file created or changed after a check of it; other processes can act in between.
   */
  kind: 'act' | 'use' | 'refresh' | 'file';
  /** The check ran after the suspension on a value read before it: a stale comparison. */
  stale?: boolean;
  /** The act removes or resets (harmful only when another task sets the state in between). */
  reset?: boolean;
  /**
   * The act creates what a synchronous look-up did not find, and the creation itself is the
   * suspension (`if (!vault.getAbstractFileByPath(p)) await vault.create(p, '')`): a second run
   * looks up while the first creation is in flight.
   */
  inFlight?: boolean;
  /**
   * The check tested a state of an object (`client?.isReady`) that the act replaces with a new
   * one, which reaches that state only at this later await (`await client.connect()`).
   */
  readyAfter?: ts.Node;
  /** The act claims rows a search found free by flipping this field, without filtering on it again (see claimedField). */
  claimedField?: string;
}

export interface FunctionRaces {
  lostUpdates: LostUpdateCandidate[];
  checkThenActs: CheckThenActCandidate[];
  /** Shared locations this function assigns after its first suspension, with that suspension. */
  lateWrites: Map<string, LateWrite>;
  /** Whether it claims a location before its first suspension (check then set): the flag idiom. */
  claimsBeforeSuspending: boolean;
  /**
   * Calls made where, on some path, the run holds a lock (an acquired mutex, a row lock, a chain
   * lock) or a claim (a flag checked and set before the await, a version guard): the state the
   * model's own acts are judged by, for formers of other candidates to ask (see coarseFormer).
   */
  held: Set<ts.Node>;
}

interface ReadFact {
  location: SharedLocation;
  by?: ts.Node;
  /** The function itself wrote the location since this read (an optimistic update). */
  overwritten?: boolean;
  /** A value only written back, never a check (a synchronous resource getter, see CallAccess.valueOnly). */
  valueOnly?: boolean;
  /** A synchronous look-up of a key (`vault.getAbstractFileByPath(p)`): only creating what it did not find races with it. */
  lookup?: boolean;
}

/** A shared location a function assigns after its first suspension (see FunctionRaces.lateWrites). */
interface LateWrite {
  location: SharedLocation;
  suspension: ts.Node;
  write: ts.Node;
  rechecked?: boolean;
  conditional?: boolean;
  /** The write tests its target again in its own value (see retestsTarget). */
  retested?: boolean;
}

interface GuardFact {
  location: SharedLocation;
  check: ts.Node;
  /** The read the check tested (itself, or what a local it tested was computed from). */
  read?: ts.Node;
  statement?: ts.Node;
  by?: ts.Node;
  /** Whether more than one suspension came since the check. */
  more?: boolean;
  /** The check itself ran after a suspension, on a value read before it (`const seq = m.get(id); await x; if (seq === last)`). */
  stale?: boolean;
  /** On this path the check found the thing present (`if (row)` true, `if (!row) return` passed), absent, or said neither. */
  present?: boolean;
  /** The guard of another statement this test replaced: it stands again when both outcomes of this one go on. */
  prior?: GuardFact;
}

interface RaceState {
  reads: Map<ts.Node, ReadFact>;
  taints: Map<Binding, Set<ts.Node>>;
  /** The part of each taint that is the read itself or computed from it directly, not passed through an arbitrary call. */
  direct: Map<Binding, Set<ts.Node>>;
  guards: Map<string, GuardFact>;
  locked: number;
  suspended?: ts.Node;
  /** The timer call whose callback this path entered (see SuspensionReason 'timer'): a render's copy read here is stale. */
  deferred?: ts.Node;
  /** A check-then-set made in one segment on this path (`if (busy) return; busy = true`): the run holds a flag. */
  claim?: ts.Node;
  /**
   * The location whose flag `claim` set, when the claim is a flag set before the first await (not
   * a version guard, or a flag set on a re-check after an await, which vouch for everything on
   * their branch). The flag keeps out only the runs that test it.
   */
  claimedFlag?: SharedLocation;
  /** The location `claim` set (whatever kind of claim it is). */
  claimKey?: string;
  /** Locations this path cleared (`delete seen[k]`, `busy = false`) since it began: a flag it does not hold. */
  cleared?: Set<string>;
  /** Locals holding a record read from a store and since changed from its own values (`doc.n += 1`). */
  modified: Set<Binding>;
  /** Locals whose object was changed in any way (`obj[k] = v`, `list.push(x)`). */
  touched: Set<Binding>;
  /** Locals whose record had a named field set (`s.theme = t`): a changed copy, when written back whole. */
  edited: Set<Binding>;
  /** Tainted locals: the read when they hold exactly a value read (`q = await cache.get(k)`), false when derived. */
  raw: Map<Binding, ts.Node | false>;
  /**
   * Locations read again while holding a lock (`await lock.acquire(); if (await this.get(k)) …`):
   * a write of one under that lock follows a re-check, so a caller's earlier check cannot make
   * it a second initialisation.
   */
  lockedReads: Set<string>;
}

function cloneState(s: RaceState): RaceState {
  return {
    reads: new Map(s.reads),
    taints: new Map(s.taints),
    direct: new Map(s.direct),
    guards: new Map(s.guards),
    locked: s.locked,
    suspended: s.suspended,
    deferred: s.deferred,
    claim: s.claim,
    claimedFlag: s.claimedFlag,
    claimKey: s.claimKey,
    cleared: s.cleared && new Set(s.cleared),
    modified: new Set(s.modified),
    touched: new Set(s.touched),
    edited: new Set(s.edited),
    raw: new Map(s.raw),
    lockedReads: new Set(s.lockedReads),
  };
}

function joinStates(a: RaceState, b: RaceState): RaceState {
  const out = cloneState(a);
  for (const [k, v] of b.reads) {
    const mine = out.reads.get(k);
    if (!mine) out.reads.set(k, v);
    else if ((!mine.by && v.by) || (!mine.overwritten && v.overwritten)) {
      // A read that went stale only on a path where nothing holds it any more (its local was
      // given a fresh value there: `v = cache.get(k); if (!v) { await load(); v = cache.get(k) }`)
      // is as fresh after the join as on the path where a local still holds it.
      const staleOnlyWhereDead = !mine.by && v.by && !mine.overwritten && !v.overwritten && isHeld(a, k) && !isHeld(b, k);
      if (!staleOnlyWhereDead) out.reads.set(k, { ...mine, by: mine.by ?? v.by, overwritten: mine.overwritten || v.overwritten });
    } else if (mine.by && !v.by && !mine.overwritten && !v.overwritten && isHeld(b, k) && !isHeld(a, k)) {
      out.reads.set(k, v);
    }
  }
  for (const [k, v] of b.taints) {
    const mine = out.taints.get(k);
    if (!mine) out.taints.set(k, v);
    else if (mine !== v) {
      const union = new Set(mine);
      for (const x of v) union.add(x);
      if (union.size !== mine.size) out.taints.set(k, union);
    }
  }
  for (const [k, v] of b.direct) {
    const mine = out.direct.get(k);
    out.direct.set(k, mine && mine !== v ? new Set([...mine, ...v]) : v);
  }
  for (const [k, v] of b.guards) {
    const mine = out.guards.get(k);
    if (!mine) out.guards.set(k, v);
    else if (!mine.by && v.by) out.guards.set(k, { ...mine, by: v.by });
  }
  out.locked = Math.max(a.locked, b.locked);
  out.suspended = a.suspended ?? b.suspended;
  out.deferred = a.deferred ?? b.deferred;
  // Optimistic: a flag claimed on either path counts (quiet beats a false alarm).
  out.claim = a.claim ?? b.claim;
  out.claimedFlag = a.claim ? a.claimedFlag : b.claimedFlag;
  out.claimKey = a.claim ? a.claimKey : b.claimKey;
  // (But not one the other path clears: `if (!warned[k]) { warn(); warned[k] = true } else delete
  // warned[k]` leaves the flag held on neither path, and keeps no other run out of what follows.)
  const clearedOn = (x: RaceState, key: string | undefined) => !!key && !!x.cleared?.has(key);
  if ((a.claim && !b.claim && clearedOn(b, a.claimKey)) || (b.claim && !a.claim && clearedOn(a, b.claimKey))) {
    out.claim = undefined;
    out.claimedFlag = undefined;
    out.claimKey = undefined;
  }
  if (b.cleared) out.cleared = new Set([...(out.cleared ?? []), ...b.cleared]);
  for (const m of b.modified) out.modified.add(m);
  for (const m of b.touched) out.touched.add(m);
  for (const m of b.edited) out.edited.add(m);
  for (const k of b.lockedReads) out.lockedReads.add(k);
  for (const [k, v] of b.raw) {
    const mine = out.raw.get(k);
    out.raw.set(k, mine === undefined ? v : mine === v ? v : false);
  }
  return out;
}

/** Whether a local of the path still carries a read's value. */
function isHeldInLocal(s: RaceState, read: ts.Node): boolean {
  for (const t of s.taints.values()) if (t.has(read)) return true;
  return false;
}

/** Whether a local of the path still carries what a read gave (its value, or a guard made from it). */
function isHeld(s: RaceState, read: ts.Node): boolean {
  if (isHeldInLocal(s, read)) return true;
  for (const g of s.guards.values()) if (g.read === read || g.check === read) return true;
  return false;
}

function statesEqual(a: RaceState, b: RaceState): boolean {
  if (a.reads.size !== b.reads.size || a.guards.size !== b.guards.size || a.taints.size !== b.taints.size || a.locked !== b.locked || a.lockedReads.size !== b.lockedReads.size) return false;
  if (!!a.suspended !== !!b.suspended || !!a.claim !== !!b.claim || a.modified.size !== b.modified.size || (a.cleared?.size ?? 0) !== (b.cleared?.size ?? 0)) return false;
  for (const [k, v] of a.reads) {
    const o = b.reads.get(k);
    if (!o || !!o.by !== !!v.by || !!o.overwritten !== !!v.overwritten) return false;
  }
  for (const [k, v] of a.guards) {
    const o = b.guards.get(k);
    if (!o || !!o.by !== !!v.by || o.check !== v.check) return false;
  }
  for (const [k, v] of a.taints) {
    const o = b.taints.get(k);
    if (!o || o.size !== v.size) return false;
  }
  return true;
}

/** Whether an identifier is used as a value (not a property name or a declaration's name). */
function isValueIdentifier(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/**
 * Whether a read is only the way to a larger one (`tokens` in `tokens.refreshToken`): the value
 * used is the property, not the object. A method called on it (`items.concat(x)`) uses the object.
 */
function isPartOfLargerRead(n: ts.Node): boolean {
  const p = n.parent;
  if (!(ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) || p.expression !== n) return false;
  if (!(ts.isCallExpression(p.parent) && p.parent.expression === p)) return true;
  // `items.concat(x)` computes from the value; `redis.incr(k)` only talks to a client.
  return !(ts.isPropertyAccessExpression(p) && VALUE_METHODS.has(p.name.text));
}

/** Methods that compute a new value from the object they are called on. */
const VALUE_METHODS = new Set([
  'concat', 'slice', 'filter', 'map', 'flatMap', 'reduce', 'reduceRight', 'find', 'findLast', 'findIndex', 'join', 'toString', 'toJSON', 'valueOf',
  'split', 'trim', 'replace', 'replaceAll', 'toUpperCase', 'toLowerCase', 'padStart', 'padEnd', 'substring', 'substr', 'at', 'keys', 'values', 'entries',
  'with', 'toSorted', 'toReversed', 'toSpliced', 'flat', 'some', 'every', 'includes', 'indexOf', 'get', 'has', 'size', 'clone', 'toFixed',
  'then', 'catch', 'finally',
  // Query builders finished into a promise: `Model.findOne(q).exec()`, `ddb.get(p).promise()`.
  'exec', 'promise', 'lean', 'toArray', 'unwrap', 'first', 'execAsync',
]);


/** Array methods that remove or reorder elements: the result depends on what the array held. */
const REARRANGING_METHODS = new Set(['splice', 'pop', 'shift', 'unshift', 'sort', 'reverse', 'fill', 'copyWithin']);

/**
 * Fields that carry the version of a stored entry, as a conditional write expects it back.
 * (Not any `…Version`: `appVersion`, `schemaVersion` name what the data is, not which write it is.)
 */
export const READ_VERSION_FIELD = /^(_rev|rev|revision|version|__v|etag|eTag|updatedAt|updated_at|lastModified|last_modified|generation|metageneration)$|[a-z](Revision|Etag|ETag)$/;

/** Functions that end an object's life (or a connection's): what they clear stays cleared. */
export const TEARDOWN = /(^|\.)(on)?(destroy|dispose|close|shutdown|stop|teardown|disconnect|unsubscribe|cleanup|reset|terminate)/i;

/** Calls that put their arguments into the collection they are called on. */
const COLLECTING_METHODS = new Set(['push', 'unshift', 'add', 'set', 'splice', 'concat']);

/**
 * What a query-builder chain does, named by its verb call inside the chain:
 * `db.update(t).set(v).where(c)` → `update`, `db.insert(t).values(v)` → `insert`. The call's own
 * name otherwise.
 */
function verbOf(call: ts.CallExpression): string {
  for (let e: ts.Expression = call; ts.isCallExpression(e) && ts.isPropertyAccessExpression(skipParens(e.expression)); ) {
    const callee = skipParens(e.expression) as ts.PropertyAccessExpression;
    if (/^(update|updateTable|insert|insertInto)$/.test(callee.name.text) && e !== call) return callee.name.text;
    e = skipParens(callee.expression);
  }
  return calleeName(call);
}

/** Store calls that update on the server, from the stored value (`$inc`, `INCR`, `decrement`): no lost update. */
function isAtomicStoreUpdate(call: ts.CallExpression): boolean {
  if (/^(h?incr|decr|increment|decrement|hincrby|incrby|decrby|zincrby|findOneAndUpdate|findAndModify|compareAndSet|cas)/i.test(calleeName(call))) return true;
  const args = call.arguments.map((a) => a.getText()).join(' ');
  return /\$(inc|push|addToSet|pull|setOnInsert)\b|\b(increment|decrement)\s*:/.test(args) || isConditionalStoreWrite(call);
}

/** Store writes that check on the server as they write (`where: { qty: { gte: n } }`, `NX`): a re-check. */
function isConditionalStoreWrite(call: ts.CallExpression): boolean {
  if (/^(setnx|setNX|hsetnx|hSetNX|compareAndSet|cas|findOneAndUpdate|findAndModify)$/.test(redisCommandName(calleeName(call)))) return true;
  const args = call.arguments.map((a) => a.getText()).join(' ');
  // (Also an insert told to skip rows that exist: prisma's `createMany({ skipDuplicates: true })`,
  // sequelize's `bulkCreate(rows, { ignoreDuplicates: true })`, supabase's `ignoreDuplicates`.)
  return /\$(gte?|lte?|ne|exists)\b|\bOp\.(gte?|lte?|ne)\b|\b(gte?|lte?|not)\s*:|['"]NX['"]|\bNX\b|\bnx\s*:\s*true|\bifNotExists\b|attribute_not_exists|ConditionExpression|\b(skipDuplicates|ignoreDuplicates)\s*:\s*true\b/.test(args);
}

/** `await f(x)`, `await f(x).then(…)`: a call whose result is awaited where it is made. */
function isAwaitedCall(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  for (;;) {
    const p = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) n = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === n && /^(then|catch|finally)$/.test(p.name.text) && ts.isCallExpression(p.parent)) n = p.parent;
    else return ts.isAwaitExpression(p);
  }
}

/** Methods that set up an object (connect it, open it, start it), and the fields that say it is. */
export const SETUP_METHODS = /^(connect|open|init|initiali[sz]e|start|login|logIn|signIn|authenticate|launch|setup|setUp|boot)$/;
const READINESS_FIELDS = /^(is)?(open|opened|ready|connected|initiali[sz]ed|started|running|loggedIn|authenticated|readyState)$/i;

/** `store.$patch({ a, b: v })` (Pinia): the store, and each field it sets with its value. */
function patchedFields(call: ts.CallExpression): { store: ts.Expression; fields: Array<[string, ts.Expression]> } | undefined {
  const callee = skipParens(call.expression);
  const arg = call.arguments.length === 1 ? skipParens(call.arguments[0]) : undefined;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== '$patch' || !arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  const fields: Array<[string, ts.Expression]> = [];
  for (const p of arg.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) fields.push([p.name.text, p.initializer]);
    else if (ts.isShorthandPropertyAssignment(p)) fields.push([p.name.text, p.name]);
  }
  return { store: skipParens(callee.expression), fields };
}

/** `store.setState(s)`, `subject.next(v)`, `this.setUser(u)`: a write through an object's accessor. */
function isAccessorWrite(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && accessorField(callee.name.text, call.arguments.length)?.mode === 'write';
}

/**
 * `get().items`, `store.getState().user.name`: a field of what a getter returned. The path is no
 * location of its own, so the value is the getter's read.
 */
function isFieldOfGetterRead(n: ts.Node, s: RaceState): boolean {
  return ts.isCallExpression(n) && !s.reads.has(n.parent);
}

/** `repo` in `repo.findOne(q)` when that call is itself a tracked read: the call is the value. */
function isReceiverOfTrackedRead(n: ts.Node, s: RaceState): boolean {
  const p = n.parent;
  // (A synchronous look-up stands for nothing but the key it looked up: its receiver keeps counting.)
  return (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p && s.reads.has(p.parent) && !s.reads.get(p.parent)!.lookup) || isCountedByTrackedRead(n, s);
}

/** The initializer of the `const` of the enclosing function that `id` names (undefined when there is none). */
function localConstValue(id: ts.Identifier, scopes: Scopes): ts.Expression | undefined {
  const b = scopes.resolve(id);
  return b?.kind === 'const' && b.initializer && !ts.isSourceFile(b.owner) && b.owner === enclosingFunction(id) ? b.initializer : undefined;
}

/** A written text: a string literal or a template. */
function isText(e: ts.Expression): boolean {
  const x = skipParens(e);
  return ts.isStringLiteralLike(x) || ts.isTemplateExpression(x);
}

/** The sums and differences in a value, also through the local consts it names (`const n = count + 1` … `create({ n })`). */
function arithmeticIn(v: ts.Node, scopes: Scopes, depth = 0): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    // (Not a text joined to another, `title + ' (copy)'`.)
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.PlusToken || n.operatorToken.kind === ts.SyntaxKind.MinusToken) && !isText(n.left) && !isText(n.right)) out.push(n);
    const id = ts.isShorthandPropertyAssignment(n) ? n.name : ts.isIdentifier(n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) ? n : undefined;
    const init = id && depth < 3 ? localConstValue(id, scopes) : undefined;
    if (init) out.push(...arithmeticIn(init, scopes, depth + 1));
    if (!ts.isShorthandPropertyAssignment(n)) ts.forEachChild(n, visit);
  };
  visit(v);
  return out;
}

/**
 * An argument's text, with the record a local const built for it: `const row = new Mapping(id,
 * kind, key)` … `await repo.create(row)` creates the record made from `kind` and `key`, as
 * `create(new Mapping(id, kind, key))` would. (Only a record built there, an object literal or a
 * `new`: a const given another call's answer is that answer.)
 */
function recordText(arg: ts.Expression, scopes: Scopes): string {
  const a = skipParens(arg);
  const value = ts.isIdentifier(a) ? localConstValue(a, scopes) ?? assignedJustBefore(a, scopes) : undefined;
  let v = value && skipParens(value);
  // (An entity a repository builds in memory without storing it, `repo.create({ userId })` not
  // awaited, as TypeORM's and MikroORM's do: the object it is built from.)
  if (v && ts.isCallExpression(v) && !ts.isAwaitExpression(skipOuterParents(v).parent) && ts.isPropertyAccessExpression(skipParens(v.expression)) && /^(create|build)$/.test((skipParens(v.expression) as ts.PropertyAccessExpression).name.text) && v.arguments[0] && ts.isObjectLiteralExpression(skipParens(v.arguments[0]))) v = skipParens(v.arguments[0]);
  return v && (ts.isObjectLiteralExpression(v) || ts.isNewExpression(v)) ? `${a.getText()} ${v.getText()}` : a.getText();
}

/**
 * A repository's `create(data)` or `build(data)` that is not awaited and whose answer a local
 * keeps and later hands to the same repository's `save`, `insert` or `persist`
 * (`const row = repo.create({ userId }); await repo.save(row)`): it builds the entity in memory
 * (TypeORM, MikroORM, Sequelize's `build`), and the save stores it.
 */
function builtForLaterSave(call: ts.CallExpression, scopes: Scopes): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(create|build)$/.test(callee.name.text) || ts.isAwaitExpression(skipOuterParents(call).parent)) return false;
  const p = skipOuterParents(call).parent;
  const kept = ts.isVariableDeclaration(p) && p.initializer && ts.isIdentifier(p.name) ? p.name : ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipParens(p.left)) ? (skipParens(p.left) as ts.Identifier) : undefined;
  const b = kept && scopes.resolve(kept);
  const fn = enclosingFunction(call);
  if (!b || ts.isSourceFile(fn) || !fn.body) return false;
  const receiver = callee.expression.getText();
  let saved = false;
  const visit = (n: ts.Node): void => {
    if (saved || (isFunctionLike(n) && n !== fn)) return;
    if (ts.isCallExpression(n) && n.pos > call.end) {
      const c = skipParens(n.expression);
      if (ts.isPropertyAccessExpression(c) && /^(save|insert|persist)(?![a-z])/.test(c.name.text) && c.expression.getText() === receiver && n.arguments.some((a) => ts.isIdentifier(skipParens(a)) && scopes.resolve(skipParens(a) as ts.Identifier)?.declaration === b.declaration)) saved = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return saved;
}

/**
 * The value a local `let` was given by the statement right before the one that uses it, in the
 * same block (`record = repo.create({ … }); await repo.save(record)`).
 */
function assignedJustBefore(id: ts.Identifier, scopes: Scopes): ts.Expression | undefined {
  const b = scopes.resolve(id);
  if (b?.kind !== 'let' || ts.isSourceFile(b.owner) || b.owner !== enclosingFunction(id)) return undefined;
  let st: ts.Node = id;
  while (st.parent && !ts.isBlock(st.parent)) st = st.parent;
  const block = st.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  const before = block.statements[block.statements.indexOf(st as ts.Statement) - 1];
  const e = before && ts.isExpressionStatement(before) ? skipParens(before.expression) : undefined;
  if (!e || !ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = skipParens(e.left);
  return ts.isIdentifier(left) && scopes.resolve(left)?.declaration === b.declaration ? e.right : undefined;
}

/** The current time: `new Date()`, `Date.now()`, a `const` holding it, and its number or text (`now.getTime()`). */
function isCurrentTime(e: ts.Expression, scopes: Scopes, depth = 0): boolean {
  const x = skipParens(e);
  if (depth > 3) return false;
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'Date' && !x.arguments?.length) return true;
  if (ts.isCallExpression(x) && x.arguments.length === 0) {
    const callee = skipParens(x.expression);
    if (callee.getText() === 'Date.now') return true;
    if (ts.isPropertyAccessExpression(callee) && /^(getTime|valueOf|toISOString|toJSON)$/.test(callee.name.text)) return isCurrentTime(callee.expression, scopes, depth + 1);
  }
  if (ts.isIdentifier(x)) {
    const value = localConstValue(x, scopes);
    return !!value && isCurrentTime(value, scopes, depth + 1);
  }
  return false;
}

/** A value a claim sets: a constant, an enum member (`Status.Paid`), or the current time. */
function isClaimValue(e: ts.Expression, scopes: Scopes): boolean {
  const x = skipParens(e);
  if (isConstantValue(x)) return true;
  if (ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression) && /^[A-Z]/.test(x.expression.text) && !ts.isCallExpression(x.parent)) return true;
  return isCurrentTime(x, scopes);
}

/**
 * Whether a check tests a field of the record held by `doc` (`doc.status !== 'open'`,
 * `doc.items.some(…)`, `doc.items.length >= n`) that the function claims (sets to a claim
 * value, steps, or mutates in place) between the check and the record's save `save`.
 */
function checksChangedField(check: ts.Node, doc: ts.Identifier, save: ts.CallExpression, scopes: Scopes): boolean {
  const checked = new Set<string>();
  // (Through a `const` computed from the field, `const last = new Date(doc.lastClaimed)`: a test of
  // `last` tests the field as it was when the const was computed, so a claim made since counts.)
  let from = check.end;
  const seen = new Set<ts.Node>();
  const visitCheck = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === doc.text) checked.add(n.name.text);
    if (ts.isIdentifier(n) && n.text !== doc.text && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const b = scopes.resolve(n);
      const value = localConstValue(n, scopes);
      if (b && value && !seen.has(b.declaration) && b.declaration.end <= check.pos) {
        seen.add(b.declaration);
        const before = checked.size;
        visitCheck(value);
        if (checked.size > before) from = Math.min(from, b.declaration.end);
      }
    }
    ts.forEachChild(n, visitCheck);
  };
  visitCheck(check);
  if (checked.size === 0) return false;
  const fn = enclosingFunction(save);
  let changed = false;
  const visit = (n: ts.Node): void => {
    if (changed || n.end <= from || n.pos >= save.pos) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === doc.text && checked.has(n.name.text)) {
      const p = n.parent;
      // (Set to a state, a flag or a time, as a claim sets it; a value computed from other data
      // is an edit the check only selected, not a claim: `doc.text = render(doc)`.)
      const assigned = ts.isBinaryExpression(p) && p.left === n && isAssignmentOperator(p.operatorToken.kind) && isClaimValue(p.right, scopes);
      const stepped = (ts.isPostfixUnaryExpression(p) || ts.isPrefixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken);
      const mutated = ts.isPropertyAccessExpression(p) && p.expression === n && MUTATING_METHODS.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p;
      if (assigned || stepped || mutated) changed = true;
    }
    ts.forEachChild(n, visit);
  };
  if (fn && !ts.isSourceFile(fn)) visit(fn);
  return changed;
}

/** `list` in `list.filter(p).length` when that count is a tracked read: the count is the value (see countedCollection). */
function isCountedByTrackedRead(n: ts.Node, s: RaceState): boolean {
  let x: ts.Node = n;
  for (let depth = 0; depth < 8 && x.parent; depth++, x = x.parent) {
    const p = x.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === x && (p.name.text === 'length' || p.name.text === 'size')) return x !== n && s.reads.has(p) && countedCollection(p.expression) === n;
    if (ts.isStatement(p) || isFunctionLike(p)) return false;
  }
  return false;
}

/** Calls that only convert their argument: the result is the argument, reshaped. */
function isConversion(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  const text = callee.getText();
  return /^(Number|String|Boolean|BigInt|parseInt|parseFloat|JSON\.parse|JSON\.stringify|Array\.from|Object\.(keys|values|entries|assign|fromEntries)|structuredClone)$/.test(text);
}

/** `await fs.access(p);` as a statement of a `try` block: the `catch` is the "missing" branch. */
function isCheckByException(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  // `access(p).catch(() => mkdir(p))`: the rejection handler is the "missing" branch.
  if (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.name.text === 'catch' && ts.isCallExpression(n.parent.parent) && n.parent.parent.arguments.length === 1) return true;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const stmt = n.parent;
  return ts.isExpressionStatement(stmt) && ts.isBlock(stmt.parent) && ts.isTryStatement(stmt.parent.parent) && stmt.parent.parent.tryBlock === stmt.parent && !!stmt.parent.parent.catchClause;
}

/**
 * A read of a file made in a `try` that returns once it has read it, with a `catch` that goes on
 * (`try { const key = await fs.readFile(p); return key; } catch {}`, `try { return await
 * fs.readFile(p) } catch {}`): the code after the `try`
 * runs only when the file could not be read, so the read decides as an existence test does.
 */
function isCheckByFailedRead(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) n = n.parent;
  let stmt: ts.Node = n.parent;
  if (ts.isVariableDeclaration(stmt) && stmt.initializer === n && ts.isVariableDeclarationList(stmt.parent) && ts.isVariableStatement(stmt.parent.parent)) stmt = stmt.parent.parent;
  else if (!ts.isExpressionStatement(stmt) && !ts.isReturnStatement(stmt)) return false;
  const block = stmt.parent;
  if (!ts.isBlock(block) || !ts.isTryStatement(block.parent) || block.parent.tryBlock !== block) return false;
  const handler = block.parent.catchClause?.block;
  const tryLast = block.statements[block.statements.length - 1];
  const catchLast = handler?.statements[handler.statements.length - 1];
  return !!handler && !!tryLast && exits(tryLast) && !(catchLast && exits(catchLast));
}

/** Whether a store write's arguments (other than its key) are all constants. */
function isConstantWrite(node: ts.Node, args: readonly ts.Expression[]): boolean {
  if (!ts.isCallExpression(node) || args.length < 2) return false;
  return args.slice(1).every(isConstantValue);
}

/** A literal, or an array or object of literals, or a module constant by convention (`DEFAULT_PERIOD`). */
function isConstantValue(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (ts.isLiteralExpression(x) || ts.isNoSubstitutionTemplateLiteral(x) || [ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(x.kind)) return true;
  if (ts.isPrefixUnaryExpression(x)) return isConstantValue(x.operand);
  if (ts.isArrayLiteralExpression(x)) return x.elements.every((el) => isConstantValue(el as ts.Expression));
  if (ts.isObjectLiteralExpression(x)) return x.properties.every((p) => ts.isPropertyAssignment(p) && isConstantValue(p.initializer));
  return ts.isIdentifier(x) && /^[A-Z][A-Z0-9_]*$/.test(x.text);
}

/**
 * A keyed write whose only values are constants, the key given apart (a builder's `update({
 * status: 'completed' }).eq('id', id)`, whose access carries the values without the key): a
 * claim on the row, as `update(id, { used: true })` is.
 */
function setsConstantRow(location: SharedLocation, args: readonly ts.Expression[] | undefined): boolean {
  const value = args?.length === 1 ? skipParens(args[0]) : undefined;
  // (Not an empty `update({})`, which sets nothing.)
  return location.kind === 'store' && location.entry !== undefined && !!value && !(ts.isObjectLiteralExpression(value) && value.properties.length === 0) && isConstantValue(value);
}

/** Whether the helper a write was found in (its innermost function) is no async function and makes no await. */
function isSynchronousHelper(write: ts.Node): boolean {
  const helper = enclosingFunction(write);
  return !ts.isSourceFile(helper) && !isAsyncFunction(helper) && !(helper.body && containsAwait(helper.body));
}

/** `await import('m')`: every run gets the same module, so initialising from it twice is harmless. */
function isDynamicImport(node: ts.Node): boolean {
  return ts.isAwaitExpression(node) && ts.isCallExpression(skipParens(node.expression)) && (skipParens(node.expression) as ts.CallExpression).expression.kind === ts.SyntaxKind.ImportKeyword;
}

/**
 * Whether a value is an object this run constructs (`new Client(url)`, or what an async factory
 * called after the import resolves to, `await Vips(options)`), directly or through a local of `fn`
 * assigned one: two runs that both pass the check make two of them, even when what they awaited
 * in between (a dynamic import) was the same for both.
 */
function isConstructedHere(value: ts.Expression, fn: FunctionLike): boolean {
  const v = skipParens(value);
  if (makesOne(v)) return true;
  if (!ts.isIdentifier(v) || !fn.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn.body && isFunctionLike(n))) return;
    const assigned = ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === v.text ? n.initializer : ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipParens(n.left)) && (skipParens(n.left) as ts.Identifier).text === v.text ? n.right : undefined;
    if (assigned && makesOne(skipParens(assigned))) found = true;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** `new X(…)`, or `await make(…)` (a call other than the dynamic import itself): a new object per run. */
function makesOne(v: ts.Expression): boolean {
  return ts.isNewExpression(v) || (ts.isAwaitExpression(v) && ts.isCallExpression(skipParens(v.expression)) && !isDynamicImport(v));
}

/**
 * A read of a location (as `same` says) made before a suspension whose value a local still holds,
 * when nothing read it again since: what a run took before emptying it after the await.
 */
function takenBefore(location: SharedLocation, s: RaceState, same: (f: ReadFact) => boolean): [ts.Node, ReadFact] | undefined {
  let taken: [ts.Node, ReadFact] | undefined;
  for (const [r, f] of s.reads) {
    if (f.overwritten || !same(f)) continue;
    if (!f.by) return undefined;
    if (!taken && (isHeldInLocal(s, r) || handedToSuspension(r, f.by, location))) taken = [r, f];
  }
  return taken;
}

/**
 * Whether a read is handed, as it is, to the call the run then awaits: `await send(this.buffer)`,
 * `await post([...this.queue])`, `await fetch(url, { body: JSON.stringify(this.events) })`. The
 * call took what the collection held before the suspension, as a local holding it would have.
 * (Not a property of it, `send(this.buffer.length)`.)
 */
function handedToSuspension(read: ts.Node, suspension: ts.Node, location: SharedLocation): boolean {
  // (The collection itself, not a count of it read as one: `this.buffer.length`.)
  if (!ts.isAwaitExpression(suspension) || flatText(read) !== location.text.replace(/\s+/g, '')) return false;
  let n: ts.Node = read;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isSpreadElement(p) || ts.isArrayLiteralExpression(p) || (ts.isPropertyAssignment(p) && p.initializer === n) || ts.isObjectLiteralExpression(p)) {
      n = p;
      continue;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) {
      let top: ts.Node = p;
      while (ts.isParenthesizedExpression(top.parent)) top = top.parent;
      if (top.parent === suspension) return true;
      n = p;
      continue;
    }
    return false;
  }
}

/** `[]`, `new Map()`, `new Set()`: an empty collection put in place of the old one. */
function isEmptyCollection(value: ts.Expression | undefined): boolean {
  const v = value && skipParens(value);
  if (!v) return false;
  if (ts.isArrayLiteralExpression(v)) return v.elements.length === 0;
  return ts.isNewExpression(v) && ts.isIdentifier(v.expression) && /^(Map|Set)$/.test(v.expression.text) && !v.arguments?.length;
}

/** `x = null`, `x = undefined`, `delete x.y`, `map.delete(k)`, `set.clear()`. */
export function isReset(node: ts.Node): boolean {
  if (ts.isDeleteExpression(node)) return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const v = skipParens(node.right);
    // Turning something off (`sendTraces = false`, `count = 0`) twice does what doing it once does.
    return v.kind === ts.SyntaxKind.NullKeyword || v.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(v) && v.text === 'undefined') || ts.isVoidExpression(v) || (ts.isNumericLiteral(v) && v.text === '0') || (ts.isStringLiteral(v) && v.text === '');
  }
  if (ts.isCallExpression(node)) {
    const callee = skipParens(node.expression);
    const m = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    return /^(delete|clear|del|remove|destroy|unlink|rm|rmdir|evict|invalidate)(?![a-z])/.test(m);
  }
  return false;
}

/**
 * Whether an act empties a collection whose whole content this segment takes as it empties it:
 * `const items = this.buffer; this.buffer = []` after the await, `const batch = [...q]; q.length =
 * 0`, or `const taken = queue.splice(0)`.
 * Whatever is there when it runs (what the check saw, and what other tasks added since) is taken,
 * so nothing rests on the check: a second run that passed it too takes what is left, perhaps
 * nothing. (Taken before the await and emptied after it, the items added meanwhile are lost: a
 * lost update, see the `write` of analyze.)
 */
function drainsTaken(node: ts.Node, location: SharedLocation, s: RaceState): boolean {
  if (ts.isCallExpression(node)) {
    const callee = skipParens(node.expression);
    const from = node.arguments[0] && skipParens(node.arguments[0]);
    const whole = ts.isPropertyAccessExpression(callee) && callee.name.text === 'splice' && !!from && ts.isNumericLiteral(from) && from.text === '0' && (node.arguments.length === 1 || /\.length$/.test(node.arguments[1].getText()));
    let use: ts.Node = node;
    while (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent)) use = use.parent;
    return whole && !ts.isExpressionStatement(use.parent) && !ts.isVoidExpression(use.parent);
  }
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  // (`x.length = 0` after `const batch = [...x]` empties the array the copy was taken from.)
  const right = skipParens(node.right);
  const truncates = ts.isNumericLiteral(right) && right.text === '0' && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'length';
  if (!truncates && !isEmptyCollection(node.right)) return false;
  const emptied = truncates ? location.collection ?? location.key.replace(/\.length$/, '') : location.key;
  for (const [r, f] of s.reads) {
    if (f.location.key === emptied && !f.by && !f.overwritten && r.getEnd() <= node.getStart() && isHeldInLocal(s, r)) return true;
  }
  return false;
}

/** Whether a write is made under a lock after reading its location again under that lock. */
function recheckedUnderLock(location: SharedLocation, s: RaceState): boolean {
  return s.locked > 0 && s.lockedReads.has(location.key);
}

/**
 * Whether a write goes where a read came from: the same location, or (for stores, whose written
 * value is already known to come from the read) the same store under a key that may be the same.
 */
function sameTarget(read: SharedLocation, written: SharedLocation): boolean {
  // Through helpers of the file: what the bodies touch, or what the names say (`loadTasks()` …
  // a `saveTasks(t)` whose body the model cannot follow).
  if (read.alias || written.alias) {
    const plain = (l: SharedLocation | undefined) => l && { ...l, alias: undefined };
    for (const r of [plain(read), plain(read.alias)]) for (const w of [plain(written), plain(written.alias)]) if (r && w && sameTarget(r, w)) return true;
    return false;
  }
  if (read.noun && written.noun && !nounsAgree(read.noun, written.noun)) return false;
  if (read.key === written.key) return true;
  if (!read.resource || read.resource !== written.resource) return false;
  if (read.literalKey && written.literalKey && read.entry !== written.entry) return false;
  return !differentConstantMembers(read.entry, written.entry);
}

/**
 * Whether a record fetched by a function the model cannot follow, named for what it returns
 * (`getRowById(tableId, rowId)`, `fetchInvoice(id)`), is written back by a store write that names
 * the same kind of record and the same key: a table or collection whose name ends in that noun
 * (`update(userTableRows)…where(eq(userTableRows.id, rowId))`, `db.collection('invoices')`), or a
 * write verb on it (`updateInvoice({ id, … })`), with one of the getter's key arguments (not a
 * literal) among its own. The getter's name and key say which record it returns as a store's
 * read would; the write then puts back what was read, as `select` … `update` of that table does.
 */
function sameRecordByName(read: ts.Node, readLocation: SharedLocation, write: ts.Node, written: SharedLocation): boolean {
  if (!ts.isCallExpression(read) || !ts.isCallExpression(write) || !readLocation.noun || !readLocation.key.startsWith('resource:') || written.kind !== 'store' || written.key.startsWith('resource:')) return false;
  const noun = readLocation.noun;
  const lastWord = (n: string) => (/[A-Z][a-z0-9]*$/.exec(n)?.[0] ?? n).replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
  // The name the write gives the record: its verb's noun, or the table or collection it names.
  let named = !!written.noun && nounsAgree(noun, written.noun);
  if (!named && written.key.startsWith('sql:')) {
    const table = written.key.slice(4);
    const visit = (n: ts.Node): void => {
      if (named) return;
      if ((ts.isIdentifier(n) || ts.isStringLiteral(n)) && n.text.toLowerCase() === table) {
        const spelled = n.text.charAt(0).toUpperCase() + n.text.slice(1);
        if (lastWord(spelled) === lastWord(noun) && lastWord(noun).length > 2) named = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(write);
  }
  if (!named) return false;
  const writeText = write.getText();
  return read.arguments.some((a) => {
    const x = skipParens(a);
    if (!(ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) || x.getText() === 'this') return false;
    const t = x.getText().replace(/[.$]/g, (c) => `\\${c}`);
    return new RegExp(`(^|[^\\w$.])${t}($|[^\\w$])`).test(writeText);
  });
}

/**
 * Two members of one constant namespace (`KV.sessions` and `KV.summaries`, `Keys.theme` and
 * `Keys.locale`): names of different collections or keys, as surely as two different literals.
 */
function differentConstantMembers(a: string | undefined, b: string | undefined): boolean {
  const member = /^([A-Z][\w$]*)\.([A-Za-z_$][\w$]*)$/;
  const ma = a?.match(member);
  const mb = b?.match(member);
  return !!ma && !!mb && ma[1] === mb[1] && ma[2] !== mb[2];
}

/** The variables a store key names (`{ where: { email } }` → email), not its property names. */
function keyIdentifiers(entry: string | undefined): string[] {
  if (!entry) return [];
  // A long entry is shortened for messages (`…, commentId: co...`): its cut-off word names nothing.
  if (entry.endsWith('...')) entry = entry.slice(0, -3).replace(/[\w$]*$/, '');
  const out: string[] = [];
  const re = /[A-Za-z_$][\w$]*/g;
  for (let m = re.exec(entry); m; m = re.exec(entry)) {
    const after = entry.slice(m.index + m[0].length);
    const before = entry.slice(0, m.index);
    if (/^\s*:/.test(after) || /\.\s*$/.test(before) || /^(true|false|null|undefined|this|new|typeof)$/.test(m[0])) continue;
    if (/^['"`]/.test(after) || /['"`]$/.test(before)) continue;
    out.push(m[0]);
  }
  return out;
}


const EQUALITY_OPERATORS = [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken];

/**
 * What a test asks to be there or not: `x` in `x`, `!x`, `x == null`, `undefined !== x` (negations
 * and comparisons with `null` or `undefined` taken off); any other test itself.
 */
function presenceOperand(check: ts.Node): ts.Expression {
  let c = skipParens(check as ts.Expression);
  while (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) c = skipParens(c.operand);
  if (ts.isBinaryExpression(c) && EQUALITY_OPERATORS.includes(c.operatorToken.kind)) {
    if (isNullishLiteral(c.right)) return skipParens(c.left);
    if (isNullishLiteral(c.left)) return skipParens(c.right);
  }
  return c;
}

/**
 * An assignment whose value is chosen by testing the target itself, with nothing awaited in the
 * value: `session = session ? { ...session, seen } : null`, `x = x == null ? make() : x`. The test
 * and the write are one step, after any await before them, so the write starts from what is there
 * now: whatever another run set during an earlier suspension is what this write tests and keeps
 * (a re-check spelled inside the write, as `x = x ?? v` is). (`x = x ? a : await b()` tests
 * before its own await: not one step.)
 */
function retestsTarget(node: ts.Node): boolean {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const value = skipParens(node.right);
  return ts.isConditionalExpression(value) && !suspends(value) && isNullnessTest(value.condition, skipParens(node.left));
}

/**
 * Whether a write that tests its target again (see retestsTarget) leaves `field` as it is now:
 * each value it can store is empty, or a copy of the target itself with other fields set
 * (`{ ...user, points }`), spreading nothing else.
 */
function keepsField(write: ts.BinaryExpression, field: string): boolean {
  const value = skipParens(write.right) as ts.ConditionalExpression;
  const target = flatText(skipParens(write.left));
  return [value.whenTrue, value.whenFalse].every((b) => {
    const v = skipParens(b);
    if (isNullishLiteral(v) || flatText(v) === target) return true;
    if (!ts.isObjectLiteralExpression(v)) return false;
    let copies = false;
    for (const p of v.properties) {
      if (ts.isSpreadAssignment(p)) {
        if (flatText(skipParens(p.expression)) !== target) return false;
        copies = true;
      } else if (!p.name || ts.isComputedPropertyName(p.name) || ((ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === field)) return false;
    }
    return copies;
  });
}

/** `x`, `!x`, `x == null`, `this.conn !== undefined`: a test of whether a reference holds something, not of its value. */
function isPresenceTest(check: ts.Node): boolean {
  const p = presenceOperand(check);
  return ts.isIdentifier(p) || ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p);
}

/** Whether a node awaits or yields outside the functions nested in it: a suspension of the function it is in. */
function suspends(n: ts.Node): boolean {
  return ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (!isFunctionLike(n) && ts.forEachChild(n, suspends) === true);
}

/** A node's text without whitespace: the same expression however it is spaced or broken over lines. */
function flatText(n: ts.Node): string {
  return n.getText().replace(/\s+/g, '');
}

/**
 * Whether a callee's write after its own await acts on a caller's guard: not when the callee
 * checked again before it, nor when the write tests its target again in its own value and the
 * guard only asked whether the target is there (see retestsTarget).
 */
function lateWriteActsOn(w: LateWrite, guard: GuardFact): boolean {
  return !w.rechecked && !(w.retested && isPresenceTest(guard.check));
}

/** `x == null`, `x === undefined`, `x != null`: a test for a missing value. */
function isNullTest(check: ts.Node): boolean {
  let c = skipParens(check as ts.Expression);
  while (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) c = skipParens(c.operand);
  return ts.isBinaryExpression(c) && (isNullishLiteral(c.left) || isNullishLiteral(c.right));
}

/**
 * A write that changes an existing record (`updateUser(id, data)`, `repo.update(…)`, SQL
 * `UPDATE`), as opposed to one that can create it (`set`, `put`, `insert`, `upsert`).
 */
function isUpdateOfExisting(call: ts.CallExpression): boolean {
  const first = call.arguments[0] && skipParens(call.arguments[0]);
  if (first && ts.isStringLiteralLike(first) && /^\s*update\b/i.test(first.text)) return true;
  // (Also mongoose's `findByIdAndUpdate(id, update)`: it matches nothing once the record is gone.)
  return /^(update|patch|modify|edit|change|rename)(?![a-z])|^find(One|ById)?AndUpdate$/.test(verbOf(call));
}

/**
 * The await that sets up an object just stored: `client = createClient(o)` … `await client.connect()`,
 * `this.ws = new WebSocket(u)` … `await once(this.ws, 'open')`. The stored value must be made by
 * a call or `new`; the await must come later in the same function, outside nested functions, and
 * call a method of the object or pass it.
 */
function setUpAwait(assign: ts.BinaryExpression, fn: FunctionLike): ts.AwaitExpression | undefined {
  const made = skipParens(assign.right);
  const value = ts.isAwaitExpression(made) ? undefined : made;
  if (!value || !(ts.isCallExpression(value) || ts.isNewExpression(value)) || !fn.body) return undefined;
  const target = flatText(assign.left).replace(/[?!]/g, '');
  const names = (e: ts.Node) => flatText(e).replace(/[?!]/g, '') === target;
  let found: ts.AwaitExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn && isFunctionLike(n))) return;
    if (ts.isAwaitExpression(n) && n.getStart() > assign.getEnd()) {
      const call = skipParens(n.expression);
      if (ts.isCallExpression(call)) {
        const callee = skipParens(call.expression);
        if ((ts.isPropertyAccessExpression(callee) && names(skipParens(callee.expression))) || call.arguments.some((a) => names(skipParens(a)))) found = n;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * A claim of rows a search found free: the search filters on a field's value (`where: { processing:
 * false }`, `{ status: 'queued' }`), and an update of the rows it found, named by what it returned
 * (`where: { id: { in: ids } }`), sets that field to something else without filtering on it again.
 * Two workers that search at once both find the same rows and both claim them; an update that
 * repeats the filter (`where: { id: { in: ids }, processing: false }`) lets the store decide.
 * Forms: one options object (`{ where, data }`), Sequelize's `update(values, { where })`, and
 * Mongo's `updateMany(filter, { $set })`. The field that is flipped, when there is one.
 */
function claimedField(search: ts.CallExpression, update: ts.CallExpression): string | undefined {
  const [a0, a1] = update.arguments.map(skipParens);
  if (!a0) return undefined;
  const inOne = whereOption(a0);
  const inSecond = !inOne && a1 ? whereOption(a1) : undefined;
  const where = inOne ?? inSecond ?? (a1 ? a0 : undefined);
  let data = inOne ? dataOption(a0) : inSecond ? a0 : a1;
  const set = data && fieldsOf(data).get('$set');
  if (set) data = set;
  const filter = search.arguments[0] && (whereOption(search.arguments[0]) ?? search.arguments[0]);
  if (!where || !data || !filter) return undefined;
  // (The same table or collection, when both name one.)
  const tableOf = (call: ts.CallExpression) => {
    const t = call.arguments[0] && fieldsOf(call.arguments[0]);
    const v = t && (t.get('collection') ?? t.get('table') ?? t.get('model'));
    return v && ts.isStringLiteralLike(v) ? v.text : undefined;
  };
  const [from, to] = [tableOf(search), tableOf(update)];
  if (from !== undefined && to !== undefined && from !== to) return undefined;
  const filtered = fieldsOf(filter);
  const written = fieldsOf(data);
  const rechecked = fieldsOf(where);
  const literal = (e: ts.Expression) => ts.isLiteralExpression(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
  for (const [field, value] of filtered) {
    const next = written.get(field);
    if (next && literal(value) && !rechecked.has(field) && next.getText() !== value.getText()) return field;
  }
  return undefined;
}

/** The named properties of an object literal and their values (shorthands name themselves). */
function fieldsOf(e: ts.Expression): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  const o = skipParens(e);
  if (!ts.isObjectLiteralExpression(o)) return out;
  for (const p of o.properties) {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (name && ts.isPropertyAssignment(p)) out.set(name, skipParens(p.initializer));
    else if (name && ts.isShorthandPropertyAssignment(p)) out.set(name, p.name);
  }
  return out;
}

/**
 * Whether a write sets a field the check tested: `if (order.receiptSentAt) return; …
 * update({ receiptSentAt: new Date() })` marks the record done, a claim whatever the value.
 */
function setsCheckedField(check: ts.Node, args: readonly ts.Expression[]): boolean {
  // Only fields tested for being set (`o.sentAt`, `!o.sent`, `o.sentAt == null`), not compared with
  // new input (`u.email !== email` then `update({ email })` is an ordinary update).
  const tested = new Set<string>();
  const visit = (n: ts.Expression): void => {
    const x = skipParens(n);
    if (ts.isPropertyAccessExpression(x)) tested.add(x.name.text);
    else if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) visit(x.operand);
    else if (ts.isBinaryExpression(x)) {
      const op = x.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        visit(x.left);
        visit(x.right);
      } else if ([ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(op)) {
        if (isNullishLiteral(x.right)) visit(x.left);
        else if (isNullishLiteral(x.left)) visit(x.right);
      }
    }
  };
  if (ts.isExpression(check)) visit(check);
  if (tested.size === 0) return false;
  return args.some((a) => {
    const x = skipParens(a);
    return ts.isObjectLiteralExpression(x) && x.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && tested.has(p.name.text));
  });
}

/**
 * The parts of a value written that carry data: the value, less what only names a record (an
 * argument `user.id`, and in an object written, a property set to one: `update({ id: asset.id,
 * parentId: parent.id, hidden: true })`). A record's id is not changed by another task's write, so
 * an id read before the await is not a stale value.
 */
function dataParts(v: ts.Expression): ts.Expression[] {
  if (isKeyLike(v)) return [];
  const o = skipParens(v);
  if (!ts.isObjectLiteralExpression(o) || !o.properties.some((p) => ts.isPropertyAssignment(p) && isKeyLike(p.initializer))) return [v];
  const parts: ts.Expression[] = [];
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name)) parts.push(...dataParts(p.initializer));
    else if (ts.isShorthandPropertyAssignment(p)) {
      if (!isKeyLike(p.name)) parts.push(p.name);
    } else if (ts.isSpreadAssignment(p)) parts.push(p.expression);
    else return [v];
  }
  return parts;
}

/** An argument that names a record rather than carrying data: `user.id`, `userId`, `key`. */
export function isKeyLike(e: ts.Expression): boolean {
  const x = skipParens(e);
  const name = ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : '';
  return /^(id|_id|uuid|key|slug|pk)$|[a-z](Id|ID|Key|Uuid)$|_id$/.test(name);
}

/**
 * Whether a condition atom that came out `outcome` says the thing it tests is present
 * (`row`, `row != null`, `rows.length > 0`), absent (`!row`, `row === null`, `rows.length === 0`),
 * or neither (any other comparison).
 */
function presenceOf(atom: ts.Expression, outcome: boolean, record: ts.Node): boolean | undefined {
  const core = (e: ts.Expression) => {
    let x = skipParens(e);
    if (ts.isAwaitExpression(x)) x = skipParens(x.expression);
    return x;
  };
  const a = skipParens(atom);
  const isRecord = (e: ts.Expression) => core(e) === record;
  const isLength = (e: ts.Expression) => ts.isPropertyAccessExpression(skipParens(e)) && ['length', 'size'].includes((skipParens(e) as ts.PropertyAccessExpression).name.text) && isRecord((skipParens(e) as ts.PropertyAccessExpression).expression);
  // The record itself (`row`, `await find(q)`) or a count of it (`rows.length`); a field of it
  // (`item.trackStock`) or a call it is passed to (`canEdit(row)`) says nothing about whether it exists.
  if (isRecord(a) || isLength(a)) return outcome;
  if (!ts.isBinaryExpression(a)) return undefined;
  const op = a.operatorToken.kind;
  // `file instanceof TFolder`: found as a folder, or not (missing, or something else there).
  if (op === ts.SyntaxKind.InstanceOfKeyword && isRecord(a.left)) return outcome;
  const isZero = (e: ts.Expression) => ts.isNumericLiteral(skipParens(e)) && (skipParens(e) as ts.NumericLiteral).text === '0';
  const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const inequality = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  if (((isNullishLiteral(a.left) && isRecord(a.right)) || (isNullishLiteral(a.right) && isRecord(a.left))) || (isLength(a.left) && isZero(a.right)) || (isLength(a.right) && isZero(a.left))) {
    if (equality) return !outcome;
    if (inequality) return outcome;
  }
  if (isLength(a.left) && isZero(a.right) && op === ts.SyntaxKind.GreaterThanToken) return outcome;
  return undefined;
}

/**
 * A comparison of values (`seq === this.lastSeq`, `n > limit`), not a test of presence
 * (`if (row)`, `x !== undefined`): deleting what was found present is what a later run would do
 * too, but deleting on a stale comparison can remove what another task just set.
 */
function isValueComparison(check: ts.Node): boolean {
  const c = skipParens(check as ts.Expression);
  if (!ts.isBinaryExpression(c)) return false;
  const op = c.operatorToken.kind;
  const comparisons = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken];
  if (!comparisons.includes(op)) return false;
  const nullish = (e: ts.Expression) => {
    const x = skipParens(e);
    return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || ts.isVoidExpression(x);
  };
  return !nullish(c.left) && !nullish(c.right);
}

/**
 * `if (row.owner !== me) update(…, me, …)`: the act writes the value the check compared with, so
 * two runs that both pass write the same thing, and a run that sees it already done skips a
 * harmless write. The check is a shortcut, not a decision.
 */
function writesComparedValue(check: ts.Node, act: ts.Node, args: readonly ts.Expression[] | undefined): boolean {
  let c = skipParens(check as ts.Expression);
  while (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) c = skipParens(c.operand);
  if (!ts.isBinaryExpression(c) || ![ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(c.operatorToken.kind)) return false;
  const sides = new Set([flatText(c.left), flatText(c.right)]);
  const written: ts.Expression[] = [];
  if (ts.isBinaryExpression(act) && act.operatorToken.kind === ts.SyntaxKind.EqualsToken) written.push(act.right);
  else if (args) {
    for (const a of args) {
      const x = skipParens(a);
      if (ts.isArrayLiteralExpression(x)) written.push(...x.elements);
      else written.push(x);
    }
  }
  return written.some((w) => {
    return sides.has(flatText(w)) && !ts.isLiteralExpression(skipParens(w)) && skipParens(w).kind !== ts.SyntaxKind.NullKeyword;
  });
}

/** Whether a check tests that `target` is (not) null or undefined or falsy. */
function isNullnessTest(check: ts.Node, target: ts.Expression): boolean {
  return flatText(presenceOperand(check)) === flatText(target);
}

/**
 * Writes that replace a whole stored value (a key of a KV store, a file, a resource saved by a
 * helper), as opposed to saving an entity, which ORMs do field by field.
 */
function isReplacementWrite(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return /^(set|put|setItem|setex|setEx|psetex|hset|hSet|hmset|write|writeFile|writeFileSync|writeJson|writeJSON|writeJsonSync|outputJson|outputFile|replace|replaceOne|set[A-Z]\w*|put[A-Z]\w*)$/.test(callee.name.text);
}

/** Methods that run a callback inside a database transaction: `transaction`, Prisma's `$transaction`, `withTransaction`. */
const TRANSACTION_RUNNERS = /^(\$?transaction|withTransaction|runTransaction|transactionAsync)$/;

/** The transaction runner call (`db.transaction(async (tx) => …)`) whose callback holds `node`, if any. */
export function enclosingTransaction(node: ts.Node): ts.CallExpression | undefined {
  const f = enclosingFunction(node);
  if (ts.isSourceFile(f) || !(ts.isArrowFunction(f) || ts.isFunctionExpression(f))) return undefined;
  let n: ts.Node = f;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((a) => a === n)) return undefined;
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && TRANSACTION_RUNNERS.test(callee.name.text) ? call : undefined;
}

/** Calls that hand back an element of the collection itself, not a copy: a change to it changes the collection's owner. */
const PART_PICKS = new Set(['find', 'findLast', 'at', 'get']);

/** `Object.assign(target, …)`: a change of `target` in place. */
function isObjectAssign(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  return call.arguments.length >= 2 && !ts.isSpreadElement(call.arguments[0]) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && !ts.isObjectLiteralExpression(skipParens(call.arguments[0]));
}

/**
 * Functions that change the object they are handed first, in place: `Object.assign(o, patch)`,
 * `Reflect.set(o, k, v)`, and those of lodash and its kin (`_.set(o, 'a.b', v)`, `merge(o, p)`
 * imported from 'lodash', `setProperty(o, path, v)` from 'dot-prop', the default export of
 * 'lodash.set').
 */
function isInPlaceUpdate(call: ts.CallExpression): boolean {
  if (isObjectAssign(call)) return true;
  if (call.arguments.length < 2 || ts.isSpreadElement(call.arguments[0]) || ts.isObjectLiteralExpression(skipParens(call.arguments[0]))) return false;
  const callee = skipParens(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const owner = callee.expression.text;
    if (owner === 'Reflect') return callee.name.text === 'set' || callee.name.text === 'deleteProperty' || callee.name.text === 'defineProperty';
    return IN_PLACE_UTILITIES.test(callee.name.text) && (owner === '_' || owner === 'lodash' || utilityImports(call.getSourceFile()).namespaces.has(owner));
  }
  return ts.isIdentifier(callee) && utilityImports(call.getSourceFile()).functions.has(callee.text);
}

/** What lodash-like utilities change in place, by name. */
const IN_PLACE_UTILITIES = /^(set|setWith|unset|update|updateWith|merge|mergeWith|assign|assignIn|extend|defaults|defaultsDeep|pull|pullAll|pullAt|remove|setProperty|deleteProperty)$/;
/** Modules of such utilities: lodash (whole, per method, ES), underscore, dot-prop, object-path. */
const UTILITY_MODULES = /^(lodash|lodash-es|underscore|dot-prop|object-path)$/;
const UTILITY_METHOD_MODULES = /^lodash[./-]([a-z]+)$|^lodash\/([a-zA-Z]+)$|^lodash-es\/([a-zA-Z]+)$/i;

const utilityImportsMemo = new WeakMap<ts.SourceFile, { namespaces: Set<string>; functions: Set<string> }>();

/** The names a file binds to those utilities: whole modules (`_`, `objectPath`) and single in-place functions (`_set`, `merge`). */
function utilityImports(sf: ts.SourceFile): { namespaces: Set<string>; functions: Set<string> } {
  let out = utilityImportsMemo.get(sf);
  if (out) return out;
  out = { namespaces: new Set(), functions: new Set() };
  utilityImportsMemo.set(sf, out);
  if (!/lodash|underscore|dot-prop|object-path/.test(sf.text)) return out;
  const bind = (module: string, whole: string | undefined, named: Array<{ imported: string; local: string }>) => {
    const method = UTILITY_METHOD_MODULES.exec(module);
    const single = method && (method[1] ?? method[2] ?? method[3]);
    if (single && whole && IN_PLACE_UTILITIES.test(single)) out!.functions.add(whole);
    if (!UTILITY_MODULES.test(module)) return;
    if (whole) out!.namespaces.add(whole);
    for (const n of named) if (IN_PLACE_UTILITIES.test(n.imported)) out!.functions.add(n.local);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause) {
      const c = st.importClause;
      const whole = c.name?.text ?? (c.namedBindings && ts.isNamespaceImport(c.namedBindings) ? c.namedBindings.name.text : undefined);
      const named = c.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements.map((e) => ({ imported: (e.propertyName ?? e.name).text, local: e.name.text })) : [];
      bind(st.moduleSpecifier.text, whole, named);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const module = d.initializer && requiredModule(skipParens(d.initializer));
        if (module === undefined) continue;
        const named = ts.isObjectBindingPattern(d.name) ? d.name.elements.flatMap((e) => (ts.isIdentifier(e.name) ? [{ imported: e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : e.name.text, local: e.name.text }] : [])) : [];
        bind(module, ts.isIdentifier(d.name) ? d.name.text : undefined, named);
      }
    }
  }
  return out;
}

const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'set', 'add', 'delete', 'clear']);

const DOCUMENT_SAVES = new Set(['save', '$save', 'persist', 'commit', 'saveChanges']);

/** Creations that fail or duplicate when the entry exists (not `upsert`, `findOrCreate`, `createIfMissing`). */
const PENDING_CREATES = /^(create|insert|add|mkdir|make|register|new|provision|spawn)(?![a-z])/;

/**
 * The suspension of a creation still in flight when the next run can start: the `await` on it
 * (or on a `.then` chain of it), or the call itself when its promise is returned. A promise kept
 * in a variable may be shared with the next run (a map of pending creations): not in flight.
 */
function pendingCreation(call: ts.CallExpression): ts.Node | undefined {
  const name = verbOf(call);
  if (!PENDING_CREATES.test(name) || /OrCreate|OrUpdate|IfMissing|IfNotExists|IfAbsent|OrGet|OrReplace|Upsert/.test(name) || !isAsyncHere(call)) return undefined;
  let n: ts.Node = call;
  for (;;) {
    const p = n.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) n = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === n && ['then', 'catch', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) n = p.parent;
    else break;
  }
  if (ts.isAwaitExpression(n.parent)) return n.parent;
  return ts.isReturnStatement(n.parent) || (ts.isArrowFunction(n.parent) && n.parent.body === n) ? call : undefined;
}

/** File calls that fail when their target exists (EEXIST), whatever the options. */
const FAILS_IF_EXISTS = /^(link|linkSync|symlink|symlinkSync)$/;

/** An error handler that accepts an existing entry: empty, or about "exists", a duplicate, a conflict. */
function acceptsExisting(handler: ts.Node): boolean {
  if (/exist|EEXIST|duplicate|unique|conflict|already|P2002|11000|23505/i.test(handler.getText())) return true;
  const body = ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) ? handler.body : handler;
  if (ts.isBlock(body)) return body.statements.length === 0;
  const x = skipParens(body as ts.Expression);
  return x.kind === ts.SyntaxKind.NullKeyword || x.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(x) && /^(undefined|noop)$/.test(x.text)) || ts.isVoidExpression(x);
}

/**
 * Whether a creation tolerates an entry that exists by now: exclusive or recursive options, or a
 * failure caught by a handler that accepts it (`.catch(() => {})`, a `catch` that re-reads on "exists").
 */
export function toleratesExisting(call: ts.CallExpression, fn: FunctionLike): boolean {
  if (hasExclusiveFlag(call.arguments)) return true;
  if (testsReturnedConflict(call, fn)) return true;
  const p = call.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === call && p.name.text === 'catch' && ts.isCallExpression(p.parent) && p.parent.arguments[0]) return acceptsExisting(p.parent.arguments[0]);
  for (let n: ts.Node = call; n !== fn && n.parent; n = n.parent) {
    const t = n.parent;
    if (ts.isTryStatement(t) && t.tryBlock === n && t.catchClause) {
      const block = t.catchClause.block;
      // The name of a failed creation re-read in the catch (`if (!vault.getAbstractFileByPath(p)) throw e`).
      const name = calleeName(call);
      // (A verb of its own, `stat(p)`, `getUser(id)`, `findOne(q)`: not a word that starts like one,
      // `res.status(500)` answering the failure, `hasher.digest()`.)
      const rereads = (x: ts.Node): boolean => (ts.isCallExpression(x) && calleeName(x) !== name && /^(get|find|lookup|exists|has|stat|access)(?![a-z])/.test(calleeName(x))) || ts.forEachChild(x, rereads) === true;
      return acceptsExisting(block) || rereads(block);
    }
  }
  return false;
}

/**
 * Whether a creation that answers with its failure instead of throwing (`const { error } = await
 * db.from('t').insert(row)`, supabase and its kin) has that failure tested for a unique violation
 * afterwards (`if (error.code === '23505') …`): the store refuses the second row, and the code
 * handles the refusal, as a `catch` on EEXIST does.
 */
function testsReturnedConflict(call: ts.CallExpression, fn: FunctionLike): boolean {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent)) n = n.parent;
  const decl = n.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== n || !ts.isObjectBindingPattern(decl.name)) return false;
  const el = decl.name.elements.find((e) => ((e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : ts.isIdentifier(e.name) ? e.name.text : '') === 'error') && ts.isIdentifier(e.name));
  if (!el || !fn.body) return false;
  const name = (el.name as ts.Identifier).text;
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || (x !== fn && isFunctionLike(x))) return;
    if (ts.isIfStatement(x) && x.pos > call.end) {
      const cond = x.expression.getText();
      if (new RegExp(`\\b${name}\\b`).test(cond) && /23505|P2002|11000|ER_DUP_ENTRY|SQLITE_CONSTRAINT|duplicate|unique/i.test(cond)) found = true;
    }
    ts.forEachChild(x, visit);
  };
  visit(fn.body);
  return found;
}

/** Modules that run this code in other threads or processes: with them loaded, a file may be touched by another copy at any time. */
const OTHER_PROCESSES = /\brequire\s*\(\s*['"](node:)?(worker_threads|cluster)['"]|\bfrom\s+['"](node:)?(worker_threads|cluster)['"]/;

/** `child_process`, which starts other programs, and this one again only when asked to. */
const CHILD_PROCESS = /\brequire\s*\(\s*['"](node:)?child_process['"]|\bfrom\s+['"](node:)?child_process['"]/;

/**
 * A child process that runs JavaScript, perhaps this program's own: `fork(…)`, node started by its
 * path (`process.execPath`, `process.argv[0]`), or a command that starts with node or a runner of it.
 * (`exec('git clone …')`, `spawn('ffmpeg', …)` start another program, which touches what its
 * arguments name, not whatever this code checks.)
 */
const RUNS_JAVASCRIPT = /\bfork\s*\(|\bprocess\.execPath\b|\bprocess\.argv\s*\[\s*0\s*\]|\b(spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(\s*['"`](node|npx|npm|pnpm|yarn|tsx|ts-node|bun|deno)\b/;

/**
 * Whether a source file loads a module that runs this code in other threads or processes
 * (worker_threads, cluster, or child_process where it starts JavaScript).
 */
function showsOtherProcesses(sf: ts.SourceFile): boolean {
  return OTHER_PROCESSES.test(sf.text) || (CHILD_PROCESS.test(sf.text) && RUNS_JAVASCRIPT.test(sf.text));
}

/** A branch that only waits (`if (full) await slotFreed();`): what follows still depends on the test. */
function isWaitingArm(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  const statements = ts.isBlock(s) ? s.statements : [s];
  if (statements.length === 0) return false;
  return statements.every((x) => ts.isExpressionStatement(x) && ts.isAwaitExpression(skipParens(x.expression)));
}

/**
 * An arm that goes on only when its `try`, which returns, failed: `if (c) { try { await c.ping();
 * return c; } catch { … } }`. What follows runs when the test failed or what it found proved
 * unusable, so it still depends on the test.
 */
function fallsThroughOnlyOnFailure(s: ts.Statement | undefined): boolean {
  const last = s && (ts.isBlock(s) ? s.statements[s.statements.length - 1] : s);
  if (!last || !ts.isTryStatement(last) || !last.catchClause || last.finallyBlock) return false;
  const end = last.tryBlock.statements[last.tryBlock.statements.length - 1];
  return !!end && (ts.isReturnStatement(end) || ts.isThrowStatement(end));
}

export class RaceAnalyzer {
  private readonly results = new Map<FunctionLike, FunctionRaces>();
  private readonly inProgress = new Set<FunctionLike>();
  private readonly claimsByFunction = new Map<FunctionLike, SharedLocation[]>();
  private versionedSaves?: VersionedSaves;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly scopes: Scopes,
    readonly locations: LocationResolver,
    readonly idioms: SafeIdioms,
    readonly concurrency: ConcurrencyModel,
    readonly snapshotWriters?: SnapshotWriters,
  ) {}

  /**
   * The fields a function sets, to a value that is not empty, in its leading statements before its
   * first await (`this.phase = 'preparing'`): a caller that checked one of them and calls it in the
   * same segment has claimed it by the call.
   */
  earlyClaims(fn: FunctionLike): SharedLocation[] {
    let claims = this.claimsByFunction.get(fn);
    if (claims) return claims;
    claims = [];
    if (fn.body && ts.isBlock(fn.body)) {
      for (const st of fn.body.statements) {
        if (suspends(st)) break;
        const e = ts.isExpressionStatement(st) ? skipParens(st.expression) : undefined;
        if (!e || !ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || isReset(e)) continue;
        const location = this.locations.locationOf(e.left, fn);
        if (location && location.kind !== 'store' && location.kind !== 'file') claims.push(location);
      }
    }
    this.claimsByFunction.set(fn, claims);
    return claims;
  }

  /** Runs (once) the race data flow over a function with suspension points. */
  analyze(fn: FunctionLike): FunctionRaces {
    const done = this.results.get(fn);
    if (done) return done;
    const empty: FunctionRaces = { lostUpdates: [], checkThenActs: [], lateWrites: new Map(), claimsBeforeSuspending: false, held: new Set() };
    if (this.inProgress.has(fn)) return empty;
    this.inProgress.add(fn);
    const result = this.run(fn);
    this.inProgress.delete(fn);
    this.results.set(fn, result);
    return result;
  }

  private run(fn: FunctionLike): FunctionRaces {
    const out: FunctionRaces = { lostUpdates: [], checkThenActs: [], lateWrites: new Map(), claimsBeforeSuspending: false, held: new Set() };
    const seenWrites = new Set<ts.Node>();
    const seenActs = new Set<ts.Node>();
    /** Record saves that claim the field their check tested (see checksChangedField). */
    const claimingSaves = new Set<ts.Node>();
    const { locations, idioms, scopes } = this;

    /** A `const` of this function holding a record it made: an object literal or a `new` expression. */
    const isMadeHere = (b: Binding): boolean => {
      const d = b.declaration;
      if (b.kind !== 'const' || !ts.isVariableDeclaration(d) || !d.initializer) return false;
      const init = skipParens(d.initializer);
      return ts.isObjectLiteralExpression(init) || ts.isNewExpression(init);
    };
    const localBinding = (id: ts.Identifier, asTarget = false): Binding | undefined => {
      if (!asTarget && !isValueIdentifier(id)) return undefined;
      const b = scopes.resolve(id);
      if (!b || b.kind === 'function' || b.kind === 'class' || b.kind === 'enum') return undefined;
      if (ts.isSourceFile(b.owner)) return undefined;
      return b.owner === fn || isWithin(b.owner, fn) ? b : undefined;
    };

    /**
     * The arguments of a call that hand a function the code was given (a parameter, or an entry
     * of one: a loader, a reducer, `contract[name]`) the whole state behind a setter, read before
     * (`loadStore(getState())`, `contract[key].apply({ state }, args)`): such a function computes
     * the next state from it, so its result carries that read. (A request made with part of the
     * state, `await fetchPosts(user.id)`, or a method of a service, `api.save(s)`, answers with new data.)
     */
    const wholeStateHandedOver = (call: ts.CallExpression, s: RaceState): ts.Expression[] => {
      let callee = skipParens(call.expression);
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) callee = skipParens(callee.expression);
      while (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(skipParens(callee.argumentExpression))) callee = skipParens(callee.expression);
      const given = ts.isIdentifier(callee) ? scopes.resolve(callee) : undefined;
      if (given?.kind !== 'parameter') return [];
      const whole = (e: ts.Node, depth: number): boolean => {
        const x = ts.isExpression(e) ? skipParens(e) : e;
        const fact = s.reads.get(x);
        if (fact) return fact.location.kind === 'slot' && !fact.location.key.includes('.', fact.location.key.indexOf('@'));
        if (depth > 2) return false;
        if (ts.isObjectLiteralExpression(x)) return x.properties.some((p) => (ts.isShorthandPropertyAssignment(p) ? whole(p.name, depth + 1) : ts.isPropertyAssignment(p) && whole(p.initializer, depth + 1)));
        if (ts.isIdentifier(x)) {
          const b = localBinding(x);
          const d = b?.declaration;
          return !!d && ts.isVariableDeclaration(d) && !!d.initializer && ts.isIdentifier(d.name) && !!(d.parent.flags & ts.NodeFlags.Const) && whole(d.initializer, depth + 1);
        }
        return false;
      };
      return call.arguments.filter((a) => !ts.isSpreadElement(a) && whole(a, 0));
    };

    /**
     * The local whose object `b` is a part of: `const task = data.tasks.find(…)`, `const run =
     * state.runs[i]`, `const { tasks } = data`, `for (const t of data.tasks)`. Changing the part
     * in place changes the record the owner holds, and writing the owner back writes that change.
     * (Only picks that hand back an element itself, not a copy: `filter`, `map`, spreads make new objects.)
     */
    const partOwner = (b: Binding): Binding | undefined => {
      const d = patternOwner(b.declaration);
      let picked = d !== b.declaration;
      if (!ts.isVariableDeclaration(d)) return undefined;
      if (!ts.isIdentifier(d.name)) picked = true;
      const list = d.parent;
      const loop = ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent) && list.parent.initializer === list ? list.parent : undefined;
      if (!loop && !(ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const)) return undefined;
      let e: ts.Expression | undefined = loop ? loop.expression : d.initializer;
      if (loop) picked = true;
      while (e) {
        e = skipParens(e);
        if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
          e = e.expression;
          picked = true;
        } else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(skipParens(e.expression)) && PART_PICKS.has((skipParens(e.expression) as ts.PropertyAccessExpression).name.text)) {
          e = (skipParens(e.expression) as ts.PropertyAccessExpression).expression;
          picked = true;
        } else if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
          e = e.left;
        } else break;
      }
      if (!picked || !e || !ts.isIdentifier(e)) return undefined;
      const owner = localBinding(e);
      return owner && owner !== b ? owner : undefined;
    };

    /**
     * The async callback a database transaction runner is handed (`db.transaction(async (tx) => …)`),
     * and how a location reached through the callback's handle (`tx.user`) reads as one of the store
     * the runner was called on (`db.user`).
     */
    const transactionCallback = (call: ts.CallExpression): { cb: ts.ArrowFunction | ts.FunctionExpression; rebase: (l: SharedLocation) => SharedLocation } | undefined => {
      const callee = skipParens(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !TRANSACTION_RUNNERS.test(callee.name.text)) return undefined;
      const cb = call.arguments.find((a): a is ts.ArrowFunction | ts.FunctionExpression => (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) && isAsyncFunction(a));
      if (!cb) return undefined;
      const handle = cb.parameters[0] && ts.isIdentifier(cb.parameters[0].name) ? cb.parameters[0].name.text : undefined;
      const runner = locations.locationOf(callee.expression, fn);
      const runnerKey = runner?.key ?? `store:${callee.expression.getText()}`;
      const rebase = (l: SharedLocation): SharedLocation => {
        if (!handle) return l;
        const from = `store:${handle}`;
        const move = (k: string | undefined) => (k !== undefined && (k === from || k.startsWith(`${from}.`) || k.startsWith(`${from}[`)) ? runnerKey + k.slice(from.length) : k);
        return { ...l, key: move(l.key)!, resource: move(l.resource), collection: move(l.collection) };
      };
      return { cb, rebase };
    };

    /**
     * The creations a database transaction makes in the callback it is handed (`db.transaction(async
     * (tx) => tx.user.create(…))`, `sequelize.transaction(async (t) => User.create(…, { transaction: t }))`),
     * up to the first read inside it (a re-check in the transaction decides afresh). Creations through
     * the callback's handle are creations in the store the runner was called on.
     */
    const transactionActs = (call: ts.CallExpression): Array<{ call: ts.CallExpression; location: SharedLocation }> => {
      const tx = transactionCallback(call);
      if (!tx) return [];
      const { cb, rebase } = tx;
      const found: Array<{ call: ts.CallExpression; location: SharedLocation }> = [];
      let reread = false;
      const visit = (n: ts.Node): void => {
        if (reread || isFunctionLike(n) || ts.isClassLike(n)) return;
        ts.forEachChild(n, visit);
        if (!ts.isCallExpression(n) || reread) return;
        const access = locations.callAccess(n, cb);
        if (access && (access.mode === 'read' || access.mode === 'check')) {
          reread = true;
          return;
        }
        const created = locations.keyedCall(n, cb, 'create') ?? (access && (access.mode === 'mutate' || access.mode === 'write') && ts.isPropertyAccessExpression(skipParens(n.expression)) && PENDING_CREATES.test((skipParens(n.expression) as ts.PropertyAccessExpression).name.text) ? access.location : undefined);
        if (created && (created.kind === 'store')) found.push({ call: n, location: rebase(created) });
      };
      if (cb.body) visit(cb.body);
      return found;
    };

    /**
     * The writes to a store a database transaction makes in the callback it is handed, up to the
     * first read inside it of what it writes (a read in the transaction sees what others committed).
     * Writes through the callback's handle are writes to the store the runner was called on.
     */
    const transactionWrites = (call: ts.CallExpression): Array<{ call: ts.CallExpression; location: SharedLocation; values: readonly ts.Expression[] }> => {
      const tx = transactionCallback(call);
      if (!tx) return [];
      const { cb, rebase } = tx;
      const found: Array<{ call: ts.CallExpression; location: SharedLocation; values: readonly ts.Expression[] }> = [];
      const reread: SharedLocation[] = [];
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        ts.forEachChild(n, visit);
        if (!ts.isCallExpression(n)) return;
        const access = locations.callAccess(n, cb);
        if (!access || access.location.kind !== 'store') return;
        const location = rebase(access.location);
        if (access.mode === 'read' || access.mode === 'check') reread.push(location);
        else if (access.mode === 'write' && !access.empties && !reread.some((r) => sameTarget(r, location))) found.push({ call: n, location, values: access.values ?? [] });
      };
      if (cb.body) visit(cb.body);
      return found;
    };

    /** Marks a local's object changed (`touched`, or a named field set: `edited`), and the objects it is a part of. */
    const changed = (b: Binding, s: RaceState, how: { touched?: boolean; edited?: boolean }): void => {
      const seen = new Set<Binding>();
      for (let x: Binding | undefined = b; x && !seen.has(x); x = partOwner(x)) {
        seen.add(x);
        if (how.touched) s.touched.add(x);
        if (how.edited) s.edited.add(x);
      }
    };

    /** The shared reads a value came from: reads inside the expression, and what its locals carry. */
    const taintOf = (expr: ts.Node | undefined, s: RaceState, directOnly = false): Set<ts.Node> => {
      const acc = new Set<ts.Node>();
      if (!expr) return acc;
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        if (s.reads.has(n) && !(isPartOfLargerRead(n) && !isFieldOfGetterRead(n, s)) && !isReceiverOfTrackedRead(n, s)) acc.add(n);
        // A promise around a callback read resolves with what the read handed its callback.
        if (ts.isNewExpression(n)) for (const r of readsResolvedBy(n)) if (s.reads.has(r)) acc.add(r);
        if (ts.isIdentifier(n)) {
          const b = localBinding(n);
          const t = b && (directOnly ? s.direct : s.taints).get(b);
          if (t) for (const r of t) acc.add(r);
        }
        // A value handed to an arbitrary call (`filter(x, this.items)`) is not what the call returns.
        if (directOnly && ts.isCallExpression(n) && !s.reads.has(n) && !isConversion(n)) {
          const callee = skipParens(n.expression);
          if (ts.isPropertyAccessExpression(callee)) visit(callee.expression);
          for (const a of wholeStateHandedOver(n, s)) visit(a);
          return;
        }
        ts.forEachChild(n, visit);
      };
      visit(expr);
      return acc;
    };

    /**
     * What a value written through a setter carries of earlier reads: the direct taint, except
     * that a store or resource read stands for itself, not for the keys it was asked with
     * (`const posts = await fetchPosts(user.id)` holds new posts, not `user`). Constant locals
     * are followed to their initializer.
     */
    const heldTaint = (expr: ts.Node, s: RaceState, seen = new Set<Binding>()): Set<ts.Node> => {
      const acc = new Set<ts.Node>();
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        const fact = s.reads.get(n);
        if (fact && !(isPartOfLargerRead(n) && !isFieldOfGetterRead(n, s)) && !isReceiverOfTrackedRead(n, s)) acc.add(n);
        if (fact && ts.isCallExpression(n) && fact.location.kind === 'store') return;
        // (A promise made around a callback read resolves with what the read handed its callback.)
        if (ts.isNewExpression(n)) for (const r of readsResolvedBy(n)) if (s.reads.has(r)) acc.add(r);
        if (ts.isIdentifier(n)) {
          const b = localBinding(n);
          const d = b?.declaration;
          if (b && d && ts.isVariableDeclaration(d) && d.initializer && d.parent.flags & ts.NodeFlags.Const) {
            if (!seen.has(b)) {
              seen.add(b);
              for (const r of heldTaint(d.initializer, s, seen)) acc.add(r);
              // (And what a field of a record made here was set to since, see isMadeHere.)
              if (isMadeHere(b)) for (const r of s.direct.get(b) ?? []) acc.add(r);
            }
          } else if (b) for (const r of s.direct.get(b) ?? []) acc.add(r);
        }
        // An awaited request answers with new data (`await createWorkspace({ owner: ws.owner })`);
        // a synchronous call computes from its arguments (`sortBy([...items, x])`).
        if (ts.isCallExpression(n) && !fact && isAwaitedCall(n)) {
          const callee = skipParens(n.expression);
          if (ts.isPropertyAccessExpression(callee)) visit(callee.expression);
          for (const a of wholeStateHandedOver(n, s)) visit(a);
          return;
        }
        // A computed key names an entry (`{ [created.id]: true }`); the value is what is stored.
        if (ts.isComputedPropertyName(n)) return;
        ts.forEachChild(n, visit);
      };
      visit(expr);
      return acc;
    };

    /**
     * Whether every value a SQL write stores from `read` is computed by the database from the
     * column it replaces: an SQL fragment naming that table's column (`set({ data: sql`${rows.data}
     * || ${patch}::jsonb` })`), directly, through a const, through a function of this file that
     * returns one, or on both arms of a `?:`. The store merges into what the row holds when the
     * write runs, so what another request wrote in between is kept.
     */
    const mergedInStore = (node: ts.Node, location: SharedLocation, read: ts.Node, s: RaceState): boolean => {
      if (!ts.isCallExpression(node) || !location.key.startsWith('sql:')) return false;
      const table = location.key.slice(4);
      const sf = node.getSourceFile();
      const seen = new Set<ts.Node>();
      const merged = (e: ts.Expression, depth: number): boolean => {
        const x = skipParens(e);
        if (depth > 4 || seen.has(x)) return false;
        seen.add(x);
        if (ts.isTaggedTemplateExpression(x)) {
          return ts.isTemplateExpression(x.template) && x.template.templateSpans.some((sp) => {
            const v = skipParens(sp.expression);
            return ts.isPropertyAccessExpression(v) && ts.isIdentifier(v.expression) && v.expression.text.toLowerCase() === table;
          });
        }
        if (ts.isConditionalExpression(x)) return merged(x.whenTrue, depth + 1) && merged(x.whenFalse, depth + 1);
        if (ts.isIdentifier(x)) {
          const d = localBinding(x)?.declaration;
          return !!d && ts.isVariableDeclaration(d) && !!d.initializer && isConstDeclaration(d) && merged(d.initializer, depth + 1);
        }
        if (ts.isCallExpression(x) && ts.isIdentifier(x.expression)) {
          const name = x.expression.text;
          const f = sf.statements.find((st): st is ts.FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === name && !!st.body);
          if (!f?.body) return false;
          const returned = returnedValues(f);
          return returned.length > 0 && returned.every((r) => merged(r, depth + 1));
        }
        return false;
      };
      // The values the write stores from the read: each property of its object arguments that carries it.
      const carried: ts.Expression[] = [];
      const collect = (n: ts.Node): void => {
        if (isFunctionLike(n)) return;
        if (ts.isCallExpression(n)) {
          for (const a of n.arguments) {
            const o = skipParens(a);
            if (!ts.isObjectLiteralExpression(o)) continue;
            for (const p of o.properties) {
              const v = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
              if (v && taintOf(v, s).has(read)) carried.push(v);
            }
          }
        }
        ts.forEachChild(n, collect);
      };
      collect(node);
      return carried.length > 0 && carried.every((v) => merged(v, 0));
    };

    const act = (location: SharedLocation, node: ts.Node, s: RaceState, extra: SharedLocation[] = [], crossedBy?: ts.Node, callee?: FunctionLike, args?: readonly ts.Expression[]): void => {
      // Removing or resetting is idempotent: two runs doing it after one check do no harm.
      const reset = isReset(node);
      // The values the act stores: an assignment's right side, or the call's arguments.
      const written = ts.isBinaryExpression(node) ? [node.right] : (args ?? []);
      const keys = new Map<string, SharedLocation>();
      /** Guards of searches whose rows the act claims (see claimedField). */
      const claims = new Map<string, string>();
      keys.set(location.key, location);
      if (location.collection) keys.set(location.collection, location);
      // Putting a file into a directory the check found missing or without it (`if (!existsSync(dir))
      // … await fetch(u) … renameSync(tmp, join(dir, name))`): two runs that both found nothing both publish.
      if (location.directory && !reset && s.guards.get(location.directory)?.present === false) keys.set(location.directory, location);
      for (const e of extra) keys.set(e.key, e);
      // Replacing an object replaces what was checked inside it: `this.state = {…}` after
      // `this.state.phase`. (A call through a service object, `this.updateX(v)`, replaces nothing.)
      if (location.kind !== 'store') for (const key of s.guards.keys()) if (key.startsWith(`${location.key}.`)) keys.set(key, location);
      // Changing part of an object whose stale copy was compared: `const s = this.state; await x;
      // if (s.step === 2) this.state.step = 3`.
      for (const [key, g] of s.guards) if (g.stale && isValueComparison(g.check) && location.key.startsWith(`${key}.`)) keys.set(key, location);
      // A store record checked by key, acted on by a call that names the same key variables:
      // `findOne({ where: { email } })` … `create({ email, name })`.
      if (location.resource && args) {
        const argText = args.map((a) => recordText(a, scopes)).join(' ');
        for (const [key, g] of s.guards) {
          // (An entry read like a map's, `this.registry.get(name)`, names a key of the same store
          // for a creation on it: `await this.registry.create(name)`.)
          const sameStore = g.location.resource === location.resource || (!g.location.resource && g.location.collection === location.resource && ts.isCallExpression(node) && !!pendingCreation(node));
          // (Not a record of another collection: `get(KV.sessions, id)` … `set(KV.summaries, id, s)`.)
          if (keys.has(key) || !sameStore || differentConstantMembers(g.location.entry, location.entry)) continue;
          const ids = keyIdentifiers(g.location.entry);
          if (ids.length === 0 && g.location.entry !== undefined) continue;
          if (ids.every((id) => new RegExp(`(^|[^\\w$])${id.replace(/\$/g, '\\$')}($|[^\\w$])`).test(argText))) keys.set(key, location);
        }
        // Rows a search found free, updated by what it returned: `find({ where: { done: false } })` …
        // `updateMany({ where: { id: { in: ids } }, data: { done: true } })`.
        if (ts.isCallExpression(node)) {
          for (const [key, g] of s.guards) {
            if (keys.has(key) || g.location.resource !== location.resource || !g.read || !ts.isCallExpression(g.read)) continue;
            if (taintOf(node.arguments[0], s).has(g.read) || (node.arguments[1] && taintOf(node.arguments[1], s).has(g.read))) {
              const field = claimedField(g.read, node);
              if (field) {
                keys.set(key, location);
                claims.set(key, field);
              }
            }
          }
        }
      }
      // A statement that read several tables (`SELECT (SELECT SUM(cents) FROM spend_log …),
      // (SELECT SUM(cents) FROM holds …)`) checked each of them: an insert into any acts on it.
      // (The finding names the table acted on.)
      if (location.kind === 'store') {
        for (const [key, g] of s.guards) {
          if (keys.has(key) || !g.location.alsoReads?.includes(location.key)) continue;
          s.guards.set(key, { ...g, location: { ...g.location, key: location.key, text: location.text, resource: location.resource, alsoReads: undefined } });
          keys.set(key, location);
        }
      }
      // A state of the object checked in this segment (`client?.isReady`), and the object replaced
      // by a new one that reaches that state only at a later await of its own (`await
      // client.connect()`): until then a second run finds it not ready, and replaces it again.
      const testsReadiness = location.kind !== 'store' && [...keys.keys()].some((k) => k.startsWith(`${location.key}.`) && s.guards.has(k) && !s.guards.get(k)!.by);
      const notReadyUntil = testsReadiness && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? setUpAwait(node, fn) : undefined;
      // (A write that tests the target again in its own value answers the check on the target itself, see retestsTarget.)
      const retested = retestsTarget(node);
      for (const [key, actLocation] of keys) {
        const g = s.guards.get(key);
        if (!g) continue;
        // (Only a test of whether it is there: after a comparison of its value, `if (count < 5)`,
        // both runs passed on the same old value, and a write relative to the current one still
        // goes past the limit.)
        if (retested && key === location.key && isPresenceTest(g.check)) continue;
        // (Nor a test of a field the write copies from the current object unchanged:
        // `user = user ? { ...user, points } : null` after `user.role === 'guest'` keeps the role
        // that is there now, and acts on no field but `points`.)
        if (retested && key.startsWith(`${location.key}.`) && keepsField(node as ts.BinaryExpression, key.slice(location.key.length + 1).split('.')[0])) continue;
        // Calls whose names say they touch two resources of one store or module act on what was
        // not checked: `await getClientAssertion(…)` … `createClientAuthError(…)`,
        // `await this.getOrCreateBundle(opts)` … `this.createWorkflowCreator(bundle, opts)`. (Under one
        // key the names may be parts of one record: `getRoom(roomId)` … `addPlayer(roomId, p)`.)
        if (g.location.noun && actLocation.noun && !nounsAgree(g.location.noun, actLocation.noun) && (g.location.entry === undefined || g.location.entry !== actLocation.entry)) continue;
        s.guards.delete(key);
        // Files are shared with other processes: no await is needed between the check and the act.
        const file = g.location.kind === 'file';
        // (Without an await, only another process can get in between; that counts for a check
        // of the path (`existsSync(p)` then `writeFileSync(p)`: two processes both create it),
        // not for a decision on what the file holds, read and rewritten in one synchronous step.)
        if (file && !g.by && !crossedBy && g.read && ts.isCallExpression(g.read) && locations.callAccess(g.read, fn)?.mode === 'read') continue;
        // A synchronous check and a synchronous act with no boundary between them (`existsSync(p)`
        // then `mkdirSync(p)`) are one step no task of this process can split: only another process
        // or thread can get in between, so that counts only when the file shows some at work (it
        // loads worker_threads, cluster or child_process). (An act that completes after its own
        // await, `await fs.promises.writeFile(p)`, or a check answered by an await, is still raced
        // by another run of this process.)
        if (file && !g.by && !crossedBy && g.read && ts.isCallExpression(g.read) && /Sync$/.test(calleeName(g.read)) && ts.isCallExpression(node) && /Sync$/.test(calleeName(node)) && !showsOtherProcesses(fn.getSourceFile())) continue;
        let suspension = g.by ?? crossedBy ?? (file ? g.check : undefined);
        let inFlight = false;
        if (g.read && s.reads.get(g.read)?.lookup) {
          // A look-up of a key decides only the creation of that very key (`lookup(k)` says nothing
          // about `create(`${k}.bak`)` or `write(file)`), when it found nothing.
          const sameKey = ts.isCallExpression(node) && locations.keyedCall(node, fn, 'create')?.key === g.location.key;
          if (!sameKey || !(g.present === false || isNullTest(g.check))) continue;
        }
        if (!suspension && ts.isCallExpression(node) && (g.present === false || isNullTest(g.check)) && locations.keyedCall(node, fn, 'create')?.key === g.location.key) {
          // Answered at once, the check races only with a creation still in flight: the act's own await.
          // (A creation method written in this file without `async` may register the entry before it
          // returns, as a store of pending requests does.)
          const inFlightAt = !toleratesExisting(node, fn) && !registersAtOnce(node) ? pendingCreation(node) : undefined;
          if (inFlightAt) {
            suspension = inFlightAt;
            inFlight = true;
          }
        }
        let readyAfter: ts.Node | undefined;
        if (!suspension && notReadyUntil) {
          // (`if (x && x.ready) return; x = make()`: the test of the object itself claims nothing
          // while the replacement is not ready; the readiness test is the one reported.)
          if (key === location.key) continue;
          if (key.startsWith(`${location.key}.`)) suspension = readyAfter = notReadyUntil;
        }
        if (!suspension && g.read && s.reads.get(g.read)?.lookup) continue;
        if (!suspension) {
          // The decision is acted on in the check's own segment: a claim made before any await.
          if (!s.suspended) out.claimsBeforeSuspending = true;
          // Only a flag set on its check (`if (busy) return; busy = true`) holds anything for the
          // rest of the run; setting a value computed from what was checked appends to it
          // (`m.set(k, [...(m.get(k) ?? []), x])`) and serializes nothing else.
          const appends = !!g.read && written.some((v) => taintOf(v, s).has(g.read!));
          // (Not a render's copy set through its setter: the closure keeps the value it was created
          // with, so another run started from the same render passes the same check.)
          // (A flag claimed after an await, in the segment of a re-check, is left as it was: it
          // vouches for what follows, see flagHeldAgainst.)
          // (So is a flag found set and cleared on its check, `if (mustFetch) { mustFetch = false; … }`:
          // a second run finds it cleared, as it finds a set `busy` set.)
          const takes = reset && g.present === true && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken;
          if ((!reset || takes) && !appends && !g.location.snapshot && !s.claim) {
            s.claim = node;
            s.claimedFlag = s.suspended ? undefined : g.location;
            s.claimKey = g.location.key;
            s.cleared?.delete(g.location.key);
          }
          continue;
        }
        // (A Durable Object's storage, with only its own operations awaited since the check: input-gated.)
        if (g.read && idioms.isInputGated(g.location, g.read, node)) continue;
        // `v = await store.get(k); if (v == null) await store.set(k, DEFAULT)`: with nothing else
        // awaited in between, two runs write the same default, which is harmless.
        // (After an existence check, `exists(k)` … `set(k, 'owner')`, the write is a claim, not a default.)
        const existence = !!g.read && ts.isCallExpression(g.read) && locations.callAccess(g.read, fn)?.mode === 'check';
        // (A flag tested on the record, `if (coupon.used) throw; update(id, { used: true })`, is a
        // claim too: only a missing value filled with a constant is a default.)
        const missing = g.present === false || isNullTest(g.check);
        // (Creating, unlike setting, fails or duplicates the second time, whatever it writes.)
        const defaulting = g.location.kind === 'store' && !g.more && !!args && !existence && missing && isConstantWrite(node, args) && !(ts.isCallExpression(node) && PENDING_CREATES.test(calleeName(node)));
        // Setting what the check compared with, right after the read that fed the check (no work in between).
        // (The suspension is the read's own: its await, or the `.then` chained on it, `get(k).then((v) => …)`.)
        const syncing = !g.more && !!g.read && (ts.isAwaitExpression(suspension) || ts.isCallExpression(suspension)) && isWithin(g.read, suspension) && writesComparedValue(g.check, node, args);
        // A reset after a stale check can remove what another task set in between (the rule then
        // asks for another writer); after a fresh one, doing it twice does no harm.
        // A record updated with new input after a check that did not find it missing (it exists,
        // the caller may edit it, the password matches): the later run's update wins, as with any
        // update. Creating what was found missing, writing values computed from the read, and
        // setting a constant (a claim: `used: true`) are the races.
        const updatingFound =
          g.location.kind === 'store' && g.present !== false && !claims.has(key) && ts.isCallExpression(node) && isUpdateOfExisting(node) && locations.callAccess(node, fn)?.mode === 'write' && !isAtomicStoreUpdate(node) && !writesFromRead(node, g.location, s) && !(args && isConstantWrite(node, args)) && !(args && setsCheckedField(g.check, args)) && !setsConstantRow(actLocation, args);
        // An atomic update of the record (`increment(…)`, `{ $inc }`) after a check that only asked whether
        // it exists, and found it: were it gone meanwhile, the update would match nothing, and nothing
        // checked goes stale. (After a check of a value, `if (user.balance >= n) decrement(…)`, the value
        // decided on can be gone; an upsert would create the record again.)
        const atomicOnFound =
          g.location.kind === 'store' && g.present !== false && !claims.has(key) && ts.isCallExpression(node) && isAtomicStoreUpdate(node) && !/\bupsert\b/.test(node.getText()) && !pendingCreation(node) && !!g.read && (testsOnlyExistence(g.check, g.read, s) || testsOnlyFieldsNotWritten(g.read, node));
        // Creating what was missing, in a `try` whose `catch` accepts "already exists" (and reads the winner).
        // (A link, which fails when its target exists, with that failure accepted, is an exclusive
        // create as `{ flag: 'wx' }` is: the second run's link fails and is let go.)
        const tolerant = !inFlight && (g.location.kind === 'store' || file) && ts.isCallExpression(node) && (!!pendingCreation(node) || (file && FAILS_IF_EXISTS.test(calleeName(node)))) && toleratesExisting(node, fn);
        if ((reset && !(g.stale && isValueComparison(g.check))) || drainsTaken(node, location, s) || tolerant || defaulting || updatingFound || atomicOnFound || syncing || (!!g.read && expectsReadVersion(node, g.read, s)) || s.claim || s.locked > 0 || seenActs.has(node) || (isDynamicImport(suspension) && !written.some((v) => isConstructedHere(v, fn)))) continue;
        seenActs.add(node);
        out.checkThenActs.push({ fn, location: g.location, check: g.check, checkedRead: g.read, checkStatement: g.statement, act: node, actLocation, suspension, callee, kind: file && !g.by ? 'file' : 'act', ...(g.stale ? { stale: true } : {}), ...(reset ? { reset: true } : {}), ...(inFlight ? { inFlight } : {}), ...(claims.has(key) ? { claimedField: claims.get(key) } : {}), ...(readyAfter ? { readyAfter } : {}) });
      }
    };

    /**
     * Whether every test made on the record `read` returned, between the read and the atomic update
     * `act`, asks about fields the update does not write (`if (!s.active || s.owner !== me) return;
     * … update({ where: { id }, data: { deposited: { increment: n } } })`): each run's update leaves
     * what the other run's check tested as it was, so both passing is what both should do. (A test of
     * a field the update writes, `w.balance < n` then `decrement(…, 'balance', n)`, is a race.) The
     * record must be kept in a local; every field name and string in the update's arguments counts
     * as written.
     */
    const testsOnlyFieldsNotWritten = (read: ts.Node, act: ts.CallExpression): boolean => {
      const top = skipOuterAwaitedParents(read);
      const decl = top.parent;
      if (!ts.isVariableDeclaration(decl) || decl.initializer !== top || !ts.isIdentifier(decl.name) || !fn.body) return false;
      const record = decl.name.text;
      const onRecord = (e: ts.Expression) => {
        const x = skipParens(e);
        return ts.isIdentifier(x) && x.text === record;
      };
      const written = new Set<string>();
      const collect = (n: ts.Node): void => {
        if (ts.isStringLiteralLike(n)) written.add(n.text);
        else if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) written.add(n.name.text);
        ts.forEachChild(n, collect);
      };
      act.arguments.forEach(collect);
      let tested = 0;
      let clash = false;
      const conditions = (n: ts.Node): void => {
        if (clash || n.getEnd() <= decl.getEnd() || n.getStart() >= act.getStart()) return;
        if (isFunctionLike(n) && n !== fn) return;
        // (A written field read anywhere before the act, `const left = w.balance - n`, may feed a test.)
        if (ts.isPropertyAccessExpression(n) && onRecord(n.expression) && written.has(n.name.text)) clash = true;
        const cond = ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isWhileStatement(n) ? (ts.isConditionalExpression(n) ? n.condition : n.expression) : undefined;
        if (cond) {
          const fields = (e: ts.Node): void => {
            if (ts.isPropertyAccessExpression(e) && onRecord(e.expression)) {
              tested++;
              if (written.has(e.name.text)) clash = true;
            } else if (ts.isElementAccessExpression(e) && onRecord(e.expression)) clash = true;
            ts.forEachChild(e, fields);
          };
          fields(cond);
        }
        ts.forEachChild(n, conditions);
      };
      conditions(fn.body);
      return tested > 0 && !clash;
    };

    /** Whether a check only asks whether the record `read` returned is there (`!user`, `row == null`, `if (doc)`). */
    const testsOnlyExistence = (check: ts.Node, read: ts.Node, s: RaceState): boolean => {
      const c = presenceOperand(check);
      return ts.isIdentifier(c) && taintOf(c, s).has(read);
    };

    /** Whether a store write's values come from what was read of `from` (`update(id, { qty: row.qty - n })`), not only its key. */
    const writesFromRead = (call: ts.CallExpression, from: SharedLocation, s: RaceState): boolean => {
      const values = locations.callAccess(call, fn)?.values ?? [];
      return values.some((v) => dataParts(v).some((part) => [...taintOf(part, s, true)].some((r) => {
        const f = s.reads.get(r);
        return !!f && sameTarget(f.location, from);
      })));
    };

    /** The read a stored value is exactly (itself, or a local holding it unchanged). */
    const rawReadOf = (value: ts.Expression | undefined, s: RaceState): ts.Node | undefined => {
      const v = value && skipParens(value);
      if (!v) return undefined;
      if (s.reads.has(v)) return v;
      const b = ts.isIdentifier(v) ? localBinding(v) : undefined;
      const r = b && s.raw.get(b);
      return r && !s.touched.has(b!) && !s.modified.has(b!) ? r : undefined;
    };

    /**
     * Whether the value written to a field of an object (`this.config.tags = …`, `stats.done = …`)
     * is computed from that field of the whole object read before (`const cfg = this.config` …
     * `cfg.tags`; `const { done } = stats` … `done`): the read held every field's value as it was
     * then, so the write puts back that field's old value with this run's change, as a read of the
     * field itself would. (Another field of the old object, `cfg.theme`, is new input for this one.)
     */
    const writesFieldOfRead = (value: ts.Expression, read: ts.Node, readLocation: SharedLocation, written: SharedLocation, s: RaceState): boolean => {
      const rest = written.key.startsWith(`${readLocation.key}.`) ? written.key.slice(readLocation.key.length + 1) : undefined;
      if (!rest || !/^[\w$]+$/.test(rest)) return false;
      const holdsRead = (e: ts.Expression): boolean => {
        const x = skipParens(e);
        if (x === read) return true;
        const b = ts.isIdentifier(x) ? localBinding(x) : undefined;
        return !!b && s.raw.get(b) === read;
      };
      let found = false;
      const visit = (n: ts.Node): void => {
        if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
        if (ts.isPropertyAccessExpression(n) && n.name.text === rest && holdsRead(n.expression)) found = true;
        else if (ts.isIdentifier(n) && isValueIdentifier(n)) {
          // (A name of the pattern's top level: `const { done } = stats`, `const { done: n } = stats`.)
          const d = localBinding(n)?.declaration;
          const el = d && ts.isVariableDeclaration(d) && ts.isObjectBindingPattern(d.name) && d.initializer && skipParens(d.initializer) === read ? d.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === n.text && !e.dotDotDotToken) : undefined;
          const field = el && (el.propertyName ?? el.name);
          if (field && (ts.isIdentifier(field) || ts.isStringLiteral(field)) && field.text === rest) found = true;
        }
        ts.forEachChild(n, visit);
      };
      visit(value);
      return found;
    };

    /**
     * `set({ x: prev })` after `const prev = get().x` (or `const { x: prev } = get()`): a partial
     * write that puts one field back to the value read of it.
     */
    const restoresField = (value: ts.Expression | undefined, read: ts.Node, s: RaceState): boolean => {
      const v = value && skipParens(value);
      if (!v || !ts.isObjectLiteralExpression(v) || v.properties.length !== 1) return false;
      const p = v.properties[0];
      const field = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      const held = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? skipParens(p.initializer) : undefined;
      if (!field || !held || !ts.isIdentifier(held)) return false;
      const b = localBinding(held);
      const d = b?.declaration;
      if (!b || !d || s.touched.has(b) || s.modified.has(b) || !ts.isVariableDeclaration(d) || !(d.parent.flags & ts.NodeFlags.Const) || !d.initializer) return false;
      const init = skipParens(d.initializer);
      if (ts.isIdentifier(d.name)) return ts.isPropertyAccessExpression(init) && init.name.text === field && skipParens(init.expression) === read;
      if (!ts.isObjectBindingPattern(d.name) || init !== read) return false;
      const el = d.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === held.text);
      const prop = el && (el.propertyName ?? el.name);
      return !!prop && ts.isIdentifier(prop) && prop.text === field;
    };

    /**
     * `revision === this.revision` after an await, where `revision` was taken from the same
     * location before it (`const revision = ++this.revision`): on the branch where nothing has
     * changed the location since, this run is the latest one ("latest wins", a version guard),
     * and what it writes there overwrites no other run's change.
     */
    const isLatestGuard = (atom: ts.Expression, outcome: boolean, s: RaceState): boolean => {
      const a = skipParens(atom);
      if (!ts.isBinaryExpression(a)) return false;
      const op = a.operatorToken.kind;
      const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
      const unequal = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (!(equal && outcome) && !(unequal && !outcome)) return false;
      const sides = [skipParens(a.left), skipParens(a.right)];
      return sides.some((fresh, i) => {
        const now = s.reads.get(fresh);
        if (!now || now.by || now.lookup) return false;
        // (A constant never moves on: `choice === NEW_CHOICE`, after handing NEW_CHOICE to a picker, compares with a sentinel.)
        if (ts.isIdentifier(fresh) && scopes.resolve(fresh)?.kind === 'const') return false;
        return [...taintOf(sides[1 - i], s)].some((r) => {
          const before = s.reads.get(r);
          return r !== fresh && !!before?.by && sameTarget(before.location, now.location);
        });
      });
    };

    /**
     * A conditional write on the version this run read (`replaceIfRevision(id, next, head.revision)`,
     * `patch(body, current.etag)`, or SQL `… WHERE id = $1 AND updatedAt = $3` with the read's
     * `updatedAt` among the parameters): the store refuses it when another run changed the entry
     * since the read (compare-and-swap; the caller retries or gives up), so nothing is overwritten.
     * Only a version field of the read passed beside the value, as an argument of its own or as a
     * query parameter the statement's WHERE names; a version written inside the new value
     * (`save({ ...doc, version: doc.version + 1 })`) guards nothing.
     */
    const expectsReadVersion = (write: ts.Node, read: ts.Node, s: RaceState): boolean => {
      if (!ts.isCallExpression(write) || write.arguments.length < 2) return false;
      const first = skipParens(write.arguments[0]);
      const sql = ts.isStringLiteralLike(first) || ts.isTemplateExpression(first) ? first.getText() : undefined;
      // The version may come from another read of the same entry made no later than this one (`const
      // head = await readHead(id); const body = head?.content ?? (await read(id))`): the store
      // refuses the write if anything changed the entry since the version was read, which covers
      // what changed it after the read of the value too.
      const valueRead = s.reads.get(read);
      const readsVersion = (r: ts.Node): boolean => {
        if (r === read) return true;
        const f = s.reads.get(r);
        return !!f && !!valueRead && f.location.kind === 'store' && f.location.key === valueRead.location.key && r.pos <= read.pos;
      };
      const isVersion = (a: ts.Expression): boolean => {
        const e = skipParens(a);
        return ts.isPropertyAccessExpression(e) && READ_VERSION_FIELD.test(e.name.text) && [...taintOf(e.expression, s)].some(readsVersion);
      };
      // A version in the filter that comes before the new value (`updateOne({ _id: id, __v: doc.__v },
      // { $set: … })`), or in a precondition option (`{ ifMatch: props.etag }`,
      // `{ preconditionOpts: { ifGenerationMatch: meta.generation } }`): the store matches it
      // against the entry as it writes. (Not inside the value written: copied there, it guards nothing.)
      const last = write.arguments.length - 1;
      // (A filter names the entry field by field; an object spread from a record is a value.)
      const preconditioned = (o: ts.ObjectLiteralExpression, filter: boolean, depth: number): boolean => {
        const inFilter = filter && !o.properties.some(ts.isSpreadAssignment);
        return o.properties.some((p) => {
          if (!ts.isPropertyAssignment(p)) return false;
          const v = skipParens(p.initializer);
          const name = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '';
          if ((inFilter || /^if[A-Z]|^expected[A-Z]/.test(name)) && isVersion(v)) return true;
          return depth < 2 && ts.isObjectLiteralExpression(v) && preconditioned(v, false, depth + 1);
        });
      };
      return write.arguments.some((a, i) => {
        const e = skipParens(a);
        if (ts.isArrayLiteralExpression(e)) {
          return !!sql && e.elements.some((el) => isVersion(el) && new RegExp(`\\bWHERE\\b[^]*\\b${(skipParens(el) as ts.PropertyAccessExpression).name.text}\\s*=`, 'i').test(sql));
        }
        if (ts.isObjectLiteralExpression(e)) return preconditioned(e, i < last, 0);
        return isVersion(e);
      });
    };

    /**
     * What the flag this run claimed (`if (this.syncing) return; this.syncing = true`) holds off
     * from a write of `location`: other runs that test the flag wait, which is why a claim quiets
     * the read-await-write of this run against itself; a writer elsewhere that does not test it is
     * not held off (the rule asks for one that something runs by itself, see lost-update). Undefined
     * when the claim vouches for the write whoever else runs (a version guard, see isLatestGuard).
     * (A flag kept per key, `loading.has(id)`, also lets runs for other keys in; counting those as
     * overlaps put a finding on a real fix that added such a flag, so they are not counted.)
     */
    const flagHeldAgainst = (s: RaceState): { flag: SharedLocation } | undefined => (s.claimedFlag ? { flag: s.claimedFlag } : undefined);

    /** After this function writes a location, what it read of it before is no longer current. */
    const markOverwritten = (location: SharedLocation, s: RaceState): void => {
      for (const [r, f] of s.reads) if (!f.overwritten && f.location.key === location.key) s.reads.set(r, { ...f, overwritten: true });
    };

    const write = (location: SharedLocation, node: ts.Node, taint: Set<ts.Node>, s: RaceState, value?: ts.Expression, empties?: boolean): void => {
      // (A conditional write gives way to a later plain one: that one is what a caller's check races with.)
      if (s.suspended && !empties && (!out.lateWrites.has(location.key) || out.lateWrites.get(location.key)!.conditional) && !isReset(node) && !recheckedUnderLock(location, s)) {
        // (Under a check made after the suspension, `if (!this.x) this.x = v`, a caller's earlier check decides nothing.)
        const fresh = s.guards.get(location.key);
        // (So does a drain that takes what is there as it empties it: see drainsTaken. And a write
        // the store makes conditional on the version this run read, see expectsReadVersion: it is
        // refused when the entry changed since, whatever a caller checked before.)
        const conditional = [...s.reads].some(([r, f]) => f.location.key === location.key && expectsReadVersion(node, r, s));
        if (!(conditional && out.lateWrites.has(location.key))) {
          out.lateWrites.set(location.key, { location, suspension: s.suspended, write: node, ...((fresh && !fresh.by) || drainsTaken(node, location, s) || conditional ? { rechecked: true } : {}), ...(conditional ? { conditional } : {}), ...(retestsTarget(node) ? { retested: true } : {}) });
        }
      }
      // A collection taken before the await and emptied after it (`const batch = this.queue; await
      // send(batch); this.queue = []`), or a store emptied of all it keeps of a kind (`const events
      // = await db.getEvents(); await post(events); await db.clearEvents()`): what other tasks added
      // during the suspension is emptied with it, never sent. Only when a local still holds what was
      // taken and nothing read it again since the await. (The rule asks for another writer that
      // adds to it; a flag this run claimed keeps out other runs of this code, not that writer.)
      if (s.locked === 0 && !seenWrites.has(node) && (empties || (isEmptyCollection(value) && location.kind !== 'store' && location.kind !== 'file')) && !TEARDOWN.test(functionName(fn))) {
        const same = empties ? (f: ReadFact) => f.location.resource === location.resource && (!f.location.noun || !location.noun || nounsAgree(f.location.noun, location.noun)) : (f: ReadFact) => f.location.key === location.key;
        const taken = takenBefore(location, s, same);
        if (taken) {
          seenWrites.add(node);
          out.lostUpdates.push({ fn, location, read: taken[0], write: node, suspension: taken[1].by!, readLocation: taken[1].location, cleared: true, drained: true });
          return;
        }
      }
      const claimed = s.claim ? flagHeldAgainst(s) : undefined;
      if (empties || s.locked > 0 || (s.claim && !claimed) || seenWrites.has(node)) return;
      for (const r of taint) {
        const fact = s.reads.get(r);
        if (!fact || !fact.by || fact.lookup || !(sameTarget(fact.location, location) || (!!value && writesFieldOfRead(value, r, fact.location, location, s)) || sameRecordByName(r, fact.location, node, location))) continue;
        if (idioms.isInputGated(location, r, node) || expectsReadVersion(node, r, s)) continue;
        if (mergedInStore(node, location, r, s)) continue;
        if (value && onlyInRequest(value, r, s)) continue;
        seenWrites.add(node);
        const rollback = !!fact.overwritten && (rawReadOf(value, s) === r || restoresField(value, r, s));
        out.lostUpdates.push({ fn, location, read: r, write: node, suspension: fact.by, readLocation: fact.location, ...(rollback ? { rollback } : {}), ...(claimed ? { claimed } : {}) });
        return;
      }
      if (s.claim) return;
      // The whole state replaced by a value computed, across an await, from part of it.
      if (location.kind === 'store' || location.kind === 'file') return;
      // A flag checked before the await and cleared after it (`if (!this.dirty) return; …
      // await write(json); this.dirty = false`): a set made during the suspension is cleared
      // with it. (The rule asks for another writer that sets it.)
      // Only a flag (`= false`, `= 0`), and not in a teardown (`onDestroy`, `close`), which ends
      // the object's life whatever was set meanwhile.
      const checked = s.guards.get(location.key);
      const flag = ts.isBinaryExpression(node) && (node.right.kind === ts.SyntaxKind.FalseKeyword || (ts.isNumericLiteral(node.right) && node.right.text === '0'));
      if (flag && checked?.by && checked.read && !seenWrites.has(node) && !TEARDOWN.test(functionName(fn)) && !drainsTaken(node, location, s)) {
        seenWrites.add(node);
        out.lostUpdates.push({ fn, location, read: checked.read, write: node, suspension: checked.by, readLocation: checked.location, cleared: true });
        return;
      }
      for (const r of taint) {
        const fact = s.reads.get(r);
        if (!fact || !fact.by || fact.lookup || !fact.location.key.startsWith(`${location.key}.`) || seenActs.has(node)) continue;
        // A part of a render's copy put back into the new state (`setCart({ ...rest, items:
        // [...cart.items, x] })`) writes that part as it was before the await: a lost update of it.
        if (fact.location.snapshot) {
          seenWrites.add(node);
          out.lostUpdates.push({ fn, location, read: r, write: node, suspension: fact.by, readLocation: fact.location });
          return;
        }
        seenActs.add(node);
        out.checkThenActs.push({ fn, location, check: r, act: node, actLocation: location, suspension: fact.by, kind: 'refresh' });
        return;
      }
    };

    /** Adds guards for the shared locations a condition atom tests (directly, or through a local). */
    const guard = (atom: ts.Node, statement: ts.Node | undefined, s: RaceState, outcome?: boolean): void => {
      // What the check says about whether the record `n` exists; an earlier check on this path
      // that found it present still holds when a later one tests something else about it.
      const extraFor = (key: string, n: ts.Node) => {
        const present = (outcome === undefined ? undefined : presenceOf(atom as ts.Expression, outcome, n)) ?? s.guards.get(key)?.present;
        return present === undefined ? {} : { present };
      };
      // (The decision of an earlier statement on the same location, kept under this one.)
      const priorOf = (key: string): { prior?: GuardFact } => {
        const g = s.guards.get(key);
        if (!g) return {};
        if (g.statement !== statement) return { prior: g };
        return g.prior ? { prior: g.prior } : {};
      };
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        const fact = s.reads.get(n);
        // Only what is tested, not the objects on the way to it: `this.opts.debug` tests `debug`.
        const intermediate = (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) && n.parent.expression === n && n !== atom;
        if (fact && !fact.valueOnly && isWithin(n, atom) && !intermediate) {
          s.guards.set(fact.location.key, { location: fact.location, check: atom, read: n, statement, by: fact.by, ...(fact.by ? { stale: true } : {}), ...extraFor(fact.location.key, n), ...priorOf(fact.location.key) });
          if (!fact.by) {
            // A fresh look at the location after an await re-validates earlier reads of it.
            for (const [r, f] of s.reads) if (f.by && f.location.key === fact.location.key) s.reads.set(r, { ...f, by: undefined });
          }
        } else if (fact && !fact.by && intermediate && isFieldOfGetterRead(n, s) && isWithin(n, atom)) {
          // A field of the state tested through its getter after the await (`if (get().coupon ===
          // code) set({ coupon: prev })`) re-validates earlier reads too, without guarding anything.
          for (const [r, f] of s.reads) if (f.by && f.location.key === fact.location.key) s.reads.set(r, { ...f, by: undefined });
        }
        if (ts.isIdentifier(n)) {
          const b = localBinding(n);
          const t = b && s.direct.get(b);
          if (t) {
            for (const r of t) {
              const f = s.reads.get(r);
              if (f && !f.valueOnly) s.guards.set(f.location.key, { location: f.location, check: atom, read: r, statement, by: f.by, ...(f.by ? { stale: true } : {}), ...extraFor(f.location.key, n), ...priorOf(f.location.key) });
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(atom);
    };

    const analysis: FlowAnalysis<RaceState> = {
      clone: cloneState,
      join: joinStates,
      equals: statesEqual,
      joinBranches: (statement, whenTrue, whenFalse) => {
        if (!whenTrue || !whenFalse) return whenTrue ?? whenFalse;
        const joined = joinStates(whenTrue, whenFalse);
        for (const [key, g] of joined.guards) {
          if (g.statement !== statement) continue;
          // Both arms fell through: what follows does not depend on this test, unless an arm
          // only waited (`if (full) await slot();`) and went on as if the test had changed.
          const t = whenTrue.guards.get(key);
          const f = whenFalse.guards.get(key);
          const waitedTrue = !!t?.by && ts.isIfStatement(statement) && isWaitingArm(statement.thenStatement);
          const waitedFalse = !!f?.by && ts.isIfStatement(statement) && isWaitingArm(statement.elseStatement);
          if (waitedTrue || waitedFalse) joined.guards.set(key, { ...g, by: (waitedTrue ? t!.by : f!.by) });
          else if (f && ts.isIfStatement(statement) && fallsThroughOnlyOnFailure(statement.thenStatement)) joined.guards.set(key, f);
          else if (t && ts.isIfStatement(statement) && fallsThroughOnlyOnFailure(statement.elseStatement)) joined.guards.set(key, t);
          // (A decision an earlier statement took on this location still stands: `if (last === today)
          // return; …; streak = last === yesterday ? streak + 1 : 1`.)
          else if (g.prior && t?.prior === g.prior && f?.prior === g.prior) joined.guards.set(key, g.prior);
          else joined.guards.delete(key);
        }
        return joined;
      },
      enterCatch: (statement, s) => {
        // A failure voids the decisions taken inside the `try`: the catch does not act on them.
        for (const [key, g] of s.guards) if (g.statement && isWithin(g.statement, statement.tryBlock)) s.guards.delete(key);
      },
      transfer(event: FlowEvent, s: RaceState): void {
        switch (event.kind) {
          case 'read': {
            if (s.locked > 0) return;
            if (ts.isIdentifier(event.node) && !isValueIdentifier(event.node)) return;
            const location = locations.locationOf(event.node, fn);
            // A hook's snapshot is as old as the closure: after a suspension it is already stale.
            if (location) s.reads.set(event.node, { location, by: location.snapshot ? s.suspended ?? s.deferred : undefined });
            return;
          }
          case 'suspend': {
            // A timer's callback: other tasks have run, but the caller did not wait for it. Only a
            // render's copy is known to be stale there (`setTimeout(() => setItems(items.filter(f)))`).
            if (event.reason === 'timer') {
              s.deferred ??= event.node;
              for (const [k, f] of s.reads) if (!f.by && f.location.snapshot) s.reads.set(k, { ...f, by: event.node });
              return;
            }
            for (const [k, f] of s.reads) if (!f.by) s.reads.set(k, { ...f, by: event.node });
            for (const [k, g] of s.guards) {
              if (!g.by) s.guards.set(k, { ...g, by: event.node });
              else if (!g.more && g.by !== event.node) s.guards.set(k, { ...g, more: true });
            }
            s.suspended ??= event.node;
            if (idioms.isAcquire(event.node)) s.locked++;
            else if (event.reason === 'then' && ts.isCallExpression(event.node) && idioms.isChainLock(event.node)) s.locked++;
            return;
          }
          case 'condition':
            // (A version guard vouches for every write on its branch, not only for other runs of a flag.)
            if (s.suspended && isLatestGuard(event.node, event.outcome, s)) {
              s.claim = event.node;
              s.claimedFlag = undefined;
            }
            guard(event.node, event.statement, s, event.outcome);
            return;
          case 'call': {
            const call = event.node;
            // (Optimistic, as the join is: held on one path counts.)
            if (s.locked > 0 || s.claim) out.held.add(call);
            // A SQL statement sent by a tag (`await sql\`SELECT …\``) reads, writes or inserts as the
            // same text handed to `db.query` does.
            if (ts.isTaggedTemplateExpression(call)) {
              const sent = locations.taggedSqlAccess(call);
              if (!sent) return;
              if (sent.mode === 'read') {
                if (s.locked === 0) s.reads.set(call, { location: sent.location });
                else s.lockedReads.add(sent.location.key);
                return;
              }
              if (sent.mode === 'write') {
                const taint = new Set<ts.Node>();
                for (const v of sent.values ?? []) if (!isKeyLike(v)) for (const r of taintOf(v, s)) taint.add(r);
                write(sent.location, call, taint, s);
                markOverwritten(sent.location, s);
                if (sent.upsert) return;
              }
              act(sent.location, call, s, sent.entries, undefined, undefined, sent.values);
              return;
            }
            if (!ts.isCallExpression(call)) return;
            if (s.locked > 0 && idioms.isRelease(call)) {
              s.locked--;
              return;
            }
            // A callee that awaits first and then stores a parameter (`async persist(next) { await
            // put(next); this.items = next }`), handed a value computed from a read of that very
            // state (`this.persist([...this.items, x])`): the value is stored after the callee's own
            // await, and replaces whatever another run stored meanwhile.
            // (So does a method of a class of the file called on another instance, for what it
            // stores outside its own `this`: module state.)
            const lateCallee = s.locked === 0 && !s.claim && call.arguments.length > 0 ? analyzerCallee(call) ?? locations.instanceCall(call, fn)?.method : undefined;
            if (lateCallee && !seenWrites.has(call)) {
              for (const w of self.analyze(lateCallee).lateWrites.values()) {
                // (Or an entry it sets in a collection kept in memory, `this.byId.set(id, next)`, under a
                // key it is handed too: the caller's argument names the entry, `this.update(k, [...old, x])`.)
                const paramIndex = (e: ts.Expression | undefined) => {
                  const x = e && skipParens(e);
                  return x && ts.isIdentifier(x) ? lateCallee.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === x.text) : -1;
                };
                const entryWrite = ts.isCallExpression(w.write) && w.write.arguments.length === 2 && w.location.entry !== undefined && w.location.collection !== undefined ? w.write : undefined;
                const stored = ts.isBinaryExpression(w.write) && w.write.operatorToken.kind === ts.SyntaxKind.EqualsToken ? skipParens(w.write.right) : entryWrite ? skipParens(entryWrite.arguments[1]) : undefined;
                const index = stored && ts.isIdentifier(stored) ? paramIndex(stored) : -1;
                const arg = index >= 0 ? call.arguments[index] : undefined;
                if (!arg || ts.isSpreadElement(arg) || w.rechecked || !isFieldInMemory(w.location)) continue;
                let target = w.location;
                if (entryWrite) {
                  const k = paramIndex(entryWrite.arguments[0]);
                  const keyArg = k >= 0 ? call.arguments[k] : undefined;
                  if (!keyArg || ts.isSpreadElement(keyArg)) continue;
                  const keyText = keyArg.getText(self.sourceFile).replace(/\s+/g, '');
                  target = { ...w.location, entry: keyText, key: `${w.location.collection}[${keyText}]` };
                }
                // (The callee's `this` is the caller's only for a method called on `this`.)
                const via = skipParens(call.expression);
                if (w.location.kind === 'instance' && !(ts.isPropertyAccessExpression(via) && skipParens(via.expression).kind === ts.SyntaxKind.ThisKeyword)) continue;
                const r = [...taintOf(arg, s)].find((n) => {
                  const f = s.reads.get(n);
                  return !!f && !f.by && !f.lookup && sameTarget(f.location, target);
                });
                if (!r) continue;
                seenWrites.add(call);
                const helper = flatText(via);
                out.lostUpdates.push({ fn, location: { ...target, through: { helper, node: w.write, within: helper } }, read: r, write: call, suspension: w.suspension, readLocation: s.reads.get(r)!.location });
                break;
              }
            }
            // The callback a transaction runner is handed runs as part of this run, here: a creation in it
            // acts on a check made before it, outside the transaction, which the transaction does not cover.
            if (s.locked === 0 && !s.claim && s.guards.size > 0) for (const inner of transactionActs(call)) act(inner.location, inner.call, s, [], undefined, undefined, inner.call.arguments);
            // So does a write in it (`db.transaction(async (tx) => tx.update(wallets).set({ balance: next }))`):
            // from a value read before the transaction began, it overwrites what another run wrote
            // since, as the same write outside the transaction would.
            if (s.locked === 0 && s.reads.size > 0) {
              for (const inner of transactionWrites(call)) {
                const taint = new Set<ts.Node>();
                for (const v of inner.values) if (!isKeyLike(v)) for (const r of taintOf(v, s)) taint.add(r);
                if (taint.size > 0) write(inner.location, inner.call, taint, s, inner.values.length === 1 ? inner.values[0] : undefined);
              }
            }
            // A writer of the render's copy called after the await (`await getUser(); merge({ user })`):
            // the copy it writes back is older than the suspension.
            const snapshotWriter = s.suspended && s.locked === 0 && !s.claim ? self.snapshotWriters?.calledBy(call) : undefined;
            if (snapshotWriter && snapshotWriter.fn !== fn && !seenWrites.has(snapshotWriter.write)) {
              seenWrites.add(snapshotWriter.write);
              out.lostUpdates.push({ fn, location: snapshotWriter.location, read: snapshotWriter.read, write: snapshotWriter.write, suspension: s.suspended!, readLocation: snapshotWriter.location, calledAt: call });
            }
            // A mutating call on a local's object (`data.items.push(x)`) changes the record it holds.
            const mutated = skipParens(call.expression);
            // `Object.assign(task, patch)` sets named fields of the object it is handed first (so
            // does `_.set(settings, path, v)` and its kin).
            const assigned = isInPlaceUpdate(call) ? skipParens(call.arguments[0]) : undefined;
            if (assigned) {
              let root: ts.Expression = assigned;
              while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
              const b = ts.isIdentifier(root) ? localBinding(root) : undefined;
              if (b) changed(b, s, { edited: true });
            }
            if (ts.isPropertyAccessExpression(mutated) && MUTATING_METHODS.has(mutated.name.text)) {
              let root: ts.Expression = mutated.expression;
              while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
              const b = ts.isIdentifier(root) ? localBinding(root) : undefined;
              if (b) changed(b, s, { touched: true });
              // Rearranging an array of a record read from a store (`doc.items.splice(i, 1)`) changes
              // it from its own values; a save then writes the whole array back. (Appends, which
              // ORMs such as Mongoose send as `$push`, are not counted.)
              if (b && root !== skipParens(mutated.expression) && REARRANGING_METHODS.has(mutated.name.text) && (s.raw.get(b) || s.taints.get(b)?.size)) s.modified.add(b);
              // A local collection filled from what was read (`for (const p of this.pending) …
              // rest.push(p)` … `this.pending = rest`) carries the read, as an assignment would.
              if (b && root === skipParens(mutated.expression) && COLLECTING_METHODS.has(mutated.name.text)) {
                const carried = new Set<ts.Node>();
                for (const a of call.arguments) for (const r of taintOf(ts.isSpreadElement(a) ? a.expression : a, s)) carried.add(r);
                if (carried.size > 0) s.taints.set(b, new Set([...(s.taints.get(b) ?? []), ...carried]));
              }
            }
            const access = locations.callAccess(call, fn);
            // A helper that re-reads the state and writes it back with what it is handed merged in
            // (`await this.replaceMessage(updated)`): what the caller hands it, if made from the
            // caller's read before the await, is written back as it was then.
            const merged = !access && s.locked === 0 && s.suspended ? locations.mergedWrite(call) : undefined;
            if (merged) {
              const taint = new Set<ts.Node>();
              for (const v of merged.values ?? []) if (!isKeyLike(v)) for (const r of heldTaint(v, s)) taint.add(r);
              write(merged.location, call, taint, s);
            }
            // A helper that writes several stores from what it is handed (`await startRun(db, flow)`,
            // inserting a run and then setting `flows.count` from `flow.count + 1`): each is a write
            // of what the caller hands it, as a helper writing one place is.
            for (const w of !access && !merged && s.locked === 0 && s.suspended ? locations.helperStoreWrites(call, fn) : []) {
              const taint = new Set<ts.Node>();
              for (const v of w.values ?? []) if (!isKeyLike(v)) for (const r of heldTaint(v, s)) taint.add(r);
              if (taint.size > 0) write(w.location, call, taint, s);
            }
            // A record read from a store and handed to a helper of the file that changes it from its
            // own values and saves it (`bump(doc)` with `doc.hits += 1; await doc.save()`) is saved
            // here as `doc.save()` inline would be.
            if (s.locked === 0) {
              for (const { arg, save, helper, within } of locations.helperSavedRecords(call)) {
                const x = skipParens(arg);
                const b = ts.isIdentifier(x) ? localBinding(x) : undefined;
                const t = b && s.taints.get(b);
                for (const r of t ?? []) {
                  const f = s.reads.get(r);
                  if (f && f.location.kind === 'store') {
                    write({ ...f.location, alias: undefined, through: { helper, node: save, within } }, call, t!, s);
                    break;
                  }
                }
              }
            }
            // Pinia's `this.$patch({ items: [...items, x] })` writes each field it names, as `this.items = …` would.
            const patched = !access && s.locked === 0 ? patchedFields(call) : undefined;
            if (patched) {
              const base = locations.locationOf(patched.store, fn);
              for (const [name, value] of base ? patched.fields : []) {
                const field: SharedLocation = { ...base!, key: `${base!.key}.${name}`, text: `${patched.store.getText()}.${name}`, collection: undefined };
                write(field, call, taintOf(value, s), s, value);
                markOverwritten(field, s);
              }
            }
            if (!access && s.locked === 0) {
              // A look-up answered at once (`vault.getAbstractFileByPath(p)`), and a creation of a
              // key the store answers for nowhere else (`await sftp.mkdir(p)`, `await registry.register(k)`).
              if (!isAsyncHere(call)) {
                // (Not on what a call returned, `db.prepare('SELECT …').get(id)`: that statement is the read.)
                const lookedIn = skipParens(call.expression);
                const onRead = ts.isPropertyAccessExpression(lookedIn) && ts.isCallExpression(skipParens(lookedIn.expression));
                const looked = onRead ? undefined : locations.keyedCall(call, fn, 'lookup');
                if (looked) s.reads.set(call, { location: looked, lookup: true });
              } else {
                const created = locations.keyedCall(call, fn, 'create');
                // (Only after a check that found it missing: create-if-missing.)
                if (created && [...s.guards.values()].some((g) => (g.location.resource ?? g.location.collection) === created.resource && (g.present === false || isNullTest(g.check)))) {
                  act(created, call, s, [], undefined, undefined, call.arguments);
                  return;
                }
              }
            }
            if (access && (access.location.kind === 'store' || access.location.kind === 'file') && access.mode !== 'read' && access.mode !== 'check') {
              if (isConditionalStoreWrite(call)) return;
              if (access.mode === 'write' && isAtomicStoreUpdate(call)) {
                act(access.location, call, s, access.entries, undefined, undefined, access.values);
                return;
              }
            }
            if (access) {
              if (access.mode === 'read') {
                if (s.locked === 0) s.reads.set(call, { location: access.location, ...(access.valueOnly ? { valueOnly: true } : {}) });
                else s.lockedReads.add(access.location.key);
                // (A file read in a `try` that returns what it read decides by throwing, as `access` does.)
                if (s.locked === 0 && access.location.kind === 'file' && isCheckByFailedRead(call)) s.guards.set(access.location.key, { location: access.location, check: call, read: call });
              } else if (access.mode === 'check') {
                s.reads.set(call, { location: access.location });
                // A check call decides only through a condition (or a local tested later), except
                // `await fs.access(p)` alone in a `try`, which decides by throwing.
                if (isCheckByException(call) || access.throwsOnTest) s.guards.set(access.location.key, { location: access.location, check: call, read: call });
              } else if (access.mode === 'write' && isUnchangedWriteBack(access.location, access.values, s, call)) {
                // Writing back exactly what was read, unchanged (a cache refill, a copy): it neither
                // loses another task's change to the record nor acts on a stale decision about it.
              } else if (access.mode === 'write') {
                const taint = new Set<ts.Node>();
                // (`updateMember(member.id, body)`: the record's id only says which record.)
                // State behind a setter is written from what the code holds in hand: data fetched
                // with part of the snapshot (`await fetchPosts(user.id)`) is new, not the snapshot.
                // So is what a helper of the file is handed to store (`this._patch(await get(this.id))`).
                // (So is what is put into Web Storage: `setItem('token', (await refresh(getItem('token'))).token)` stores a new token.)
                const handHeld = access.location.kind === 'slot' || isAccessorWrite(call) || !!locations.pairedSaveField(call) || !!access.location.through || isWebStorage(access.location);
                for (const v of access.values ?? []) for (const part of dataParts(v)) for (const r of handHeld ? heldTaint(part, s) : taintOf(part, s)) taint.add(r);
                const stored = access.values?.filter((v) => taintOf(v, s).size > 0);
                // The new state was fetched with the snapshot (`setWorkspace(await create({ ...ws }))`,
                // after `if (!ws) return`): it is the server's answer, neither a write-back nor an act on the test.
                const staleHere = (r: ts.Node) => {
                  const f = s.reads.get(r);
                  return !!f?.by && (sameTarget(f.location, access.location) || f.location.key.startsWith(`${access.location.key}.`));
                };
                const fetchedWith = handHeld && ![...taint].some(staleHere) && (access.values ?? []).some((v) => [...taintOf(v, s)].some(staleHere));
                if (access.empties) {
                  write(access.location, call, taint, s, undefined, true);
                } else if (!fetchedWith) {
                  write(access.location, call, taint, s, stored?.length === 1 ? stored[0] : undefined);
                  // A write known from a helper's body feeds lost updates; check-then-act keeps to
                  // what the call itself says (its name), as before helpers had summaries.
                  // (The data of a file published by a later rename: the rename is the act on the file.)
                  const acted = access.location.through ? access.location.alias : access.location.published ? undefined : access.location;
                  if (!access.upsert && acted) act(acted, call, s, access.entries, undefined, undefined, access.values);
                  // (And a helper that stores one entry of a collection in memory under the key it is
                  // given, `remember(k, v) { this.byKey.set(k, v) }`, the partner of a look-up helper,
                  // acts as the `set` written inline would.)
                  // (So does a synchronous setter helper of a field kept in memory, `setConnection(c) {
                  // this.connection = c }`, the partner of a predicate or getter helper; an async helper
                  // sets it after awaits of its own, where its own run is the one to judge.)
                  if (!access.upsert && access.location.through && (isEntryInMemory(access.location) || (isFieldInMemory(access.location) && isSynchronousHelper(access.location.through.node)))) act(access.location, call, s, access.entries, undefined, undefined, access.values);
                }
                markOverwritten(access.location, s);
              } else {
                // A record created with a number computed from a read of the same store made before
                // (`count + 1`, the last record's sequence plus one): two runs read the same count
                // before either creates its record, and both create one with the same number.
                if (access.values?.length && /^(create|insert|add)(?![a-z])/.test(verbOf(call))) {
                  const taint = new Set<ts.Node>();
                  for (const v of access.values) for (const e of arithmeticIn(v, scopes)) for (const r of taintOf(e, s)) taint.add(r);
                  if (taint.size > 0) write(access.location, call, taint, s);
                }
                // (An entity built in memory and stored by a later save of the same repository,
                // `row = repo.create({ … }); await repo.save(row)`: the save is the act.)
                if (!builtForLaterSave(call, scopes)) {
                  const before = out.checkThenActs.length;
                  act(access.location, call, s, access.entries, undefined, undefined, access.values);
                  // (A creation known from a helper's body is also the one its name says: a check made
                  // through a look-up helper is keyed by that name, `findUser(e)` … `createUser(e)`.)
                  if (out.checkThenActs.length === before && access.location.through && access.location.alias) act(access.location.alias, call, s, access.entries, undefined, undefined, call.arguments);
                }
              }
              // A read through a getter (`this.client.getSession()`) can still be a use of what was checked.
              // (A write known only from a helper's body goes on, as an unknown call did, to what
              // the helper does after its own await.)
              if (access.mode !== 'read' && !(access.location.through && !access.location.alias)) return;
            }
            // Using what was checked non-null after an await: `if (client) { await x; client.send() }`.
            const calleeExpr = skipParens(call.expression);
            if (ts.isPropertyAccessExpression(calleeExpr) && !calleeExpr.questionDotToken && !call.questionDotToken && s.reads.has(calleeExpr.expression)) {
              const fact = s.reads.get(calleeExpr.expression)!;
              const g = s.guards.get(fact.location.key);
              if (g && g.by && isNullnessTest(g.check, calleeExpr.expression) && s.locked === 0 && !s.claim && !seenActs.has(call)) {
                seenActs.add(call);
                s.guards.delete(fact.location.key);
                out.checkThenActs.push({ fn, location: fact.location, check: g.check, checkStatement: g.statement, act: call, actLocation: fact.location, suspension: g.by, kind: 'use' });
              }
            }
            // `doc.save()` on a record read from a store and changed from its own values. (Not a
            // save the store makes conditional on the version read, optimistic concurrency: it
            // fails when another run changed the record, see versionedSaves.ts.)
            const callee0 = skipParens(call.expression);
            if (ts.isPropertyAccessExpression(callee0) && DOCUMENT_SAVES.has(callee0.name.text) && ts.isIdentifier(skipParens(callee0.expression)) && !(self.versionedSaves ??= new VersionedSaves(self.sourceFile, scopes)).isVersioned(call, skipParens(callee0.expression) as ts.Identifier)) {
              const b = localBinding(skipParens(callee0.expression) as ts.Identifier);
              const t = b && s.modified.has(b) ? s.taints.get(b) : undefined;
              for (const r of t ?? []) {
                const f = s.reads.get(r);
                if (f && f.location.kind === 'store') {
                  // (The record saves itself: a finder of the file it was read through writes nothing.)
                  write({ ...f.location, through: undefined }, call, t!, s);
                  break;
                }
              }
              // A record fetched, a field of it checked, that field changed and the record saved
              // (`if (order.status !== 'open') return; order.status = 'paid'; await order.save()`):
              // another request fetched the same row before this save, passed the same check, and
              // acts too. (Only the field checked: a presence check, or a check of one field and a
              // change of another, decides nothing the save claims.)
              for (const r of (b && s.taints.get(b)) ?? []) {
                const f = s.reads.get(r);
                if (!f || f.location.kind !== 'store') continue;
                const g = s.guards.get(f.location.key);
                if (g && g.read === r && checksChangedField(g.check, skipParens(callee0.expression) as ts.Identifier, call, scopes)) {
                  claimingSaves.add(call);
                  act(f.location, call, s);
                }
                break;
              }
            }
            // A shared object's readiness checked in this segment (`if (!client.isOpen)`), and its
            // set-up awaited (`await client.connect()`): the object is ready only once that await
            // completes, so a second run checks meanwhile, finds it not ready too, and sets it up
            // again (a second connection, or "already connecting"). The act's own await is the gap.
            // (Only a library's object: a method written in this file is judged by what its body
            // does, below; it may hand every caller one pending promise.)
            if (s.guards.size > 0 && s.locked === 0 && ts.isPropertyAccessExpression(callee0) && SETUP_METHODS.test(callee0.name.text) && call.arguments.length <= 1 && ts.isAwaitExpression(skipParens(call).parent) && !analyzerCallee(call) && !locations.instanceCall(call, fn)?.method) {
              const owner = locations.locationOf(callee0.expression, fn);
              if (owner && isFieldInMemory(owner) && owner.text !== 'this') {
                for (const [key, g] of s.guards) {
                  if (!g.by && key.startsWith(`${owner.key}.`) && READINESS_FIELDS.test(key.slice(owner.key.length + 1))) {
                    act(g.location, call, s, [], skipParens(call).parent);
                    break;
                  }
                }
              }
            }
            // A call to a function of this file that assigns the location after its own await.
            const callee = analyzerCallee(call);
            if (callee && s.guards.size > 0) {
              // A callee that moves a flag checked in this segment on before its own first await
              // (`if (this.phase === 'idle') await this.prepare()`, `prepare` setting `this.phase =
              // 'preparing'` first) claims it for this run, as the assignment would here.
              for (const claimed of s.locked === 0 ? self.earlyClaims(callee) : []) {
                const g = s.guards.get(claimed.key);
                // (Not the test the call itself makes: a helper that prunes a list and then throws
                // when it is full, `enforceLimit()`, checks it after its own write.)
                if (g && !g.by && g.check !== call) act(claimed, call, s);
              }
              const summary = self.analyze(callee);
              if (summary.claimsBeforeSuspending) return;
              for (const [key, w] of summary.lateWrites) {
                const g = s.guards.get(key);
                if (g && lateWriteActsOn(w, g)) act(w.location, call, s, [], w.suspension, callee, call.arguments);
              }
            }
            // The same for a method of a class of the file called on a shared instance
            // (`if (!this.link.open) await this.link.connect()`): what it sets on its own `this`
            // after its own await, it sets on that instance.
            // (On any instance, shared or made by this run, what it sets outside its own `this`
            // after its own await, module state, a store or a file, it sets for every run:
            // `if (!conn) await db.open()` with `async open() { conn = await connect() }`.)
            const held = !callee && s.guards.size > 0 ? locations.instanceCall(call, fn) : undefined;
            if (held?.method) {
              const summary = self.analyze(held.method);
              if (summary.claimsBeforeSuspending) return;
              for (const w of summary.lateWrites.values()) {
                const own = held.owns(w.location.key);
                const moved = own ? (held.shared ? held.move(w.location) : undefined) : w.location.kind !== 'instance' && w.location.kind !== 'slot' ? w.location : undefined;
                const g = moved && s.guards.get(moved.key);
                if (moved && g && lateWriteActsOn(w, g)) act(moved, call, s, [], w.suspension, held.method, call.arguments);
              }
            }
            return;
          }
          case 'write': {
            const target = skipParens(event.target);
            if (ts.isIdentifier(target)) {
              const b = localBinding(target, true);
              if (b) {
                const value = event.operator === 'iterate' || event.operator === 'parameter' || event.operator === 'declare' || event.operator === 'assign' ? taintOf(event.value, s) : new Set([...(s.taints.get(b) ?? []), ...taintOf(event.value, s)]);
                if (value.size > 0) s.taints.set(b, value);
                else s.taints.delete(b);
                const direct = event.operator === 'iterate' || event.operator === 'parameter' || event.operator === 'declare' || event.operator === 'assign' ? taintOf(event.value, s, true) : new Set([...(s.direct.get(b) ?? []), ...taintOf(event.value, s, true)]);
                if (direct.size > 0) s.direct.set(b, direct);
                else s.direct.delete(b);
                if (value.size > 0) {
                  const v = event.value && skipParens(event.value);
                  const inner = v && ts.isAwaitExpression(v) ? skipParens(v.expression) : v;
                  s.raw.set(b, event.operator !== 'compound' && !!inner && s.reads.has(inner) ? inner : false);
                  s.touched.delete(b);
                  s.edited.delete(b);
                  s.modified.delete(b);
                }
                return;
              }
            }
            if (event.operator === 'declare' || event.operator === 'parameter') return;
            const location = locations.locationOf(target, fn);
            if (!location) {
              // A property of a local record changed from the record's own values: `doc.n = doc.n + 1`.
              let root: ts.Expression = target;
              while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
              const b = root !== target && ts.isIdentifier(root) ? localBinding(root) : undefined;
              // Setting a named field from new input (`bean.name = input.name`) is an edit that
              // replaces what was read; an entry under a computed key (`settings[key] = v`) keeps
              // every other entry of the stale read.
              if (b && ts.isElementAccessExpression(target) && !ts.isStringLiteralLike(skipParens(target.argumentExpression)) && !ts.isNumericLiteral(skipParens(target.argumentExpression))) changed(b, s, { touched: true });
              if (b) changed(b, s, { edited: true });
              // The record's own values: the read it holds, or everything it was computed from.
              const rawRead = b && s.raw.get(b);
              const own = rawRead ? new Set([rawRead]) : b && s.taints.get(b);
              if (b && own) {
                const value = taintOf(event.value, s);
                if (event.operator === 'compound' || event.operator === 'update' || event.operator === 'logical') for (const r of own) value.add(r);
                if ([...value].some((r) => own.has(r))) s.modified.add(b);
              }
              // A record made here whose field is set from a read (`const next = new Item(k, n); if
              // (item) next.points = item.points + n`) carries that read, as one built from it does.
              // (Only a record made in this run, an object literal or `new`, not one handed in; and
              // not its id or key, which only says which record: `next.id = found.id`.)
              if (b && !own && event.operator === 'assign' && ts.isPropertyAccessExpression(target) && root === skipParens(target.expression) && !isKeyLike(target) && isMadeHere(b)) {
                const value = taintOf(event.value, s);
                if (value.size > 0) s.taints.set(b, value);
                const held = taintOf(event.value, s, true);
                if (held.size > 0) s.direct.set(b, held);
              }
              // A local collection filled with the entries of what was read, each under its own key
              // (`for (const k of Object.keys(scores)) next[k] = scores[k] / 2` … `scores = next`),
              // is a copy of that read, as a push of its items is. (A field of a request set from
              // state, `headers['if-match'] = this.etag`, is not: its key comes from nowhere.)
              if (b && ts.isElementAccessExpression(target) && root === skipParens(target.expression) && event.operator === 'assign') {
                // (Only state in memory: `encrypted[id] = await encrypt(s)`, with `id` from a store's
                // answer, holds new data.)
                const keyed = [...taintOf(target.argumentExpression, s)].map((r) => s.reads.get(r)?.location.key).filter((k): k is string => !!k);
                const carried = [...taintOf(event.value, s)].filter((r) => {
                  const l = s.reads.get(r)?.location;
                  return !!l && l.kind !== 'store' && l.kind !== 'file' && keyed.some((k) => k === l.key || k === l.collection);
                });
                if (carried.length > 0) s.taints.set(b, new Set([...(s.taints.get(b) ?? []), ...carried]));
              }
              return;
            }
            const taint = taintOf(event.value, s);
            // `x ??= await f()` writes a new value, not one derived from x: check-then-act's business.
            if (event.operator === 'compound') taint.add(target);
            if (isReset(event.node)) (s.cleared ??= new Set()).add(location.key);
            if (event.operator !== 'update') write(location, event.node, taint, s, event.operator === 'assign' ? event.value : undefined);
            else if (s.suspended && !out.lateWrites.has(location.key) && !recheckedUnderLock(location, s)) out.lateWrites.set(location.key, { location, suspension: s.suspended, write: event.node });
            act(location, event.node, s);
            markOverwritten(location, s);
            return;
          }
          default:
            return;
        }
      },
    };

    const isUnchangedWriteBack = (location: SharedLocation, values: readonly ts.Expression[] | undefined, s: RaceState, call: ts.CallExpression): boolean => {
      const stored = values?.filter((v) => taintOf(v, s).size > 0) ?? [];
      if (stored.length !== 1) return false;
      const v = skipParens(stored[0]);
      if (!ts.isIdentifier(v)) return false;
      const b = localBinding(v);
      const read = b && s.raw.get(b);
      const from = read ? s.reads.get(read) : undefined;
      // Only back where it came from (a value loaded elsewhere and stored here is an act), and
      // not over a change this function made since (that is a rollback).
      // A named field set on the copy counts too when the write replaces the whole value
      // (`set(key, s)`, `saveSettings(s)`), unlike an entity save that writes what changed.
      return !!from && !from.overwritten && sameTarget(from.location, location) && !s.touched.has(b!) && !s.modified.has(b!) && !(s.edited.has(b!) && isReplacementWrite(call));
    };

    const self = this;
    /** A creation method of this file without `async`: it can register the entry before it returns. */
    const registersAtOnce = (call: ts.CallExpression): boolean => {
      const callee = this.concurrency.resolveCallee(call);
      return !!callee && !isAsyncFunction(callee);
    };
    /**
     * Whether the read reaches the written value only through the request of an awaited call that
     * is not a function of this file (`const res = await query({ hash: this.hash }); this.hash =
     * res.hash`): what is written is the answer, which is as new as the request's own completion,
     * not a value computed from the read (a refresh: the last answer wins). Followed through
     * `const` locals; any other path to the read (a `let`, a parameter, the read in place) counts
     * as computing from it.
     */
    const onlyInRequest = (value: ts.Expression, read: ts.Node, s: RaceState): boolean => {
      let inRequest = false;
      const seen = new Set<ts.Node>();
      const reaches = (n: ts.Node): boolean => {
        if (n === read) return true;
        if (isFunctionLike(n) || ts.isClassLike(n)) return false;
        if (ts.isAwaitExpression(n)) {
          const call = skipParens(n.expression);
          if (ts.isCallExpression(call) && !s.reads.has(call) && !this.concurrency.resolveCallee(call)?.body && !computesFromArguments(call) && !(ts.isCallExpression(read) && isWithin(read, call))) {
            const callee = skipParens(call.expression);
            if (ts.isPropertyAccessExpression(callee) && reaches(callee.expression)) return true;
            if (call.arguments.some((a) => isWithin(read, a) || reachesLocal(a))) inRequest = true;
            return false;
          }
        }
        if (ts.isIdentifier(n) && isValueIdentifier(n)) {
          const b = localBinding(n);
          if (b && (s.taints.get(b)?.has(read) ?? false)) {
            const d = patternOwner(b.declaration);
            if (!ts.isVariableDeclaration(d) || !d.initializer || !(d.parent.flags & ts.NodeFlags.Const)) return true;
            if (seen.has(d)) return false;
            seen.add(d);
            return reaches(d.initializer);
          }
        }
        return ts.forEachChild(n, reaches) === true;
      };
      // (Whether a request argument carries the read through a local: it then went into the request.)
      const reachesLocal = (a: ts.Node): boolean => {
        let hit = false;
        const visit = (x: ts.Node): void => {
          if (hit || isFunctionLike(x)) return;
          if (ts.isIdentifier(x) && isValueIdentifier(x)) {
            const b = localBinding(x);
            if (b && s.taints.get(b)?.has(read)) hit = true;
          }
          ts.forEachChild(x, visit);
        };
        visit(a);
        return hit;
      };
      return !reaches(value) && inRequest;
    };
    /**
     * Calls whose result is computed from their arguments even when awaited: a function the code was
     * given (a parameter, or an entry of one: `await effects[name](state)`), and the combinators
     * that hand back the values of the promises they are given (`Promise.all([…])`).
     */
    const computesFromArguments = (call: ts.CallExpression): boolean => {
      let callee = skipParens(call.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(skipParens(callee.expression)) && (skipParens(callee.expression) as ts.Identifier).text === 'Promise') return true;
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) callee = skipParens(callee.expression);
      // (A method of a service handed in, `await api.exchange(req)`, answers with new data.)
      while (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(skipParens(callee.argumentExpression))) callee = skipParens(callee.expression);
      return ts.isIdentifier(callee) && scopes.resolve(callee)?.kind === 'parameter';
    };
    const analyzerCallee = (call: ts.CallExpression): FunctionLike | undefined => {
      const c = skipParens(call.expression);
      // Only calls on the same object or module functions: their `this.x` is ours.
      if (ts.isPropertyAccessExpression(c) && skipParens(c.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
      return this.concurrency.resolveCallee(call);
    };

    runFlow(fn, { reads: new Map(), taints: new Map(), direct: new Map(), guards: new Map(), locked: 0, modified: new Set<Binding>(), touched: new Set<Binding>(), edited: new Set<Binding>(), raw: new Map<Binding, ts.Node | false>(), lockedReads: new Set<string>() }, analysis);
    // One finding per action: a lost update explains a write better than a check-then-act on it.
    // (Except a save that claims the field its check tested: what it duplicates is the claim, the
    // check-then-act, whatever else it writes back from the old read.)
    const luWrites = new Set(out.lostUpdates.map((l) => l.write));
    out.checkThenActs = out.checkThenActs.filter((c) => !luWrites.has(c.act) || claimingSaves.has(c.act));
    return out;
  }
}
