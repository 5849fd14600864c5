// A coarse former of check-then-act candidates.
//
// The model forms a check-then-act candidate only when it recognises both the check and the act
// as accesses of one shared location (verb lists, store receivers, helpers of the file). This
// former forms candidates from shape alone, for acts the model formed none for (whether or not it
// recognised their calls), and none where the model's flow state holds a lock or a claim at the act
// (a mutex acquired, a row lock taken by an earlier read, a flag checked and set before the await:
// the answers its own candidates get, see FunctionRaces.held):
//   - the check: the answer of an awaited call, tested by an `if` (null, negation, length, count,
//     comparison), directly or through a local given it;
//   - the act: an awaited call with a creating verb, where the test lets the run go on;
//   - both about the same entity: the entity's noun (from the callee's name, its receiver, or the
//     creation inside a helper of the file it calls: `findUserByEmail`, `prisma.user.findUnique`,
//     `this.userRepository.findOne`, `User.findOne`) agrees or names a kind of the other
//     (`Dek`, `TenantDek`), or, where neither names one, both go to the same receiver; and the key
//     the look-up is keyed by (the pairs of its query, or its last plain argument that is no
//     handle) is what the creation names (a plain argument, or the same pairs among its data or
//     the object literal the record it saves was built from). A tested collection of the answer
//     (`org.members.length > 0`) is an entity of its own, kept under the answer: its creation
//     names the answer.
// The same for lost-update (coarseLostUpdates): an awaited read whose answer a local holds, then an
// awaited write of the same entry from a value computed from it, where the model formed nothing.
// The candidates then go through the rule's own gates (a concurrency source that fits, locks,
// flights, cached promises, caller contracts, ...) like the model's, and here through the act
// idioms the model applies (tolerant creation, conditional and atomic writes, a re-check, a row
// lock, an update of a record found existing).
import { ts } from 'ts-morph';
import { isAssignmentOperator, skipParens } from './flow';
import type { AsyncModel } from './model';
import type { CheckThenActCandidate, LostUpdateCandidate } from './races';
import { enclosingTransaction, isKeyLike, READ_VERSION_FIELD, toleratesExisting } from './races';
import { exits } from './safeIdioms';
import { isFunctionLike, isWithin, type FunctionLike } from './scopes';
import { calleeName, dataOption, keyText, nounsAgree, whereOption, type SharedLocation } from './sharedLocations';

/** Verbs of a look-up whose answer decides. */
const LOOKUP = /^(get|find|fetch|load|lookup|read|query|select|search|retrieve|count|exists|has|check|is)(?![a-z])/;
/** Verbs that create the entity (and fail or duplicate when it exists). */
const CREATE = /^(create|insert|add|register|provision|spawn|make|new|issue|grant|claim|reserve|enqueue|signUp|signIn|save|put)(?![a-z])/;
/** Creations that decide in the store or accept an existing entity. */
const SAFE_CREATE = /OrCreate|OrUpdate|OrGet|OrReplace|IfNotExists|IfMissing|IfAbsent|[uU]psert/;
/** Options and clauses that let the store decide: ignore duplicates, ON CONFLICT, NX, conditional updates, versions, row locks. */
const SAFE_TEXT = /ignoreDuplicates|skipDuplicates|onConflict|ON CONFLICT|INSERT OR IGNORE|\bNX\b|\$(gte?|lte?|ne|inc)\b|\b(increment|decrement)\s*:|\bversion\b|FOR UPDATE|forUpdate|\block\s*:/;
/** Receiver suffixes that name a store of the noun: `userRepository`, `UserModel`, `usersCollection`. */
const STORE_SUFFIX = /(Repository|Repo|Service|Model|Collection|Table|Store|Dao|Manager|Client|Api|Resource|Entity|Db|DB)$/;
/** Receivers that name no entity. */
const GENERIC = /^(db|database|prisma|knex|client|api|store|repo|repository|service|services|model|models|this|ctx|context|req|request|res|tx|trx|t|em|manager|sql|pool|conn|connection|redis|cache|kv|storage|axios|http|fetch|self|window|global|globalThis|app|server|sdk|supabase|firebase|admin|firestore|ds|dataSource|source|query|qb|builder|console|Promise|JSON|Object|Math|Array|Reflect|Number|String|Date|Buffer|URL|path|process|crypto|util|fs|fsp|os)$/i;
/** Words of a callee name that are no entity. */
const GENERIC_NOUN = /^(One|Many|All|First|Last|Unique|UniqueOrThrow|FirstOrThrow|Item|Items|Value|Entry|Key|Record|Row|Rows|Object|Raw|Json|Async|Sync|Data|Result|Results|Count|Document|Documents|Doc|Docs|Exist|Exists|Existing|Or|And)$/;

function singular(w: string): string {
  return w.replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
}

function cap(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The noun a callee's name names after its verb, up to a qualifier: `findUserByEmail` → `User`. */
function nameNoun(name: string, verb: RegExp): string | undefined {
  const rest = name.replace(verb, '');
  if (!/^[A-Z]/.test(rest)) return undefined;
  const noun = rest.replace(/(?<=.)(By|For|From|With|In|On|At|Of|To|If|Where|And|Or)[A-Z0-9].*$/, '').replace(/^(By|For|From|With|In|On|At|Of|To|If|Where)[A-Z0-9].*$/, '');
  if (!noun || GENERIC_NOUN.test(noun)) return undefined;
  return noun.replace(/ies(?=[A-Z0-9]|$)/g, 'y').replace(/([^s])s(?=[A-Z0-9]|$)/g, '$1');
}

/** The noun a receiver names: `prisma.user` → `User`, `this.userRepository` → `User`, `Users` → `User`, `db('users')` → `User`. */
function receiverNoun(r: ts.Expression): string | undefined {
  let e = skipParens(r);
  // A table named by a string: `db('users')`, `db.from('users')`, `knex.table('users')`, `db.collection('users')`.
  if (ts.isCallExpression(e)) {
    const a = e.arguments[0];
    if (a && ts.isStringLiteralLike(a) && /^[A-Za-z_]\w*$/.test(a.text)) return cap(singular(a.text.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())));
    return undefined;
  }
  if (ts.isNonNullExpression(e)) e = e.expression;
  let name: string | undefined;
  if (ts.isIdentifier(e)) name = e.text;
  else if (ts.isPropertyAccessExpression(e)) name = e.name.text;
  if (!name || GENERIC.test(name)) return undefined;
  const stripped = name.replace(STORE_SUFFIX, '');
  if (!stripped || GENERIC.test(stripped)) return undefined;
  return cap(singular(stripped));
}

interface Entity {
  call: ts.CallExpression;
  /** The entity's noun, from the callee's name, else its receiver, else the creation inside a helper of the file it calls. */
  noun?: string;
  /** The receiver's text, when the call has one. */
  receiver?: string;
  /** Positional keys: a look-up's last plain argument that is no handle; every plain argument of a creation. */
  positional: string[];
  /** Keyed pairs: `where: { email }` gives `email` → `email`. */
  pairs: Map<string, string>;
  /** A collection of the answer tested (`credential.cards.length > 0`): the entity is its element, kept under the answer. */
  parent?: string;
}

/** Arguments that say where to look, not which entity: a database handle, a client, a transaction. */
const HANDLE = /^(db|database|mongo|client|conn|connection|tx|trx|t|em|manager|pool|knex|prisma|redis|ctx|context|req|request|res|admin|supabase|sql|session|options|opts|config)$/i;

function pairsOf(o: ts.Expression | undefined, sf: ts.SourceFile, out: Map<string, string>): void {
  const x = o && skipParens(o);
  if (!x || !ts.isObjectLiteralExpression(x)) return;
  for (const p of x.properties) {
    if (ts.isShorthandPropertyAssignment(p)) out.set(p.name.text, p.name.text);
    else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      const v = skipParens(p.initializer);
      // (A key is a value the run holds: not a literal, not an operator object.)
      if (ts.isIdentifier(v) || ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v)) out.set(p.name.text, keyText(v, sf));
    }
  }
}

/** The object literals a local was built from: `const r = make({ … })`, `r = new X({ … })`. */
function builtFrom(id: ts.Identifier): ts.Expression[] {
  const fn = id.getSourceFile();
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    let init: ts.Expression | undefined;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.initializer) init = n.initializer;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === id.text) init = n.right;
    const x = init && skipParens(init);
    if (x && ts.isObjectLiteralExpression(x)) out.push(x);
    else if (x && (ts.isCallExpression(x) || ts.isNewExpression(x))) for (const a of x.arguments ?? []) if (ts.isObjectLiteralExpression(skipParens(a))) out.push(a);
    ts.forEachChild(n, visit);
  };
  // (Within the function that creates it.)
  let f: ts.Node = id;
  while (f.parent && !isFunctionLike(f)) f = f.parent;
  visit(isFunctionLike(f) ? f : fn);
  return out;
}

/**
 * A function of this file a call reaches by a name or through `this` (`helper(…)`, `this.helper(…)`),
 * as the concurrency model resolves it.
 */
type HelperOf = (call: ts.CallExpression) => FunctionLike | undefined;

function helperResolver(model: AsyncModel): HelperOf {
  return (call) => {
    const callee = skipParens(call.expression);
    const named = ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword);
    return named ? model.concurrency.resolveCallee(call) : undefined;
  };
}

function ownNoun(call: ts.CallExpression, verb: RegExp): string | undefined {
  const callee = skipParens(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : undefined;
  return nameNoun(calleeName(call), verb) ?? (receiver ? receiverNoun(receiver) : undefined);
}

/** The noun of what a helper of the file does with that verb: `insert(…)` whose body awaits `insertUser(…)`. */
function helperNoun(call: ts.CallExpression, verb: RegExp, helperOf: HelperOf): string | undefined {
  const h = helperOf(call);
  if (!h?.body) return undefined;
  let noun: string | undefined;
  const visit = (n: ts.Node): void => {
    if (noun) return;
    if (n !== h && isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && verb.test(calleeName(n))) noun = ownNoun(n, verb);
    if (!noun) ts.forEachChild(n, visit);
  };
  visit(h.body);
  return noun;
}

function entityOf(call: ts.CallExpression, verb: RegExp, role: 'lookup' | 'create', helperOf: HelperOf): Entity | undefined {
  const sf = call.getSourceFile();
  const noun = ownNoun(call, verb) ?? helperNoun(call, verb, helperOf);
  const callee = skipParens(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? keyText(skipParens(callee.expression), sf) : undefined;
  if (!noun && !(receiver && receiver !== 'this')) return undefined;
  const args = call.arguments.filter((a) => !ts.isSpreadElement(a) && !ts.isArrowFunction(a) && !ts.isFunctionExpression(a)).map((a) => skipParens(a));
  const e: Entity = { call, ...(noun ? { noun } : {}), ...(receiver ? { receiver } : {}), positional: [], pairs: new Map() };
  // (A record built before it is created: `const r = repo.create({ userId })` … `await repo.save(r)`, `new Link(id, source)`.)
  if (role === 'create') for (const a of args) if (ts.isIdentifier(a)) for (const b of builtFrom(a)) pairsOf(b, sf, e.pairs);
  const plain = args.filter((a) => (ts.isIdentifier(a) && !HANDLE.test(a.text)) || ts.isPropertyAccessExpression(a) || ts.isElementAccessExpression(a) || ts.isTemplateExpression(a));
  for (const a of args) if (ts.isObjectLiteralExpression(a)) pairsOf(role === 'lookup' ? whereOption(a) ?? a : dataOption(a) ?? a, sf, e.pairs);
  if (role === 'lookup') {
    // (The look-up's key: the pairs of its query, else its last plain argument: `get(tenant.id, userId)` is keyed by `userId`.)
    if (e.pairs.size === 0 && plain.length > 0) e.positional = [keyText(plain[plain.length - 1], sf)];
  } else e.positional = plain.map((a) => keyText(a, sf));
  return e;
}

/** `Dek` and `TenantDek`: the longer names a kind of the shorter (a qualifier before it). */
function endsWithNoun(long: string, short: string): boolean {
  return long.length > short.length && long.endsWith(short) && /[A-Z]/.test(short[0]) && /[a-z0-9]/.test(long[long.length - short.length - 1]);
}

/** One store: nouns that agree (or one a kind of the other), or, where neither call names one, the same receiver. */
function sameStore(check: Entity, act: Entity): boolean {
  if (check.noun && act.noun) return nounsAgree(check.noun, act.noun) || endsWithNoun(check.noun, act.noun) || endsWithNoun(act.noun, check.noun);
  return !check.noun && !act.noun && !!check.receiver && check.receiver === act.receiver;
}

/**
 * Whether a creation makes the entity a look-up asked for: nouns that agree, and the look-up's key
 * among what the creation names (the same plain argument, or as a value of its data; every pair of
 * the look-up's query among the creation's data).
 */
function sameEntity(check: Entity, act: Entity): boolean {
  if (!sameStore(check, act)) return false;
  // (An element of a found record's collection: created for that record, naming it.)
  if (check.parent) {
    const parent = new Set([check.parent]);
    return act.call.arguments.some((a) => mentions(a, parent));
  }
  if (check.positional.length > 0) {
    const k = check.positional[0];
    return act.positional.includes(k) || [...act.pairs.values()].includes(k);
  }
  if (check.pairs.size === 0) return false;
  for (const [k, v] of check.pairs) if (act.pairs.get(k) !== v) return false;
  return true;
}

/** The awaited call a condition tests (directly, or through a local given its answer). */
function testedCall(cond: ts.Expression, answers: Map<string, ts.CallExpression>): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) && ts.isCallExpression(skipParens(n.expression))) found = skipParens(n.expression) as ts.CallExpression;
    else if (ts.isIdentifier(n) && answers.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = answers.get(n.text);
    else ts.forEachChild(n, visit);
  };
  visit(cond);
  return found;
}

/** A collection of an answer the condition tests: `credential.cards.length > 0`, `!org.members[0]`. */
function testedCollection(cond: ts.Expression, answers: Map<string, ts.CallExpression>): { noun: string; parent: string } | undefined {
  let found: { noun: string; parent: string } | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && answers.has(n.expression.text) && /[a-z]s$/.test(n.name.text)) {
      const p = n.parent;
      const sized = (ts.isPropertyAccessExpression(p) && p.expression === n && /^(length|size)$/.test(p.name.text)) || (ts.isElementAccessExpression(p) && p.expression === n);
      if (sized) found = { noun: cap(singular(n.name.text)), parent: n.expression.text };
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(cond);
  return found;
}

/** The await of a call, if it is awaited where it is made. */
function awaitOf(call: ts.CallExpression): ts.AwaitExpression | undefined {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  return ts.isAwaitExpression(n.parent) ? n.parent : undefined;
}

/** The first awaited creation of the checked entity in a region where the test lets the run go on. */
function firstCreation(region: ts.Node, check: Entity, fn: FunctionLike, helperOf: HelperOf): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  let rechecked = false;
  const checkName = calleeName(check.call);
  const checkText = check.call.getText();
  const visit = (n: ts.Node): void => {
    if (found || rechecked) return;
    // (A function stored or handed on, an in-flight promise, is not followed; nor a transaction's
    // callback: its reads answer under its own isolation. An awaited callback runs here.)
    if (isFunctionLike(n)) {
      const p = skipParens(n as ts.Expression).parent;
      const awaitedCallback = ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression) && !!awaitOf(p) && !enclosingTransaction(n);
      if (!awaitedCallback) return;
    }
    if (ts.isCallExpression(n)) {
      // A re-check: the same look-up asked again before acting.
      if (n !== check.call && calleeName(n) === checkName && n.getText() === checkText) {
        rechecked = true;
        return;
      }
      if (awaitOf(n) && CREATE.test(calleeName(n)) && !SAFE_CREATE.test(calleeName(n)) && !SAFE_TEXT.test(n.getText()) && !toleratesExisting(n, fn) && !asksAgainOnFailure(n, checkName, fn)) {
        const act = entityOf(n, CREATE, 'create', helperOf);
        // (A helper of the file is judged by its body: one that lets the store decide, `ON CONFLICT`, `NX`, an upsert, tolerates the entity.)
        if (act && sameEntity(check, act) && !helperTolerates(n, helperOf)) {
          found = n;
          return;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(region);
  return found;
}

/** Whether a call of a helper of the file creates only in ways that accept an existing entity. */
function helperTolerates(call: ts.CallExpression, helperOf: HelperOf): boolean {
  const h = helperOf(call);
  if (!h?.body) return false;
  const text = h.body.getText();
  if (SAFE_TEXT.test(text) || SAFE_CREATE.test(text)) return true;
  let tolerant = false;
  const visit = (n: ts.Node): void => {
    if (tolerant) return;
    if (ts.isCallExpression(n) && CREATE.test(calleeName(n)) && toleratesExisting(n, h)) tolerant = true;
    else ts.forEachChild(n, visit);
  };
  visit(h.body);
  return tolerant;
}

/** A creation in a `try` whose `catch` asks the look-up again (and returns what it finds): it accepts an entity made meanwhile. */
function asksAgainOnFailure(call: ts.CallExpression, checkName: string, fn: FunctionLike): boolean {
  for (let n: ts.Node = call; n !== fn && n.parent; n = n.parent) {
    const t = n.parent;
    if (ts.isTryStatement(t) && t.tryBlock === n && t.catchClause) {
      const asks = (x: ts.Node): boolean => (ts.isCallExpression(x) && calleeName(x) === checkName) || ts.forEachChild(x, asks) === true;
      return asks(t.catchClause.block);
    }
  }
  return false;
}

/** Whether a test of an answer is a presence test that found the entity there (`if (user) …` then-branch). */
function isMissingBranch(cond: ts.Expression, branch: 'then' | 'else' | 'after'): boolean {
  const c = skipParens(cond);
  const negated = ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken;
  const nullCompare = ts.isBinaryExpression(c) && (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) && /^(null|undefined|0)$/.test(c.right.getText());
  const present = ts.isIdentifier(c) || ts.isAwaitExpression(c) || ts.isPropertyAccessExpression(c);
  if (negated || nullCompare) return branch === 'then';
  if (present) return branch !== 'then';
  // A comparison (a count under a limit, `length === 0`): either branch may be the one that creates.
  return true;
}

/** Coarse candidates of one function: for acts the model formed no candidate for. */
export function coarseCandidates(model: AsyncModel, fn: FunctionLike, formed: readonly CheckThenActCandidate[]): CheckThenActCandidate[] {
  const out: CheckThenActCandidate[] = [];
  if (!fn.body || !ts.isBlock(fn.body)) return out;
  const acted = new Set(formed.map((c) => c.act));
  // (Where the model's flow holds a lock or a claim at the act, its own candidates would be quiet: so is the former.)
  const held = model.races(fn).held;
  const helperOf = helperResolver(model);
  const answers = new Map<string, ts.CallExpression>();
  const visit = (n: ts.Node): void => {
    if (n !== fn && isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n) && n.initializer) {
      const init = skipParens(n.initializer);
      if (ts.isAwaitExpression(init) && ts.isCallExpression(skipParens(init.expression))) {
        const call = skipParens(init.expression) as ts.CallExpression;
        if (ts.isIdentifier(n.name)) answers.set(n.name.text, call);
        else if (ts.isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements) if (ts.isIdentifier(el.name)) answers.set(el.name.text, call);
        } else if (ts.isArrayBindingPattern(n.name)) {
          for (const el of n.name.elements) if (ts.isBindingElement(el) && ts.isIdentifier(el.name)) answers.set(el.name.text, call);
        }
      }
    }
    if (ts.isIfStatement(n)) {
      const checkCall = testedCall(n.expression, answers);
      let check = checkCall && awaitOf(checkCall) && LOOKUP.test(calleeName(checkCall)) && !SAFE_TEXT.test(checkCall.getText()) ? entityOf(checkCall, LOOKUP, 'lookup', helperOf) : undefined;
      const member = check ? testedCollection(n.expression, answers) : undefined;
      if (member && check) check = { call: check.call, noun: member.noun, positional: [], pairs: new Map(), parent: member.parent };
      if (check && checkCall) {
        const regions: Array<[ts.Node, 'then' | 'else' | 'after']> = [[n.thenStatement, 'then']];
        if (n.elseStatement) regions.push([n.elseStatement, 'else']);
        if (exits(n.thenStatement) && ts.isBlock(n.parent)) {
          const i = n.parent.statements.indexOf(n);
          for (const s of n.parent.statements.slice(i + 1)) regions.push([s, 'after']);
        }
        for (const [region, branch] of regions) {
          // (Only where the look-up found nothing, or a comparison let the run on: creating what was found is no race of the check.)
          if (!isMissingBranch(n.expression, branch)) continue;
          const act = firstCreation(region, check, fn, helperOf);
          if (!act || acted.has(act) || held.has(act)) continue;
          acted.add(act);
          const sf = fn.getSourceFile();
          const key = check.parent ?? check.positional[0] ?? [...check.pairs].map(([k, v]) => `${k}: ${v}`).join(', ');
          const resource = `store:${check.noun}`;
          const location: SharedLocation = { key: `${resource}[${key}]`, kind: 'store', text: check.noun ?? check.receiver ?? calleeName(check.call), resource, entry: key, noun: check.noun };
          out.push({
            fn,
            location,
            check: n.expression,
            checkedRead: checkCall,
            checkStatement: n,
            act,
            actLocation: { ...location, text: keyText(skipParens(act.expression), sf) },
            suspension: awaitOf(checkCall)!,
            kind: 'act',
          });
          break;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** Verbs of a read whose answer is a value the run may write back. */
const READ = /^(get|read|load|fetch|find|list|select|query|retrieve|lookup)(?![a-z])/;
/** Verbs of a write that replaces the entry with the value handed to it. */
const WRITE = /^(write|rewrite|save|set|put|update|store|persist|replace|overwrite)(?![a-z])/;
/** Calls that change the object they are called on. */
const MUTATOR = /^(set|delete|push|pop|shift|unshift|splice|add|clear|sort|reverse|fill)$/;

/** The identifiers a node mentions as values (not property names), outside nested functions. */
function mentions(n: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(n)) return names.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n);
  return ts.forEachChild(n, (c) => (mentions(c, names) ? true : undefined)) === true;
}

/** The local a chain of property and element accesses starts from: `doc.items[0].n` → `doc`. */
function rootName(e: ts.Expression): string | undefined {
  let x = skipParens(e);
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isNonNullExpression(x)) x = skipParens(x.expression);
  return ts.isIdentifier(x) ? x.text : undefined;
}

/** The parts of a write's arguments that carry data: plain arguments, and the values of object literals (one level into `data`, `$set`, …). */
function valueParts(args: readonly ts.Expression[]): Array<{ name?: string; value: ts.Expression }> {
  const out: Array<{ name?: string; value: ts.Expression }> = [];
  const add = (e: ts.Expression, name?: string, depth = 0): void => {
    const x = skipParens(e);
    if (ts.isObjectLiteralExpression(x) && depth < 2) {
      for (const p of x.properties) {
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) add(p.initializer, p.name.text, depth + 1);
        else if (ts.isShorthandPropertyAssignment(p)) out.push({ name: p.name.text, value: p.name });
        else if (ts.isSpreadAssignment(p)) out.push({ value: p.expression });
      }
    } else out.push({ name, value: x });
  };
  for (const a of args) if (!ts.isSpreadElement(a)) add(a);
  return out;
}

interface ReadOf {
  call: ts.CallExpression;
  entity: Entity;
  /** Locals holding the answer (the answer itself, or parts of it destructured). */
  names: Set<string>;
  /** Locals computed from the answer since. */
  derived: Set<string>;
  /** Whether the answer's object was changed in place since (a field set, a mutating call, handed to a function). */
  changed: boolean;
  /** The block the locals are declared in. */
  scope: ts.Node;
}

/**
 * Coarse lost-update candidates of one function: an awaited read of a store entry whose answer a
 * local holds, then an awaited write of the same entry (the same noun, or one receiver where
 * neither names one; the same key, or, for a read of the whole store, no key) from a value computed
 * from that answer, or from the answer's object changed in place (a field set, a mutating method, a
 * function of the file handed it). None where the model formed a candidate for the write, where its
 * flow state holds a lock or a claim at the read or the write, where its idioms answer for the pair
 * (input-gated Durable Object storage, a version of the answer handed to the write), for an updater, after the same read
 * is asked again, or inside a transaction. The candidates pass the rule's gates as the model's do.
 */
export function coarseLostUpdates(model: AsyncModel, fn: FunctionLike, formed: readonly LostUpdateCandidate[]): LostUpdateCandidate[] {
  const out: LostUpdateCandidate[] = [];
  if (!fn.body || !ts.isBlock(fn.body)) return out;
  const written = new Set(formed.map((c) => c.write));
  const held = model.races(fn).held;
  const helperOf = helperResolver(model);
  const reads: ReadOf[] = [];
  const sf = fn.getSourceFile();
  const visit = (n: ts.Node): void => {
    if (n !== fn && isFunctionLike(n)) return;
    // A read whose answer a local holds: `const v = await store.get(k)`, `const [row] = await svc.list(q)`, `(await get(k)) ?? {}`.
    if (ts.isVariableDeclaration(n) && n.initializer) {
      let init = skipParens(n.initializer);
      if (ts.isBinaryExpression(init) && (init.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || init.operatorToken.kind === ts.SyntaxKind.BarBarToken)) init = skipParens(init.left);
      const call = ts.isAwaitExpression(init) && ts.isCallExpression(skipParens(init.expression)) ? (skipParens(init.expression) as ts.CallExpression) : undefined;
      if (call && READ.test(calleeName(call)) && !SAFE_TEXT.test(call.getText()) && !enclosingTransaction(call) && !held.has(call)) {
        const entity = entityOf(call, READ, 'lookup', helperOf);
        const names = new Set<string>();
        if (ts.isIdentifier(n.name)) names.add(n.name.text);
        else for (const el of n.name.elements) if (ts.isBindingElement(el) && ts.isIdentifier(el.name)) names.add(el.name.text);
        let scope: ts.Node = n;
        while (scope.parent && !ts.isBlock(scope) && scope !== fn) scope = scope.parent;
        if (entity && names.size > 0) reads.push({ call, entity, names, derived: new Set(), changed: false, scope });
        ts.forEachChild(n.name, visit);
        return;
      }
      // A local computed from an answer: `const next = cur + 1`.
      for (const r of reads) if (ts.isIdentifier(n.name) && mentions(n.initializer, new Set([...r.names, ...r.derived])) && !isKeyLike(n.initializer)) r.derived.add(n.name.text);
    }
    // The answer's object changed in place: `doc.n = …`, `doc.items.push(x)`, `map.set(k, v)`, `apply(doc)`.
    for (const r of reads) {
      if (r.changed || n.pos < r.call.end) continue;
      if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && !ts.isIdentifier(skipParens(n.left)) && r.names.has(rootName(n.left) ?? '')) r.changed = true;
      else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && !ts.isIdentifier(skipParens(n.operand)) && r.names.has(rootName(n.operand) ?? '')) r.changed = true;
      else if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(callee) && MUTATOR.test(callee.name.text) && r.names.has(rootName(callee.expression) ?? '')) r.changed = true;
        // (Handed to a function of the file, or to `Object.assign` as its target: what a function elsewhere does with it is not known.)
        else if (n.arguments.some((a, i) => ts.isIdentifier(skipParens(a)) && r.names.has((skipParens(a) as ts.Identifier).text) && (callee.getText() === 'Object.assign' ? i === 0 : !WRITE.test(calleeName(n)) && !!helperOf(n)?.body))) r.changed = true;
      }
    }
    if (ts.isCallExpression(n) && awaitOf(n) && WRITE.test(calleeName(n)) && !SAFE_CREATE.test(calleeName(n)) && !SAFE_TEXT.test(n.getText()) && !written.has(n) && !held.has(n) && !enclosingTransaction(n)) {
      for (const r of reads) {
        if (n.pos < r.call.end || !isWithin(n, r.scope)) continue;
        const found = writeOfRead(n, r, fn, helperOf, sf, model);
        if (!found) continue;
        written.add(n);
        const resource = `store:${r.entity.noun ?? r.entity.receiver ?? calleeName(r.call)}`;
        const key = r.entity.positional[0] ?? [...r.entity.pairs].map(([k, v]) => `${k}: ${v}`).join(', ');
        const location: SharedLocation = { key: `${resource}[${key}]`, kind: 'store', text: r.entity.noun ?? r.entity.receiver ?? calleeName(r.call), resource, entry: key, noun: r.entity.noun };
        out.push({ fn, location, read: r.call, write: n, suspension: awaitOf(r.call)!, readLocation: location });
        break;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** Whether an awaited write puts back, under the read's key, a value the answer of the read made. */
function writeOfRead(w: ts.CallExpression, r: ReadOf, fn: FunctionLike, helperOf: HelperOf, sf: ts.SourceFile, model: AsyncModel): boolean {
  // (An updater, `update((cur) => …)`, is handed the entry as it is when it writes.)
  if (w.arguments.some((a) => isFunctionLike(skipParens(a)))) return false;
  const act = entityOf(w, WRITE, 'create', helperOf);
  if (!act || !sameStore(r.entity, act)) return false;
  // (The model's own answers for such a pair: a Durable Object's storage with only its own operations
  // awaited in between is input-gated; a write that hands the store the version the answer carried,
  // `updateOne({ _id, __v: page.__v }, …)`, `{ ifMatch: blob.etag }`, is refused if the entry changed.)
  if (r.entity.receiver && model.idioms.isInputGated({ kind: 'store', text: r.entity.receiver }, r.call, w)) return false;
  const handsVersion = (n: ts.Node): boolean => {
    if (ts.isPropertyAccessExpression(n) && READ_VERSION_FIELD.test(n.name.text) && r.names.has(rootName(n.expression) ?? '') && !(ts.isBinaryExpression(n.parent) || ts.isPrefixUnaryExpression(n.parent) || ts.isPostfixUnaryExpression(n.parent))) return true;
    return !isFunctionLike(n) && ts.forEachChild(n, (c) => (handsVersion(c) ? true : undefined)) === true;
  };
  if (w.arguments.some(handsVersion)) return false;
  // (The same read asked again before the write answers for it.)
  const text = r.call.getText();
  let reread = false;
  const again = (n: ts.Node): void => {
    if (reread) return;
    if (ts.isCallExpression(n) && n !== r.call && n.pos >= r.call.end && n.end <= w.pos && n.getText() === text) reread = true;
    else ts.forEachChild(n, again);
  };
  again(fn.body!);
  if (reread) return false;
  const answer = new Set([...r.names]);
  const made = new Set([...r.names, ...r.derived]);
  const parts = valueParts(w.arguments);
  // The key: the read's own (the same plain argument, or every pair of its query).
  let keyed: boolean;
  if (r.entity.positional.length > 0) {
    const k = r.entity.positional[0];
    keyed = act.positional.includes(k) || [...act.pairs.values()].includes(k);
  } else if (r.entity.pairs.size > 0) {
    keyed = [...r.entity.pairs].every(([k, v]) => act.pairs.get(k) === v);
  } else {
    // (A read of the whole store, `readSettings()`: its write names nothing but the value.)
    keyed = act.pairs.size === 0 && act.positional.every((p) => {
      const id = skipParens(w.arguments.find((a) => keyText(skipParens(a), sf) === p) ?? w);
      return ts.isIdentifier(id) && made.has(id.text);
    });
  }
  if (!keyed) return false;
  // The value: computed from the answer, or the answer's object itself after it was changed.
  return parts.some(({ value }) => {
    if (isKeyLike(value) || !mentions(value, made)) return false;
    const root = rootName(value);
    const bare = ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value);
    if (bare && root && answer.has(root)) return r.changed;
    return true;
  });
}
