// Shared locations: the places another task can touch while a function is suspended.
//
// Shared: module bindings (and paths and keyed entries under them), static members, `this.x` of
// classes and module-level object literals (and `this` of a component's or store's options),
// variables captured from an enclosing function (shared when that function runs the closure more
// than once at a time: see ./concurrency.ts), state kept behind a setter (React hooks, store
// creators, accessors such as `getState`/`setState`, signals), and keyed external stores reached
// through an awaited `get(key)` (Redis, a KV store), a SQL table, or a file path.
// Not shared: locals and parameters of the function itself, and objects it creates. Which of the
// "maybe shared" ones really are (is the class long-lived? does the closure run concurrently?)
// is decided later, with the concurrency model, only for locations that take part in a race.
import { ts } from 'ts-morph';
import { continuationsOf, isAssignmentOperator, skipParens } from './flow';
import { enclosingFunction, isAsyncFunction, isFunctionLike, isWithin, requiredModule, type Binding, type FunctionLike, type Scopes } from './scopes';
import { HelperSummaries, isFieldInMemory } from './helperSummaries';
import { everyReturn, skipOuterParents } from '../syntax';

export type LocationKind =
  /** a module binding, or a path or entry under one */
  | 'module'
  /** a variable of an enclosing function, captured by a closure */
  | 'captured'
  /** `this.x` of a class instance */
  | 'instance'
  /** a static member */
  | 'static'
  /** a key of an external store reached through an awaited `get` (Redis, KV, a database) */
  | 'store'
  /** a file, by its path expression */
  | 'file'
  /**
   * state a library keeps behind a setter: a React state hook (`const [items, setItems] =
   * useState()`), a context or store hook (`const { user, setUser } = useStore()`), a store
   * creator's `set`/`get` (`create((set, get) => …)`)
   */
  | 'slot';

export interface SharedLocation {
  /** Identity within the file: two accesses touch the same place when their keys are equal. */
  key: string;
  kind: LocationKind;
  /** How the source spells it, for messages (`this.count`, `cache.get(id)`). */
  text: string;
  /** For an entry, a size or membership: the key of the collection it belongs to. */
  collection?: string;
  /**
   * For stores: the store or resource as a whole (`store:redis`, `resource:Tasks`), so that a
   * read of one key and a write of the record it returned can be matched.
   */
  resource?: string;
  /**
   * For a resource a function's name stands for (`loadTaskList()`): the whole noun, each word
   * singular (`TaskList`). Two names that only share leading words (`getOAuthActor`,
   * `storeOAuthIntent`) stand for two resources; see nounsAgree.
   */
  noun?: string;
  /** For an entry of a collection (`map.get(k)`, `obj[k]`): the key, as the source spells it. */
  entry?: string;
  /**
   * For a file written through a temporary file renamed onto it later (`writeFileSync(tmp, d);
   * renameSync(tmp, file)`): the write carries the data, the rename is what creates the file.
   */
  published?: boolean;
  /** Whether that key is a literal (two different literal keys are surely different entries). */
  literalKey?: boolean;
  /** For module and captured locations: the root binding. */
  binding?: Binding;
  /** For captured locations: the function whose activation owns the variable. */
  owner?: FunctionLike;
  /** For instance and static locations: the class. */
  classNode?: ts.ClassLikeDeclaration;
  /** For `this.x` in a method of a module-level object literal: that object's binding. */
  objectBinding?: Binding;
  /** For slots: the setter's name (`setItems`, `set`). */
  setter?: string;
  /** For slots: the setter also takes an updater (`setItems((prev) => …)`), as React's `useState` does. */
  takesUpdater?: boolean;
  /**
   * For slots read through a constant the closure captured (`items` of `useState`): the value is
   * as old as the closure, so reading it after a suspension gives what was there before it.
   */
  snapshot?: boolean;
  /**
   * For an access through a helper of the file (`await loadBalance()`, see ./helperSummaries.ts):
   * the helper as called, and the read or write in the body of the helper (`within`) that does it.
   */
  through?: { helper: string; node: ts.Node; within: string; getter?: boolean };
  /** For an access through a helper: the location its name stands for (`loadTasks()`: `resource:Task`), if any. */
  alias?: SharedLocation;
  /**
   * For a file named by a path joined under another (`join(dir, name)`, `${dir}/${name}`): the
   * key of that directory's location, unless the name is made unique (`.tmp-${randomUUID()}`).
   */
  directory?: string;
  /**
   * For a SQL statement that reads several tables (a join, a subquery in its select list): the
   * keys of the others (`sql:spend_log`), each checked by a test of its answer as the first is.
   */
  alsoReads?: string[];
}

/** The getter and setter a slot is reached through. */
interface Slot {
  location: SharedLocation;
  /** The binding holding the value (a hook's snapshot), if any. */
  value?: Binding;
  setter: Binding;
  /** A getter function (`get` of `create((set, get) => …)`), if any. */
  getter?: Binding;
  /**
   * The setter is a Redux `dispatch`: it writes the state only through actions named for a
   * write (`dispatch(setItems(v))`); other actions are requests, not values.
   */
  dispatch?: boolean;
  /**
   * The value is the live state, not a snapshot: a Vuex action's `state`, written through
   * `commit('setItems', v)` (the mutation named for the field).
   */
  live?: boolean;
}

/** The name a function is declared or bound under (`function Profile`, `const Profile = (…) =>`, `memo(function Profile …)`). */
function componentName(fn: ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction): string {
  if (fn.name) return fn.name.text;
  let n: ts.Node = fn.parent;
  while (ts.isCallExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.parent;
  return ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : '';
}

/** Redux action creators that put a value into the state: `setItems(v)`, `slice.actions.updateUser(u)`. */
const WRITE_ACTION = /^(set|update|replace|patch|merge|save|put|store|restore)[A-Z_]/;

/**
 * Hooks whose pair is not a value and its setter. (`useContext` is not among them: a context
 * often carries a `[value, setValue]` pair made by a state hook above.)
 */
const NOT_STATE_HOOKS = /^(useReducer|useRef|useMemo|useCallback|useEffect|useLayoutEffect|useTransition|useActionState|useOptimistic|useFormState)$/;
/** Hooks that return `[value, setValue]` by contract: `useState`, `useRecoilState`, `useLocalStorageState`, jotai's `useAtom`. */
const VALUE_SETTER_HOOKS = /^use(\w*State|Atom)$/;

/**
 * Accessors of an object's state (`store.getState()`, `subject.getValue()`, `this.setUser(u)`):
 * the field they stand for, or undefined. Getters take no argument, setters one.
 */
export function accessorField(name: string, argCount: number): { field: string; mode: 'read' | 'write' } | undefined {
  if (argCount === 0) {
    if (name === 'get' || name === 'getValue') return { field: 'value', mode: 'read' };
    if (name === 'getState' || name === 'getSnapshot') return { field: 'state', mode: 'read' };
    const m = /^get([A-Z]\w*)$/.exec(name);
    if (m) return { field: m[1].charAt(0).toLowerCase() + m[1].slice(1), mode: 'read' };
    return undefined;
  }
  if (argCount !== 1) return undefined;
  if (name === 'set' || name === 'setValue' || name === 'next') return { field: 'value', mode: 'write' };
  // (Vuex's `store.replaceState(s)` puts a whole new root state in place.)
  if (name === 'setState' || name === 'replaceState') return { field: 'state', mode: 'write' };
  const m = /^set([A-Z]\w*)$/.exec(name);
  // Setters of a non-state: timers, attributes, headers.
  if (m && !/^(Timeout|Interval|Immediate|Attribute|Header|Item|Property|Prototype|Option|Config|Context)/.test(m[1])) return { field: m[1].charAt(0).toLowerCase() + m[1].slice(1), mode: 'write' };
  return undefined;
}

function textOf(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** A node's text without white space: equal for the same expression however it is laid out. */
/** `this.name`: a field of the object itself. */
function isOwnField(e: ts.Expression): e is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(e) && skipParens(e.expression).kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(e.name);
}

/** The declared type of a field of a class: a property's annotation, or a constructor parameter property's. */
function fieldTypeOf(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): ts.TypeNode | undefined {
  for (const m of cls.members) {
    const st = !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && st === isStatic) return m.type;
    if (ts.isConstructorDeclaration(m) && !isStatic) {
      for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === name && ts.isParameterPropertyDeclaration(p, m)) return p.type;
    }
  }
  return undefined;
}

/** The declared type of a member of an object type written in place (`{ walletDao: WalletDao; db: Db }`). */
function memberTypeOf(type: ts.TypeNode | undefined, name: string): ts.TypeNode | undefined {
  if (!type || !ts.isTypeLiteralNode(type)) return undefined;
  for (const m of type.members) {
    if (ts.isPropertySignature(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === name) return m.type;
  }
  return undefined;
}

export function keyText(node: ts.Node, sf: ts.SourceFile): string {
  return node.getText(sf).replace(/\s+/g, '');
}

/** What `this` means at `node`: a class (instance or static side), an object literal, or unknown. */
export function thisOwner(node: ts.Node): { classNode?: ts.ClassLikeDeclaration; isStatic?: boolean; objectLiteral?: ts.ObjectLiteralExpression; prototypeOf?: string } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    // A method of a constructor function written before classes: `Auth.prototype.get = function () {…}`.
    if (ts.isFunctionExpression(n)) {
      const x = prototypeMethodOf(n);
      if (x) return { prototypeOf: x.constructorName };
    }
    if (ts.isClassLike(n)) return { classNode: n };
    if (ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) {
      const parent = n.parent;
      if (ts.isClassLike(parent)) {
        const isStatic = ts.isClassStaticBlockDeclaration(n) || !!(ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
        return { classNode: parent, isStatic };
      }
      if (ts.isObjectLiteralExpression(parent)) return { objectLiteral: parent };
      return undefined;
    }
    if (isFunctionLike(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

/** `X.prototype.m = function () {…}`: the constructor's and the method's names. */
export function prototypeMethodOf(fn: ts.Node): { constructorName: string; method: string } | undefined {
  let top: ts.Node = fn;
  while (ts.isParenthesizedExpression(top.parent)) top = top.parent;
  const p = top.parent;
  if (!p || !ts.isBinaryExpression(p) || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || p.right !== top) return undefined;
  const left = p.left;
  if (!ts.isPropertyAccessExpression(left) || !ts.isPropertyAccessExpression(left.expression) || left.expression.name.text !== 'prototype') return undefined;
  const ctor = left.expression.expression;
  return ts.isIdentifier(ctor) ? { constructorName: ctor.text, method: left.name.text } : undefined;
}

export function classKey(c: ts.ClassLikeDeclaration, sf: ts.SourceFile): string {
  return c.name ? c.name.text : `class@${c.getStart(sf)}`;
}

/** The variable an object literal initialises (`const service = { … }`), if any. */
function objectLiteralBinding(o: ts.ObjectLiteralExpression, scopes: Scopes): Binding | undefined {
  const p = o.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.initializer === o) return scopes.resolve(p.name);
  return undefined;
}

const SIZE_PROPERTIES = new Set(['length', 'size']);

/**
 * The collection whose members an expression lists or picks, when it does only that:
 * `[...m.values()].filter(p)`, `Array.from(m.keys())`, `Object.values(o).filter(p)`,
 * `items.filter(p)`. The number of those members (`.length`, a counting loop over them) is a
 * read of how many the collection holds, as `m.size` is.
 */
export function countedCollection(expr: ts.Expression): ts.Expression | undefined {
  let e = skipParens(expr);
  let peeled = false;
  for (;;) {
    if (ts.isArrayLiteralExpression(e) && e.elements.length === 1 && ts.isSpreadElement(e.elements[0])) e = skipParens(e.elements[0].expression);
    else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const name = e.expression.name.text;
      const owner = skipParens(e.expression.expression);
      if (name === 'filter' && e.arguments.length === 1) e = owner;
      else if ((name === 'values' || name === 'keys' || name === 'entries') && e.arguments.length === 0) e = owner;
      else if (ts.isIdentifier(owner) && ((owner.text === 'Array' && name === 'from') || (owner.text === 'Object' && (name === 'values' || name === 'keys' || name === 'entries'))) && e.arguments.length === 1) e = skipParens(e.arguments[0]);
      else break;
    } else break;
    peeled = true;
  }
  return peeled ? e : undefined;
}
const MAP_CLASSES = new Set(['Map', 'WeakMap', 'ReadonlyMap']);
/** Modules of Vue's ecosystem: Pinia, Vuex, Vue itself, Nuxt's composables. */
const VUE_MODULES = /^(pinia|vuex|vue|#imports|#app|nuxt\/app|@vue\/[\w-]+)$/;

/** Option groups whose functions run with `this` bound to the component or store. */
const OPTION_GROUPS = new Set(['methods', 'actions', 'watch', 'computed', 'getters']);

/**
 * The options object of a component or store written at module level (`export default { … }`,
 * `defineComponent({ … })`, `defineStore('id', { … })`, `new Vue({ … })`) that `o` is, or whose
 * `methods`/`actions`/… group `o` is.
 */
export function optionsObjectOf(o: ts.ObjectLiteralExpression): ts.ObjectLiteralExpression | undefined {
  let options = o;
  const p = o.parent;
  if (p && ts.isPropertyAssignment(p) && p.initializer === o && OPTION_GROUPS.has(p.name.getText()) && ts.isObjectLiteralExpression(p.parent)) options = p.parent;
  const n = skipOuterParents(options);
  const q = n.parent;
  const atModule = (x: ts.Node) => ts.isSourceFile(enclosingFunction(x));
  if (ts.isExportAssignment(q)) return options;
  if ((ts.isCallExpression(q) || ts.isNewExpression(q)) && q.arguments?.includes(n as ts.Expression) && atModule(q)) return options;
  // A plain object only counts through its option groups (`const Comp = { methods: { … } }`).
  if (options !== o && ts.isVariableDeclaration(q) && atModule(q)) return options;
  return undefined;
}

/** Methods that read an entry of a collection by key (`map.get(k)`, `set.has(k)`, `arr.includes(x)`, an LRU cache's `peek(k)`). */
export const ENTRY_READS = new Set(['get', 'has', 'peek', 'includes', 'indexOf', 'lastIndexOf']);
/** Methods that write one entry (`map.set(k, v)`, `set.add(k)`, `map.delete(k)`). */
export const ENTRY_WRITES = new Set(['set', 'add', 'delete']);
/** Methods that change a collection as a whole. */
export const COLLECTION_MUTATIONS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'clear', 'sort', 'reverse', 'fill', 'copyWithin']);
/** What a collection does with its entries: look them up, set, add, delete, and the mutations above. */
const COLLECTION_METHODS = new Set([...ENTRY_READS, ...ENTRY_WRITES, ...COLLECTION_MUTATIONS]);

/** Calls that run a search built by a chain, and the calls such a chain starts with on a repository. */
const SEARCH_TERMINALS = new Set(['all', 'first', 'getMany', 'getOne', 'getRawMany', 'getRawOne', 'getManyAndCount', 'exec', 'toArray', 'execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'page', 'returnAll', 'returnFirst']);
const SEARCH_STARTS = /^(search|find|findAll|query|createQueryBuilder|aggregate|select|where|filter)$/;
/** Calls of query builders that name the table: drizzle, Kysely, knex. */
const BUILDER_TABLE_METHODS = new Set(['from', 'update', 'insert', 'insertInto', 'updateTable', 'selectFrom', 'into', 'table']);
/** What a database handle is called: `db`, `this.deps.db`, `knex`, `trx`, `tx`, `kysely`, `appDb`. */
const DB_HANDLE = /^(db|database|knex|kysely|drizzle|sql|tx|trx|transaction|conn|connection|client|pg|mysql|sqlite|qb|queryBuilder|em|orm)$|(Db|DB|Database)$/;
/** Verbs of asynchronous reads from a store or service: `get`, `findOne`, `getData`, `loadTasks`. */
const STORE_READ = /^(get|read|load|fetch|find|retrieve|lookup|peek|recall|hget|hGet|hmget|hgetall|hGetAll|zscore|zScore|select)(?![a-z])/;
/** Verbs of writes to one: `set`, `save`, `updateOne`, `replaceOne`, `push`, `saveTasks`. */
const STORE_WRITE = /^(set|write|save|put|push|update|upsert|replace|store|persist|remember|stash|memoize|cache|insert|hset|hSet|hmset|setex|setEx|psetex|zadd|zAdd|patch|merge)(?![a-z])/;
/** Writes spelled as a find: `findByIdAndUpdate`, `findOneAndReplace` (mongoose). */
const FIND_AND_WRITE = /^find(One|ById)?And(Update|Replace)$/;
/** Objects whose methods are never a store. */
/** Verbs that create, remove or adjust a record in place: actions for check-then-act, not lost updates. */
const STORE_ACTION = /^(create|insert|add|sadd|sAdd|increment|decrement|incr|decr|incrBy|decrBy|remove|delete|del|destroy|upsert)(?![a-z])/;
/**
 * Redis commands, as node-redis also spells them: in capitals (`client.GET(k)`, `client.SISMEMBER(k,
 * m)`, `client.SADD(k, m)`). A method so named is that command, and is read as its lowercase name.
 */
const REDIS_COMMANDS = new Set(['GET', 'SET', 'SETEX', 'PSETEX', 'SETNX', 'EXISTS', 'DEL', 'INCR', 'DECR', 'INCRBY', 'DECRBY', 'HGET', 'HSET', 'HMGET', 'HMSET', 'HGETALL', 'HEXISTS', 'HSETNX', 'HDEL', 'HINCRBY', 'SISMEMBER', 'SADD', 'SREM', 'SMEMBERS', 'SCARD', 'ZSCORE', 'ZADD', 'ZINCRBY']);
export function redisCommandName(name: string): string {
  return REDIS_COMMANDS.has(name) ? name.toLowerCase() : name;
}
/** Verbs that empty a store of everything of a kind: `clearEvents()`, `deleteAll()`, `truncate()`. */
const STORE_CLEARS = /^(clear|deleteAll|removeAll|truncate|purge|wipe)(?![a-z])/;
/** The browser's synchronous key-value stores. */
const WEB_STORAGE = /^(window\.|globalThis\.|self\.)?(localStorage|sessionStorage)$/;
/** Whether a location is an entry of Web Storage (`localStorage.getItem(k)`). */
export function isWebStorage(location: SharedLocation): boolean {
  return location.kind === 'store' && WEB_STORAGE.test(location.text.replace(/\s+/g, ''));
}
const NOT_A_STORE = /^(Promise|JSON|Object|Math|Array|Reflect|console|Number|String|Date|Buffer|URL|path|process|crypto|util|Symbol|Intl|window|document|navigator|location|history)$/;
/**
 * The parameters an UPDATE stores (those of its SET clause), not the ones that pick the rows:
 * `UPDATE t SET a = ?, b = ? WHERE id = ?` with `[x, y, id]` stores x and y.
 */
function sqlSetValues(text: string, call: ts.CallExpression | ts.TaggedTemplateExpression, sql: ts.Expression, bound?: readonly ts.Expression[]): ts.Expression[] {
  if (ts.isTemplateExpression(sql)) {
    // `${…}` spans before WHERE are in the SET clause.
    const out: ts.Expression[] = [];
    let before = sql.head.text;
    for (const sp of sql.templateSpans) {
      if (/\bwhere\b/i.test(before)) break;
      out.push(sp.expression);
      before += sp.literal.text;
    }
    return out;
  }
  const where = text.search(/\bwhere\b/i);
  const setClause = where < 0 ? text : text.slice(0, where);
  const rest = (bound ?? (ts.isCallExpression(call) ? call.arguments.slice(1) : [])).filter((a) => !ts.isArrowFunction(a) && !ts.isFunctionExpression(a));
  const params = rest.length === 1 && ts.isArrayLiteralExpression(skipParens(rest[0])) ? [...(skipParens(rest[0]) as ts.ArrayLiteralExpression).elements] : rest;
  const numbered = [...setClause.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]) - 1);
  if (numbered.length > 0) return numbered.map((i) => params[i]).filter((e): e is ts.Expression => !!e);
  const count = (setClause.match(/\?/g) ?? []).length;
  // Named parameters (`:name`, an object of values): the whole object, as before.
  if (count === 0) return /[:@]\w/.test(setClause) ? rest : [];
  return params.slice(0, count) as ts.Expression[];
}

/** Steps of a prepared statement's chain: binding its parameters and running it (D1, better-sqlite3, node:sqlite). */
const STATEMENT_STEPS = new Set(['bind', 'run', 'get', 'all', 'first', 'raw', 'values', 'iterate']);

/** The `prepare(sql)` call a chain of statement steps starts from (`db.prepare(q).bind(x).first()`), if the call is such a step. */
function preparedCallOf(call: ts.CallExpression): ts.CallExpression | undefined {
  let c: ts.CallExpression = call;
  for (let steps = 0; ; steps++) {
    const callee = skipParens(c.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'prepare') return steps > 0 && sqlTextOf(c) !== undefined ? c : undefined;
    if (!STATEMENT_STEPS.has(callee.name.text)) return undefined;
    const inner = skipParens(callee.expression);
    if (!ts.isCallExpression(inner)) return undefined;
    c = inner;
  }
}

/** Free functions that test whether a path exists. */
const PATH_CHECKS = /^(exists|existsAsync|pathExists|fileExists|dirExists|directoryExists|folderExists|isFile|isDir|isDirectory)$/;
/** Free functions that create what a path names (beyond the fs names of FILE_CREATES). */
const PATH_CREATES = /^(create|createFile|createDir|createDirectory|createFolder|makeDir|makeDirectory|mkdirp|touch)$/;
/** Methods that test whether a record or key exists in a store: `User.exists({ email })`, `redis.exists(k)`. */
const STORE_CHECKS = /^(exists|has|hexists|hExists|sismember|sIsMember|count|countDocuments|isMember|contains)$|[a-z]Exists$/;

/** Free functions that load or save "the" state without naming it: `load()`, `save(state)`. */
const BARE_RESOURCE_VERBS = /^(load|read|save|write|persist)$/;
/** What a store method's name adds to its verb when it names no resource: how many, or which kind of entry. */
const GENERIC_STORE_NOUNS = /^(One|Many|All|First|Last|Item|Value|Entry|Key|Record|Row|Object|Raw|Json|JSON|Async|Sync|Ex|Nx|Px)$/;
const NOT_STORE_FUNCTIONS = /^(setTimeout|setInterval|setImmediate|fetch|require|import)$/;

const FILE_READS = new Set(['readFile', 'readFileSync', 'readJson', 'readJSON', 'readJsonSync', 'readJSONSync']);
const FILE_WRITES = new Set(['writeFile', 'writeFileSync', 'outputFile', 'outputFileSync', 'writeJson', 'writeJSON', 'writeJsonSync', 'outputJson', 'outputJSON', 'outputJsonSync']);
/** Names of predicates that answer whether something is already there: `isDuplicate…`, `hasSession`, `alreadyConnected`. */
const COLLECTION_PREDICATES = /^(is(Duplicate|Taken|Known|Registered|Connected|Running|Pending|Present|Claimed|InUse)|has|exists|contains|already)([A-Z]\w*)?$/;
/** Calls that move a file onto another path (`rename(from, to)`), publishing what was written to `from`. */
const RENAMES = new Set(['rename', 'renameSync', 'move', 'moveSync']);
const FILE_CHECKS = new Set(['existsSync', 'exists', 'pathExists', 'pathExistsSync', 'access', 'accessSync', 'stat', 'statSync', 'lstat', 'lstatSync']);
/** Calls that create or replace a file at their path argument (index of that argument). */
const FILE_CREATES = new Map<string, number>([
  ['writeFile', 0],
  ['writeFileSync', 0],
  ['outputFile', 0],
  ['outputFileSync', 0],
  ['writeJson', 0],
  ['writeJSON', 0],
  ['writeJsonSync', 0],
  ['outputJson', 0],
  ['outputJSON', 0],
  ['mkdir', 0],
  ['mkdirSync', 0],
  ['mkdirp', 0],
  ['ensureDir', 0],
  ['symlink', 1],
  ['symlinkSync', 1],
  ['link', 1],
  ['rename', 1],
  ['renameSync', 1],
  ['copyFile', 1],
  ['copyFileSync', 1],
  ['cp', 1],
  ['copy', 1],
  ['createWriteStream', 0],
  ['open', 0],
  ['openSync', 0],
  ['unlink', 0],
  ['unlinkSync', 0],
  ['rm', 0],
  ['rmSync', 0],
  ['rmdir', 0],
  ['remove', 0],
]);

/** What makes a file name unique to one run: `.tmp-${randomUUID()}`, `${process.pid}`, `Date.now()`. */
const UNIQUE_NAME = /\b(random\w*|randomUUID|uuid\w*|nanoid|cuid|ulid|mkdtemp\w*|tmpName\w*|tempName\w*|hrtime|pid)\b|Date\.now\(\)/;

const FS_MODULE = /^(node:)?fs(\/promises)?$|^fs-extra$|^graceful-fs$|^mz\/fs$/;

/**
 * Synchronous look-ups of one key: `getAbstractFileByPath(p)`, `lookup(k)`, `has(k)`,
 * `findByName(n)`; not of something related to it (`getTabBarFor(widget)`, `getParentOf(node)`).
 */
const KEYED_LOOKUPS = /^(get|find|lookup|resolve|retrieve|search|has|exists|contains)(?![a-z_])(?!\w*(For|Of|From|In|At|With)$)/;
/** Calls that create the entry for a key, and fail or duplicate when it exists (`open` creates or opens). */
const KEYED_CREATES = /^(create|insert|add|mkdir|make|register|new|provision|spawn)(?![a-z_])/;
/** Creations that tolerate an existing entry, or decide in the store. */
const NOT_KEYED_CREATES = /OrCreate|OrUpdate|IfMissing|IfNotExists|IfAbsent|OrGet|OrReplace|Upsert/;

/** How a call touches a location. */
export interface CallAccess {
  mode: 'read' | 'write' | 'mutate' | 'check';
  location: SharedLocation;
  /** For writes: the values stored (`map.set(k, v)` → v; `repo.update(changes, where)` → both). */
  values?: readonly ts.Expression[];
  /** For mutations: the entries they add (`set.add(x)`, `queue.push(x)`), as extra locations. */
  entries?: SharedLocation[];
  /**
   * For reads: the value read is only written back, never tested (a synchronous getter of a
   * resource, `getSettings()` … `saveSettings({ ...old, k })`): it feeds lost updates, not checks.
   */
  valueOnly?: boolean;
  /**
   * For writes: an upsert (`INSERT … ON CONFLICT … DO UPDATE`, `onConflictDoUpdate(…)`): the store
   * decides whether the row exists, so it acts on no existence check, but the values it stores
   * can still come from an earlier read.
   */
  upsert?: boolean;
  /** For writes: the call empties the store of all it keeps of a kind (`clearEvents()`), writing no value. */
  empties?: boolean;
  /** For checks: a helper that throws when its test holds, so the caller goes on only when it passed. */
  throwsOnTest?: boolean;
}

/**
 * What a call calls, seen through `promisify`: `promisify(fs.access)(dir)` calls `fs.access`
 * (with the promise in place of the callback).
 */
export function calleeOf(call: ts.CallExpression): ts.Expression {
  const callee = skipParens(call.expression);
  if (ts.isCallExpression(callee)) return promisified(callee) ?? callee;
  // (Or through a module constant holding the promisified function: `const mkdirAsync =
  // promisify(fs.mkdir)` … `await mkdirAsync(dir)`.)
  if (ts.isIdentifier(callee)) return promisifiedConstants(call.getSourceFile()).get(callee.text) ?? callee;
  return callee;
}

/** The function `promisify(f)` wraps, if the call is one. */
function promisified(call: ts.CallExpression): ts.Expression | undefined {
  if (call.arguments.length !== 1) return undefined;
  const wrapper = skipParens(call.expression);
  const name = ts.isIdentifier(wrapper) ? wrapper.text : ts.isPropertyAccessExpression(wrapper) ? wrapper.name.text : '';
  return name === 'promisify' ? skipParens(call.arguments[0]) : undefined;
}

const promisifiedMemo = new WeakMap<ts.SourceFile, Map<string, ts.Expression>>();

/** Module-level constants of a file bound to `promisify(f)`, by name, with the `f` each wraps. */
function promisifiedConstants(sf: ts.SourceFile): Map<string, ts.Expression> {
  let out = promisifiedMemo.get(sf);
  if (out) return out;
  out = new Map();
  promisifiedMemo.set(sf, out);
  if (!sf.text.includes('promisify')) return out;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && skipParens(d.initializer);
      const wrapped = init && ts.isCallExpression(init) ? promisified(init) : undefined;
      if (wrapped && ts.isIdentifier(d.name)) out.set(d.name.text, wrapped);
    }
  }
  return out;
}

/** The name a call is made by (`save` of `repo.save(…)`, `(save)(…)`, `defineStore(…)`), or '' for other callees. */
export function calleeName(call: ts.CallExpression): string {
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
}

/**
 * The first call in `body` that starts after `after` and passes `match`, not inside a nested
 * function (nor a class, when asked): the rename that publishes a file written just before, the
 * `set` that fills a collection a predicate was handed.
 */
function firstCallAfter(body: ts.Node, after: ts.Node, skipClasses: boolean, match: (n: ts.CallExpression) => boolean): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (n !== body && (isFunctionLike(n) || (skipClasses && ts.isClassLike(n))))) return;
    if (ts.isCallExpression(n) && n.pos >= after.end && match(n)) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** Whether a declaration is the parameter of a continuation callback that receives its call's result. */
function isDeliveredResult(decl: ts.Node): boolean {
  if (!ts.isParameter(decl) || !ts.isIdentifier(decl.name)) return false;
  const callback = decl.parent;
  if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !ts.isCallExpression(callback.parent)) return false;
  const index = callback.parameters.indexOf(decl);
  const c = continuationsOf(callback.parent).find((k) => k.callback === callback);
  // (The first parameter of an error-first callback is the error.)
  return !!c && (c.resultParam === index || (c.resultParam === -1 && index > 0));
}

/**
 * The SQL text a call sends, when its first argument is a literal: `client.query('SELECT …', […])`
 * (a template's values become `?`), or a `const` of the function or module holding one (`const
 * query = `SELECT …`; await db.query(query, params)`; given the scopes to resolve it).
 */
export function sqlTextOf(call: ts.CallExpression, scopes?: Scopes): string | undefined {
  const first = sqlTextNode(call, scopes);
  return first && templateSqlText(first);
}

/** The text of a literal SQL statement (a template's values become `?`), else undefined. */
function templateSqlText(first: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(first)) return first.text;
  if (ts.isTemplateExpression(first)) return first.head.text + first.templateSpans.map((sp) => ` ? ${sp.literal.text}`).join('');
  return undefined;
}

/**
 * The literal a call's SQL text is written in: its first argument, or the initializer of the
 * variable it names, a `const`, or a `let` whose only later changes append literal text (`query +=
 * ' AND b.id != ANY($4)'`): appended clauses keep the statement's verb and its first table.
 */
export function sqlTextNode(call: ts.CallExpression, scopes?: Scopes): ts.Expression | undefined {
  let first = call.arguments[0] && skipParens(call.arguments[0]);
  if (first && ts.isIdentifier(first) && scopes) {
    const b = scopes.resolve(first);
    const init = b?.initializer ? skipParens(b.initializer) : undefined;
    const literal = !!init && (ts.isStringLiteralLike(init) || ts.isTemplateExpression(init));
    if (literal && b && (b.kind === 'const' || (b.kind === 'let' && onlyAppendsLiterals(b, scopes)))) first = init;
  }
  return first;
}

const appendOnly = new WeakMap<ts.Node, boolean>();

/** Whether every assignment to a `let` after its declaration is `name += 'literal text'`. */
function onlyAppendsLiterals(b: Binding, scopes: Scopes): boolean {
  const known = appendOnly.get(b.declaration);
  if (known !== undefined) return known;
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && n.text === b.name && n !== (b.declaration as ts.VariableDeclaration).name && scopes.resolve(n)?.declaration === b.declaration) {
      const p = n.parent;
      const assigned = ts.isBinaryExpression(p) && p.left === n && isAssignmentOperator(p.operatorToken.kind);
      const stepped = (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken);
      const destructured = (ts.isShorthandPropertyAssignment(p) || ts.isArrayLiteralExpression(p) || (ts.isPropertyAssignment(p) && p.initializer === n)) && isDestructuringTarget(p);
      if (stepped || destructured) ok = false;
      else if (assigned) {
        const right = skipParens((p as ts.BinaryExpression).right);
        ok = (p as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && (ts.isStringLiteralLike(right) || ts.isTemplateExpression(right));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(b.owner);
  appendOnly.set(b.declaration, ok);
  return ok;
}

/** Whether an object or array literal is the target of a destructuring assignment. */
function isDestructuringTarget(n: ts.Node): boolean {
  let e: ts.Node = n;
  while (e.parent && (ts.isObjectLiteralExpression(e.parent) || ts.isArrayLiteralExpression(e.parent) || ts.isPropertyAssignment(e.parent) || ts.isShorthandPropertyAssignment(e.parent) || ts.isSpreadElement(e.parent) || ts.isSpreadAssignment(e.parent))) e = e.parent;
  return ts.isBinaryExpression(e.parent) && e.parent.left === e && e.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** One link of a CallChain: a method call (with its arguments), or a name read off a call's result (`.return` in `search().return.all()`). */
interface ChainLink {
  name: string;
  node: ts.Expression;
  /** What the name is read from. */
  receiver: ts.Expression;
  args?: ts.NodeArray<ts.Expression>;
}

/** A chain of method calls read from its outermost call in, and the expression below its last link (`db`, `knex('users')`, `db.query.users`). */
interface CallChain {
  links: ChainLink[];
  start: ts.Expression;
}

/**
 * The chain `outer` ends: `db.select().from(users).where(c)`, `repo.search().return.all()`. Query
 * builders and search chains are both read from it.
 */
function callChain(outer: ts.Expression): CallChain {
  const links: ChainLink[] = [];
  for (let e = outer; ; ) {
    const x = skipParens(e);
    const callee = ts.isCallExpression(x) ? skipParens(x.expression) : undefined;
    if (callee && ts.isPropertyAccessExpression(callee)) {
      links.push({ name: callee.name.text, node: x, receiver: callee.expression, args: (x as ts.CallExpression).arguments });
      e = callee.expression;
    } else if (ts.isPropertyAccessExpression(x) && ts.isCallExpression(skipParens(x.expression))) {
      links.push({ name: x.name.text, node: x, receiver: x.expression });
      e = x.expression;
    } else return { links, start: x };
  }
}

function methodName(call: ts.CallExpression): { receiver?: ts.Expression; name: string } | undefined {
  const callee = calleeOf(call);
  if (ts.isPropertyAccessExpression(callee)) return { receiver: callee.expression, name: callee.name.text };
  if (ts.isIdentifier(callee)) return { name: callee.text };
  return undefined;
}

/**
 * Whether a call is asynchronous where it is made: its promise is awaited or chained, or it takes
 * a callback for its result (`findOne(q, (err, doc) => …)`).
 */
export function isAsyncHere(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isAwaitExpression(p) || ts.isYieldExpression(p)) return true;
  if (ts.isPropertyAccessExpression(p) && p.expression === n && (p.name.text === 'then' || p.name.text === 'catch')) return true;
  // One of the calls a combinator waits for: `await Promise.all([kv.get(a), kv.get(b)])`.
  const combinator = ts.isArrayLiteralExpression(p) ? waitingCombinator(p) : undefined;
  if (combinator) return isAsyncHere(combinator);
  // Query builders finished by a call that returns the promise: `Model.findOne(q).exec()`, `ddb.get(p).promise()`.
  if (ts.isPropertyAccessExpression(p) && p.expression === n && QUERY_FINISHERS.has(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) return isAsyncHere(p.parent);
  // `return repo.create(x)` from an async function: its caller awaits it. From a `.then`
  // callback, the chain adopts the promise: `get(k).then((v) => store.set(k, v + 1))`.
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n)) {
    const fn = ts.isArrowFunction(p) ? p : enclosingFunction(p);
    if (!ts.isSourceFile(fn) && isAsyncFunction(fn)) return true;
    if (!ts.isSourceFile(fn) && isThenCallback(fn)) return true;
  }
  const last = call.arguments[call.arguments.length - 1];
  return !!last && (ts.isArrowFunction(last) || ts.isFunctionExpression(last));
}

/** `Promise.all([…])` or `Promise.allSettled([…])` when `list` is the array it waits for. */
function waitingCombinator(list: ts.ArrayLiteralExpression): ts.CallExpression | undefined {
  const call = list.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== list) return undefined;
  const callee = skipParens(call.expression);
  const waits = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && (callee.name.text === 'all' || callee.name.text === 'allSettled');
  return waits ? call : undefined;
}

/** Whether `fn` is an inline callback of `.then/.catch/.finally`. */
function isThenCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text);
}

const QUERY_FINISHERS = new Set(['exec', 'promise', 'lean', 'toArray', 'unwrap', 'first', 'execAsync', 'go', 'run']);

/** Methods that return a new array or string computed from their receiver. */
const COPYING_METHODS = new Set(['slice', 'map', 'filter', 'concat', 'split', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'with']);

/**
 * An expression whose value is an object made here (`new X()`, a literal, a parsed or copied
 * value, a record loaded with an await), not a client of something shared.
 */
function isFreshValue(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (ts.isNewExpression(x) || ts.isObjectLiteralExpression(x) || ts.isArrayLiteralExpression(x) || ts.isAwaitExpression(x)) return true;
  if (ts.isConditionalExpression(x)) return isFreshValue(x.whenTrue) || isFreshValue(x.whenFalse);
  if (ts.isBinaryExpression(x) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(x.operatorToken.kind)) return isFreshValue(x.left) || isFreshValue(x.right);
  if (ts.isCallExpression(x)) {
    const callee = skipParens(x.expression);
    if (/^(JSON\.parse|structuredClone|Array\.from|Array\.of|Object\.assign|Object\.fromEntries|Object\.keys|Object\.values|Object\.entries)$/.test(callee.getText())) return true;
    return ts.isPropertyAccessExpression(callee) && COPYING_METHODS.has(callee.name.text);
  }
  return false;
}

/** `getOrCreateTabStorage` reads `TabStorage`: the alternative after the verb is no noun. */
const OR_VERB = /^Or(Create|Insert|Add|Init|Initialize|Make|New|Default|Set|Fetch|Load|Build)(?=[A-Z])/;

/** The resource a free function reads or writes, from its name: `loadTasks` and `saveTasks` → `Tasks`. */
function resourceNoun(name: string, verb: RegExp): string | undefined {
  const rest = name.replace(verb, '').replace(OR_VERB, '');
  const m = /^([A-Z][a-z0-9]*)/.exec(rest);
  if (!m) return undefined;
  return m[1].replace(/(ies)$/, 'y').replace(/s$/, '');
}

/** The whole noun of a resource function's name up to a qualifier, each word singular: `writeJsonAtomic` → `JsonAtomic`. */
function fullResourceNoun(name: string, verb: RegExp): string | undefined {
  const rest = name.replace(verb, '').replace(OR_VERB, '');
  if (!/^[A-Z]/.test(rest) || /^(By|For|From|With|In|On|At|Of|To|If|Where)[A-Z0-9]/.test(rest)) return undefined;
  // A qualifier says which record, not which resource: `getCaseByDocketNumber` reads `Case`.
  const noun = rest.replace(/(?<=.)(By|For|From|With|In|On|At|Of|To|If|Where)[A-Z0-9].*$/, '');
  return noun.replace(/ies(?=[A-Z0-9]|$)/g, 'y').replace(/([^s])s(?=[A-Z0-9]|$)/g, '$1');
}

/**
 * Whether two resource nouns may name one resource: equal, or one is the other followed by
 * more words (`Case` and `CaseAndAssociation`, `Json` and `JsonAtomic`, `Task` and `TaskList`).
 * Names that part after a shared start (`OAuthActor`, `OAuthIntent`) are two resources.
 */
export function nounsAgree(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.startsWith(short) && (long.length === short.length || /[A-Z0-9]/.test(long[short.length]));
}

/**
 * The value of the first property of an object literal whose name matches: `k: v` gives `v`,
 * shorthand `k` gives `k`. Undefined when `arg` is no object literal or has no such property.
 */
function propertyValue(arg: ts.Expression, name: string | RegExp): ts.Expression | undefined {
  const o = skipParens(arg);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const p = o.properties.find((q): q is ts.PropertyAssignment | ts.ShorthandPropertyAssignment => (ts.isPropertyAssignment(q) || ts.isShorthandPropertyAssignment(q)) && ts.isIdentifier(q.name) && matches(q.name.text));
  return p && (ts.isPropertyAssignment(p) ? p.initializer : p.name);
}

/** The `where` of an options object literal (`{ where: { id }, transaction }`), if it has one. */
export function whereOption(arg: ts.Expression): ts.Expression | undefined {
  return propertyValue(arg, 'where');
}

/** Whether query options ask for a row lock: `{ where, lock: t.LOCK.UPDATE }`, `{ lock: { mode: 'pessimistic_write' } }`. */
function lockOption(arg: ts.Expression): boolean {
  const o = skipParens(arg);
  return ts.isObjectLiteralExpression(o) && o.properties.some((q) => (ts.isPropertyAssignment(q) || ts.isShorthandPropertyAssignment(q)) && ts.isIdentifier(q.name) && /^(lock|lockMode)$/.test(q.name.text) && !(ts.isPropertyAssignment(q) && q.initializer.kind === ts.SyntaxKind.FalseKeyword));
}

/** A Mongo update document: `{ $set: {…} }`, `{ $inc: {…}, $push: {…} }` (every key an operator). */
function isUpdateDocument(arg: ts.Expression): boolean {
  const o = skipParens(arg);
  return ts.isObjectLiteralExpression(o) && o.properties.length > 0 && o.properties.every((p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text.startsWith('$'));
}

/** The values of an update given as `{ where, data }` (also `set`, `values`, `update`, `changes`). */
export function dataOption(arg: ts.Expression): ts.Expression | undefined {
  return propertyValue(arg, /^(data|set|values|update|changes)$/);
}

function isStringKey(e: ts.Expression | undefined): boolean {
  return !!e && (ts.isStringLiteralLike(skipParens(e)) || ts.isNumericLiteral(skipParens(e)));
}

/**
 * Whether an `open` call opens for reading: no flags (or a callback where they would be), or
 * flags that start with `r` (`'r'`, `'r+'`, `'rs+'`), which never create the file.
 */
function isOpenForReading(name: string, args: readonly ts.Expression[]): boolean {
  if (name !== 'open' && name !== 'openSync') return false;
  const flags = args[1] && skipParens(args[1]);
  return !flags || ts.isFunctionLike(flags) || (ts.isStringLiteralLike(flags) && flags.text.startsWith('r'));
}

/** Whether an object literal argument sets `flag: 'wx'` (or any exclusive-create flag). */
export function hasExclusiveFlag(args: readonly ts.Expression[]): boolean {
  for (const a of args) {
    const e = skipParens(a);
    if (ts.isStringLiteralLike(e) && /x/.test(e.text) && /^[rwa+xs]+$/.test(e.text)) return true;
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'flag' && ts.isStringLiteralLike(p.initializer) && p.initializer.text.includes('x')) return true;
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'recursive' && p.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'overwrite' && p.initializer.kind === ts.SyntaxKind.FalseKeyword) return true;
      }
    }
    if (ts.isPropertyAccessExpression(e) && /COPYFILE_EXCL|O_EXCL/.test(e.name.text)) return true;
  }
  return false;
}

export class LocationResolver {
  private readonly fsNames = new Set<string>();
  /**
   * Functions of a module imported as a `get`/`set` pair (`import { get, set } from 'idb-keyval'`,
   * from 'firebase/database'): a keyed store whose key is the first argument. By local name.
   */
  private readonly storeFunctions = new Map<string, { module: string; verb: 'get' | 'set' }>();
  private slotIndex?: Map<Binding, { slot: Slot; role: 'value' | 'setter' | 'getter' }>;
  /** The file's text without white space, to find a getter paired with a save. */
  private compactText?: string;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly scopes: Scopes,
  ) {
    // Names bound to the fs modules: `import * as fs from 'fs'`, `import { readFile } from 'fs/promises'`, `const fs = require('fs')`.
    for (const s of sourceFile.statements) {
      const named = ts.isImportDeclaration(s) && s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings) ? s.importClause.namedBindings.elements : undefined;
      if (named && ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && !s.moduleSpecifier.text.startsWith('.')) {
        const pair = named.filter((el) => /^(get|set)$/.test((el.propertyName ?? el.name).text));
        if (pair.length === 2) for (const el of pair) this.storeFunctions.set(el.name.text, { module: s.moduleSpecifier.text, verb: (el.propertyName ?? el.name).text as 'get' | 'set' });
      }
      if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && FS_MODULE.test(s.moduleSpecifier.text) && s.importClause) {
        const c = s.importClause;
        if (c.name) this.fsNames.add(c.name.text);
        if (c.namedBindings) {
          if (ts.isNamespaceImport(c.namedBindings)) this.fsNames.add(c.namedBindings.name.text);
          else for (const el of c.namedBindings.elements) this.fsNames.add(el.name.text);
        }
      } else if (ts.isFunctionDeclaration(s) && !s.body && s.name && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
        // `declare function readFile(path: string, enc: 'utf8'): Promise<string>`: with no body to
        // judge it by, a name of Node's fs API is taken for what it says. (fs-extra's `readJson`
        // and the like stay resource helpers, paired with a `writeJson…` of the same resource.)
        const name = s.name.text;
        if ((FILE_READS.has(name) || FILE_CHECKS.has(name) || FILE_CREATES.has(name)) && !/json|output|pathExists/i.test(name)) this.fsNames.add(name);
      } else if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          const init = d.initializer && skipParens(d.initializer);
          const module = init && requiredModule(init);
          if (module === undefined || !FS_MODULE.test(module)) continue;
          if (ts.isIdentifier(d.name)) this.fsNames.add(d.name.text);
          else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) this.fsNames.add(el.name.text);
        }
      }
    }
  }

  /**
   * The slots of the file: `const [v, setV] = useX(…)`, `const { v, setV } = anything`, and store
   * creators `(set, get) => …`. One pass over the file's nodes, on first use.
   */
  private slots(): Map<Binding, { slot: Slot; role: 'value' | 'setter' | 'getter' }> {
    if (this.slotIndex) return this.slotIndex;
    const index = new Map<Binding, { slot: Slot; role: 'value' | 'setter' | 'getter' }>();
    this.slotIndex = index;
    const sf = this.sourceFile;
    if (!/\bset[A-Z_$]|\bset\s*[,)]|\bgetState\b|\bcommit\b|\buseReducer\b|\buseSWR/.test(sf.text)) return index;
    const bindingOf = (name: ts.Identifier) => this.scopes.resolve(name);
    const add = (value: ts.Identifier | undefined, setter: ts.Identifier, getter?: ts.Identifier, takesUpdater = false, dispatch = false, live = false) => {
      const sb = bindingOf(setter);
      if (!sb) return;
      const vb = value && bindingOf(value);
      const gb = getter && bindingOf(getter);
      const location: SharedLocation = { key: `slot:${setter.text}@${sb.declaration.pos}`, kind: 'slot', text: value ? value.text : `${getter ? getter.text : 'get'}()`, setter: setter.text, ...(takesUpdater ? { takesUpdater } : {}) };
      const slot: Slot = { location, value: vb, setter: sb, getter: gb, ...(dispatch ? { dispatch } : {}), ...(live ? { live } : {}) };
      index.set(sb, { slot, role: 'setter' });
      if (vb) index.set(vb, { slot, role: 'value' });
      if (gb) index.set(gb, { slot, role: 'getter' });
    };
    const hookBound = new Map<ts.Node, Map<string, ts.Identifier>>();
    /**
     * Each setter among `names` with the value it sets: `setUser` with `user`; with `callbacks`
     * (names handed over together, `{ user, setUser }`) also `updateUser`, `onFilterChange` with
     * `filter`, and `onChange` with `value`.
     */
    const settersWithValues = (names: Map<string, ts.Identifier>, callbacks: boolean): Array<{ value: ts.Identifier; setter: ts.Identifier }> => {
      const out: Array<{ value: ts.Identifier; setter: ts.Identifier }> = [];
      for (const [name, setter] of names) {
        const m = /^set([A-Z]\w*)$/.exec(name) ?? (callbacks ? /^update([A-Z]\w*)$/.exec(name) ?? /^on([A-Z]\w*)Change$/.exec(name) : null);
        const value = m ? names.get(m[1].charAt(0).toLowerCase() + m[1].slice(1)) : callbacks && name === 'onChange' ? names.get('value') : undefined;
        if (value) out.push({ value, setter });
      }
      return out;
    };
    /** `{ user, setUser }`, `{ value, onChange }`, `{ filter, onFilterChange }`: each value with its setter. */
    const pairValuesWithSetters = (pattern: ts.ObjectBindingPattern) => {
      const names = new Map<string, ts.Identifier>();
      for (const el of pattern.elements) if (ts.isIdentifier(el.name) && !el.dotDotDotToken) names.set(el.name.text, el.name);
      for (const { value, setter } of settersWithValues(names, true)) add(value, setter);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer) {
        const init = skipParens(n.initializer);
        if (ts.isArrayBindingPattern(n.name) && ts.isCallExpression(init)) {
          // `const [items, setItems] = useState([])`, `useLocalStorage(…)`, `useAtom(…)`.
          const [a, b] = n.name.elements;
          const callee = skipParens(init.expression);
          const hook = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
          if (a && b && ts.isBindingElement(a) && ts.isBindingElement(b) && ts.isIdentifier(a.name) && ts.isIdentifier(b.name) && hook === 'useReducer') {
            // `const [state, dispatch] = useReducer(reducer, init)`: the state is the render's
            // snapshot; dispatching an action named for a write stores its payload.
            add(a.name, b.name, undefined, false, true);
          } else if (a && b && ts.isBindingElement(a) && ts.isBindingElement(b) && ts.isIdentifier(a.name) && ts.isIdentifier(b.name) && /^use[A-Z]/.test(hook) && !NOT_STATE_HOOKS.test(hook) && (/^(set|update)[A-Z_]/.test(b.name.text) || VALUE_SETTER_HOOKS.test(hook))) {
            // (A hook named for a state, `useRecoilState`, `useLocalStorageState`, or jotai's
            // `useAtom`, hands back the value and its setter whatever the names: `[copy, rawSet]`.
            // Their setters take an updater as `useState`'s does.)
            add(a.name, b.name, undefined, VALUE_SETTER_HOOKS.test(hook));
          } else if (a && b && ts.isBindingElement(a) && ts.isBindingElement(b) && ts.isIdentifier(a.name) && ts.isIdentifier(b.name) && hook === 'createSignal') {
            // Solid: `const [count, setCount] = createSignal(0)`; `count()` reads the current value.
            add(undefined, b.name, a.name);
          }
        } else if (ts.isObjectBindingPattern(n.name)) {
          // `const { user, setUser } = useContext(UserContext)`, `const { value, onChange } = props`.
          pairValuesWithSetters(n.name);
          // SWR: `const { data, mutate } = useSWR(key)`; `data` is the render's copy of the cache
          // entry `mutate(v)` replaces (`mutate((current) => …)` takes an updater).
          const hook = ts.isCallExpression(init) ? skipParens(init.expression) : undefined;
          if (hook && ts.isIdentifier(hook) && /^useSWR(Immutable)?$/.test(hook.text)) {
            const part = (key: string) => (n.name as ts.ObjectBindingPattern).elements.find((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && (e.propertyName ? ts.isIdentifier(e.propertyName) && e.propertyName.text === key : e.name.text === key))?.name as ts.Identifier | undefined;
            const data = part('data');
            const mutate = part('mutate');
            if (data && mutate) add(data, mutate, undefined, true);
          }
        } else if (ts.isIdentifier(n.name) && ts.isCallExpression(init) && ts.isIdentifier(skipParens(init.expression)) && /^use[A-Z]/.test((skipParens(init.expression) as ts.Identifier).text) && !NOT_STATE_HOOKS.test((skipParens(init.expression) as ts.Identifier).text) && n.parent.flags & ts.NodeFlags.Const) {
          // A value and its setter taken from hooks one by one: `const items = useCart((s) =>
          // s.items)` with `const setItems = useCart((s) => s.setItems)`, or jotai's
          // `useAtomValue(a)` with `useSetAtom(a)`.
          const owner = enclosingFunction(n);
          let names = hookBound.get(owner);
          if (!names) hookBound.set(owner, (names = new Map()));
          names.set(n.name.text, n.name);
        }
      } else if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parameters.length >= 2 && ts.isCallExpression(n.parent)) {
        // A store creator handed its setter and getter: `create((set, get) => ({ … }))`.
        const [p0, p1] = n.parameters;
        if (ts.isIdentifier(p0.name) && ts.isIdentifier(p1.name) && /^set(State)?$/.test(p0.name.text) && /^get(State)?$/.test(p1.name.text)) {
          add(undefined, p0.name, p1.name);
        }
      }
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parameters.length === 1 && ts.isObjectBindingPattern(n.parameters[0].name)) {
        // A Redux middleware's store API: `({ dispatch, getState }) => (next) => (action) => …`.
        const els = n.parameters[0].name.elements;
        const named = (name: string) => els.find((e) => !e.propertyName && ts.isIdentifier(e.name) && e.name.text === name)?.name as ts.Identifier | undefined;
        const d = named('dispatch');
        const g = named('getState');
        if (d && g) add(undefined, d, g, false, true);
      }
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parameters.length >= 2) {
        // A Redux thunk: `(dispatch, getState) => …`, or a toolkit thunk's
        // `async (arg, { getState, dispatch }) => …`.
        const [p0, p1] = n.parameters;
        if (ts.isIdentifier(p0.name) && ts.isIdentifier(p1.name) && p0.name.text === 'dispatch' && p1.name.text === 'getState') add(undefined, p0.name, p1.name, false, true);
        else if (ts.isObjectBindingPattern(p1.name)) {
          const named = (name: string) => (p1.name as ts.ObjectBindingPattern).elements.find((e) => !e.propertyName && ts.isIdentifier(e.name) && e.name.text === name)?.name as ts.Identifier | undefined;
          const d = named('dispatch');
          const g = named('getState');
          if (d && g) add(undefined, d, g, false, true);
        }
      }
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n)) && n.parameters.length >= 1 && ts.isObjectBindingPattern(n.parameters[0].name) && /^[A-Z]/.test(componentName(n))) {
        // A component's props: `function Profile({ user, setUser })`, a controlled input's
        // `({ value, onChange })`. The values are the render's; the callbacks set the state above.
        pairValuesWithSetters(n.parameters[0].name);
      }
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) && n.parameters.length >= 1 && ts.isObjectBindingPattern(n.parameters[0].name)) {
        // A Vuex action's context: `async addItem({ state, commit }, item) { … }`.
        const els = n.parameters[0].name.elements;
        const named = (name: string) => els.find((e) => !e.propertyName && ts.isIdentifier(e.name) && e.name.text === name)?.name as ts.Identifier | undefined;
        const state = named('state');
        const commit = named('commit');
        if (state && commit) add(state, commit, undefined, false, false, true);
      }
    };
    this.scopes.forEachNode(visit);
    for (const names of hookBound.values()) {
      for (const { value, setter } of settersWithValues(names, false)) if (!index.has(this.scopes.resolve(setter)!)) add(value, setter);
    }
    return index;
  }

  /**
   * Whether a called name holds a signal rather than a function: a variable or field initialised
   * by a call (`const count = signal(0)`, `readonly items = signal([])`).
   */
  private isSignalHolder(callee: ts.Expression): boolean {
    const made = (init: ts.Expression | undefined) => {
      const e = init && skipParens(init);
      return !!e && ts.isCallExpression(e) && !ts.isPropertyAccessExpression(skipParens(e.expression)) && e.arguments.length <= 2;
    };
    if (ts.isIdentifier(callee)) {
      const b = this.scopes.resolve(callee);
      return !!b && (b.kind === 'const' || b.kind === 'let') && made(b.initializer);
    }
    if (ts.isPropertyAccessExpression(callee) && skipParens(callee.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const owner = thisOwner(callee);
      const member = owner?.classNode?.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === callee.name.text) as ts.PropertyDeclaration | undefined;
      return !!member && made(member.initializer);
    }
    return false;
  }

  /** Whether a callee is a function declared with a body in this file. */
  private isLocalFunction(callee: ts.Expression): boolean {
    return !!this.localFunction(callee);
  }

  /**
   * Whether a call is to a synchronous function of this file every return of which is a value it
   * builds (an object or array literal, `new`, `JSON.parse(…)`, a copy), or what another such
   * function builds: `parseRepo(raw)` returning `{ messages: [] }` or `{ headId, messages }`.
   */
  private buildsFreshValue(e: ts.Expression, depth = 0): boolean {
    const call = skipParens(e);
    if (!ts.isCallExpression(call) || depth > 3) return false;
    const f = this.localFunction(call.expression);
    if (!f || !f.body || f.asteriskToken || f.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
    const fresh = (x: ts.Expression): boolean => {
      const v = skipParens(x);
      if (ts.isAwaitExpression(v)) return false;
      if (ts.isConditionalExpression(v)) return fresh(v.whenTrue) && fresh(v.whenFalse);
      return isFreshValue(v) || this.buildsFreshValue(v, depth + 1);
    };
    return everyReturn(f, fresh);
  }

  /** The function with a body in this file that a callee names (a declaration, or a const holding an arrow or function expression). */
  private localFunction(callee: ts.Expression): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
    const c = skipParens(callee);
    if (!ts.isIdentifier(c)) return undefined;
    const b = this.scopes.resolve(c);
    if (!b) return undefined;
    if (b.kind === 'function') {
      const d = b.declaration as ts.FunctionDeclaration;
      return d.body ? d : undefined;
    }
    const init = b.initializer && skipParens(b.initializer);
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  }

  /** The slot an identifier's binding belongs to, with its role. */
  slotOf(id: ts.Identifier): { slot: Slot; role: 'value' | 'setter' | 'getter' } | undefined {
    const index = this.slots();
    if (index.size === 0) return undefined;
    const b = this.scopes.resolve(id);
    return b && index.get(b);
  }

  /** The shared location an identifier, property or element access denotes inside `fn`, if any. */
  locationOf(expr: ts.Expression, fn: FunctionLike): SharedLocation | undefined {
    const e = skipParens(expr);
    const sf = this.sourceFile;
    if (ts.isIdentifier(e)) {
      const slot = this.slotOf(e);
      if (slot?.role === 'value') return slot.slot.live ? { ...slot.slot.location, text: e.text } : { ...slot.slot.location, text: e.text, snapshot: true };
      return this.bindingLocation(e, fn) ?? this.composableStore(e, fn);
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) return this.thisLocation(e, fn);
    if (ts.isPropertyAccessExpression(e)) {
      const name = ts.isPrivateIdentifier(e.name) ? e.name.text : e.name.text;
      // (Through a local holding a shared object, only as a collection: `queue.length`. A member of
      // a copy kept across an await, `snapshot.step`, is judged as that copy.)
      const counted = SIZE_PROPERTIES.has(name) ? countedCollection(e.expression) : undefined;
      // (A field of an object kept in a shared Map is that entry's field, read out into a local or
      // not: `const item = this.items.get(k); if (!item.ready) { … item.ready = true }`.)
      const base = this.locationOf(e.expression, fn) ?? this.staticBase(e.expression) ?? (SIZE_PROPERTIES.has(name) ? this.heldObject(e.expression, fn) ?? (counted && this.locationOf(counted, fn)) : this.heldEntry(e.expression, fn));
      if (!base) return undefined;
      if (SIZE_PROPERTIES.has(name) && base.key !== 'this' && !base.key.endsWith('#this')) {
        // `queue.length` is a read of the collection, not of a property called length.
        return { ...base, text: textOf(e, sf), collection: base.key };
      }
      // A getter of the class that only reports one field (`get connected() { return this._conn
      // !== null }`) reads that field: `if (!this.connected) this._conn = await open()`.
      // (So does one of an instance of a class of the file held in module state or a field,
      // `shared.isInitialized`, `this.connector.isReady`: a method of it that sets the field after
      // its own await is then seen setting what was checked.)
      const held = skipParens(e.expression).kind === ts.SyntaxKind.ThisKeyword || !this.getterNames.has(name) ? undefined : this.instanceClass(skipParens(e.expression));
      const field = base.kind === 'instance' && base.classNode && !held && skipParens(e.expression).kind === ts.SyntaxKind.ThisKeyword ? this.getterField(base.classNode, name) : held ? this.getterField(held, name) : undefined;
      // (Any other getter of the file is a helper read like a call: `get items() { return
      // this.store.get(this.user) ?? [] }` reads that entry, see getterRead.)
      const viaGetter = field === undefined && this.getterNames.has(name) ? this.getterRead(e, base, held) : undefined;
      if (viaGetter) return viaGetter;
      return { ...base, key: `${base.key}.${field ?? name}`, text: textOf(e, sf), collection: undefined };
    }
    if (ts.isElementAccessExpression(e)) {
      const arg = skipParens(e.argumentExpression);
      const base = this.locationOf(e.expression, fn) ?? this.staticBase(e.expression);
      if (!base) return undefined;
      if (ts.isStringLiteralLike(arg) || ts.isNumericLiteral(arg)) {
        return { ...base, key: `${base.key}.${arg.text}`, text: textOf(e, sf), collection: undefined };
      }
      return { ...base, key: `${base.key}[${keyText(arg, sf)}]`, text: textOf(e.expression, sf), entry: textOf(arg, sf), collection: base.key };
    }
    return undefined;
  }

  /**
   * The read a getter of the file makes, seen where it is used: `this.items` with `get items() {
   * return this.store.get(this.user) ?? [] }` reads that entry, as `this.items()` would through
   * the helper summary of a method. The getter is the class's (on `this`, or on an instance of a
   * class of the file held as shared state, its own `this` moved onto that instance) or a module
   * object literal's (`const store = { get count() { return state.count } }`). Only a read: not
   * the target of an assignment, and only a getter that hands back a value it reads, writing nothing.
   */
  private getterRead(e: ts.PropertyAccessExpression, base: SharedLocation, held: ts.ClassLikeDeclaration | undefined): SharedLocation | undefined {
    const p = e.parent;
    if ((ts.isBinaryExpression(p) && p.left === e && isAssignmentOperator(p.operatorToken.kind)) || ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken))) return undefined;
    if (ts.isCallExpression(p) && p.expression === e) return undefined;
    const name = e.name.text;
    const recv = skipParens(e.expression);
    const owner = recv.kind === ts.SyntaxKind.ThisKeyword ? thisOwner(recv) : undefined;
    const b = ts.isIdentifier(recv) ? this.scopes.resolve(recv) : undefined;
    const literal = owner?.objectLiteral ?? (b && b.kind === 'const' && ts.isSourceFile(b.owner) && b.initializer && ts.isObjectLiteralExpression(skipParens(b.initializer)) ? (skipParens(b.initializer) as ts.ObjectLiteralExpression) : undefined);
    const cls = held ?? (owner?.classNode && !owner.isStatic ? owner.classNode : undefined);
    const members: readonly (ts.ClassElement | ts.ObjectLiteralElementLike)[] = cls ? cls.members : literal ? literal.properties : [];
    const getter = members.find((m): m is ts.GetAccessorDeclaration => ts.isGetAccessorDeclaration(m) && !!m.body && accessorName(m.name) === name);
    // (A getter with a setter of the same name is one property, read and written under its name:
    // `const t = this.theme; … this.theme = next` pairs by that name, as before.)
    if (!getter || members.some((m) => ts.isSetAccessorDeclaration(m) && accessorName(m.name) === name)) return undefined;
    const summary = this.summaries.summaryOf(getter);
    // (A test over fields, `return this.primary !== undefined && this.backup !== undefined`,
    // reports none of them alone; a test of one field is getterField's.)
    if (!summary.read || summary.read.tested || summary.write || summary.merged) return undefined;
    let location = summary.read.location;
    if (held) {
      // (Its own `this` is the held instance: moved onto it, as a method's accesses are.)
      const onto = this.ontoInstance(held, base, recv);
      if (onto.owns(location.key)) location = onto.move(location);
    } else if (!cls && !literal) return undefined;
    const inner = location.through;
    return { ...location, alias: undefined, through: { helper: textOf(e, this.sourceFile), node: inner?.node ?? summary.read.node, within: inner?.within ?? textOf(e, this.sourceFile), getter: true } };
  }

  /**
   * The shared object an expression holds when it is used as a receiver (of a member, an element
   * or a method), though it is no shared location itself: a local const given one
   * (`const conns = this.conns`, `const { queue } = this`, `const repo = this.repos.get(path)`),
   * or an entry read out of a shared collection (`this.repos.get(path)?.get(branch)`). The object
   * is the same one other runs reach, so its members and entries are theirs too. (Read as a value,
   * `if (!conn)`, a local stays its own snapshot: only its insides are shared.)
   */
  private heldObject(expr: ts.Expression, fn: FunctionLike): SharedLocation | undefined {
    const e = skipParens(ts.isNonNullExpression(expr) ? expr.expression : expr);
    if (ts.isCallExpression(e)) return this.entryRead(e, fn);
    if (!ts.isIdentifier(e)) return undefined;
    const b = this.scopes.resolve(e);
    if (!b || b.kind !== 'const' || ts.isSourceFile(b.owner) || !(b.owner === fn || isWithin(fn, b.owner))) return undefined;
    const decl = b.declaration;
    if (!ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
    const init = skipParens(ts.isNonNullExpression(decl.initializer) ? decl.initializer.expression : decl.initializer);
    const owner = enclosingFunction(decl);
    if (ts.isSourceFile(owner)) return undefined;
    if (ts.isIdentifier(decl.name)) {
      // (A copy, `const items = [...this.items]`, or what an await delivered, is a value of its own.)
      const held = ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init) ? this.locationOf(init, owner) : ts.isCallExpression(init) ? this.entryRead(init, owner) : undefined;
      return held && held.kind !== 'store' && held.kind !== 'file' && held.kind !== 'slot' ? { ...held, text: e.text } : undefined;
    }
    // `const { queue } = this`, `const { pending } = state`: one member, by name.
    if (!ts.isObjectBindingPattern(decl.name)) return undefined;
    const el = decl.name.elements.find((x) => x.name === b.declaration || (ts.isIdentifier(x.name) && x.name.text === e.text));
    if (!el || el.dotDotDotToken || !ts.isIdentifier(el.name) || el.initializer) return undefined;
    const member = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : undefined) : el.name.text;
    const whole = member ? (init.kind === ts.SyntaxKind.ThisKeyword ? this.thisLocation(init, owner) : ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? this.locationOf(init, owner) : undefined) : undefined;
    if (!whole || whole.kind === 'store' || whole.kind === 'file' || whole.kind === 'slot') return undefined;
    return { ...whole, key: `${whole.key}.${member}`, text: e.text, collection: undefined };
  }

  /**
   * A local const holding a store every caller shares, handed out by a composable: a Pinia store
   * (`const store = useCartStore()`, from `defineStore` in this file or any `use…Store()`), or
   * Nuxt's keyed state (`const icons = useState('icons', init)`, never destructured, unlike
   * React's). What is read and written through it (`store.items`, `icons.value[k]`) is that
   * store's, as a module variable's would be.
   */
  private composableStore(id: ts.Identifier, fn: FunctionLike): SharedLocation | undefined {
    const b = this.scopes.resolve(id);
    if (!b || b.kind !== 'const' || ts.isSourceFile(b.owner) || !(b.owner === fn || isWithin(fn, b.owner))) return undefined;
    const decl = b.declaration;
    if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
    const init = skipParens(decl.initializer);
    if (!ts.isCallExpression(init) || !ts.isIdentifier(skipParens(init.expression))) return undefined;
    const name = (skipParens(init.expression) as ts.Identifier).text;
    const first = init.arguments[0] && skipParens(init.arguments[0]);
    if (name === 'useState' && first && ts.isStringLiteralLike(first) && init.arguments.length <= 2) {
      return { key: `composable:useState:${first.text}`, kind: 'module', text: id.text };
    }
    const made = this.scopes.resolve(skipParens(init.expression) as ts.Identifier);
    const defined = made?.kind === 'const' && made.initializer && ts.isCallExpression(skipParens(made.initializer)) && calleeName(skipParens(made.initializer) as ts.CallExpression) === 'defineStore';
    // (An imported `use…Store()` only in Vue code: a React hook of that name, zustand's, hands
    // the render a copy of the state, not the store.)
    if ((defined || (made?.kind === 'import' && /^use[A-Z]\w*Store$/.test(name) && this.isVueCode())) && init.arguments.length <= 1) {
      return { key: `composable:${name}`, kind: 'module', text: id.text };
    }
    return undefined;
  }

  private vueCode?: boolean;

  /** Whether the file imports from Vue's ecosystem (Vue, Pinia, Vuex, Nuxt's composables). */
  private isVueCode(): boolean {
    return (this.vueCode ??= this.sourceFile.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && VUE_MODULES.test(st.moduleSpecifier.text)));
  }

  /**
   * The object kept in a shared Map that an expression holds: `this.items.get(k)` itself, or a
   * local const given it (`const item = this.items.get(k)`). Every run that looks the key up gets
   * that same object, so a field of it is shared as the Map is. (A `let` may be given a fresh
   * object instead; a member of any other local stays that local's, see heldObject.)
   */
  private heldEntry(expr: ts.Expression, fn: FunctionLike): SharedLocation | undefined {
    const e = skipParens(ts.isNonNullExpression(expr) ? expr.expression : expr);
    // (Named by the expression that holds it: the field is no entry of the Map itself.)
    if (ts.isCallExpression(e)) {
      const entry = this.entryRead(e, fn);
      return entry && { ...entry, entry: undefined };
    }
    if (!ts.isIdentifier(e)) return undefined;
    const b = this.scopes.resolve(e);
    if (!b || b.kind !== 'const' || ts.isSourceFile(b.owner) || !(b.owner === fn || isWithin(fn, b.owner))) return undefined;
    const decl = b.declaration;
    if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
    const init = skipParens(ts.isNonNullExpression(decl.initializer) ? decl.initializer.expression : decl.initializer);
    const owner = enclosingFunction(decl);
    if (ts.isSourceFile(owner) || !ts.isCallExpression(init)) return undefined;
    const held = this.entryRead(init, owner);
    return held && { ...held, text: e.text, entry: undefined };
  }

  /** `map.get(k)` on a shared Map: its entry for `k` (the object kept there). */
  private entryRead(call: ts.CallExpression, fn: FunctionLike): SharedLocation | undefined {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || call.arguments.length !== 1) return undefined;
    const receiver = skipParens(callee.expression);
    if (receiver.kind === ts.SyntaxKind.ThisKeyword || !this.holdsMap(receiver)) return undefined;
    const base = this.locationOf(receiver, fn) ?? this.staticBase(receiver) ?? this.heldObject(receiver, fn);
    if (!base || base.kind === 'store' || base.kind === 'file' || base.kind === 'slot' || base.key === 'this' || base.key.endsWith('#this')) return undefined;
    const arg = skipParens(call.arguments[0]);
    const sf = this.sourceFile;
    const k = ts.isStringLiteralLike(arg) || ts.isNumericLiteral(arg) ? `.${arg.text}` : `[${keyText(arg, sf)}]`;
    return { ...base, key: `${base.key}${k}`, text: textOf(call, sf), entry: textOf(arg, sf), collection: base.key };
  }

  /**
   * Whether an expression is declared to hold a Map: a field, static or variable made with
   * `new Map(…)` or typed `Map<…>`, a local const given one, or an entry read out of such a Map
   * (`repos.get(path)` in a Map of Maps). (`Saveable.get(widget)`, a function of a namespace,
   * is no entry.)
   */
  private holdsMap(expr: ts.Expression): boolean {
    const e = skipParens(ts.isNonNullExpression(expr) ? expr.expression : expr);
    const isMap = (type: ts.TypeNode | undefined, init: ts.Expression | undefined): boolean => {
      const i = init && skipParens(init);
      if (i && ts.isNewExpression(i) && ts.isIdentifier(i.expression) && MAP_CLASSES.has(i.expression.text)) return true;
      return !!type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && MAP_CLASSES.has(type.typeName.text);
    };
    if (ts.isCallExpression(e)) {
      const c = skipParens(e.expression);
      return ts.isPropertyAccessExpression(c) && c.name.text === 'get' && e.arguments.length === 1 && this.holdsMap(c.expression);
    }
    if (ts.isIdentifier(e)) {
      const d = this.scopes.resolve(e)?.declaration;
      if (!d || !ts.isVariableDeclaration(d) || !ts.isIdentifier(d.name)) return false;
      if (isMap(d.type, d.initializer)) return true;
      const init = d.initializer && skipParens(d.initializer);
      return !!init && (ts.isPropertyAccessExpression(init) || ts.isCallExpression(init)) && this.holdsMap(init);
    }
    if (!ts.isPropertyAccessExpression(e)) return false;
    const owner = skipParens(e.expression);
    const cls = owner.kind === ts.SyntaxKind.ThisKeyword ? thisOwner(owner)?.classNode : this.staticBase(owner)?.classNode;
    if (!cls) return false;
    const name = e.name.text;
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.name.getText(this.sourceFile) === name) return isMap(m.type, m.initializer);
      if (ts.isConstructorDeclaration(m)) {
        const p = m.parameters.find((x) => ts.isParameterPropertyDeclaration(x, m) && ts.isIdentifier(x.name) && x.name.text === name);
        if (p) return isMap(p.type, p.initializer);
      }
    }
    return false;
  }

  /** `ClassName.x` where ClassName is a class of this file; `Fn.x` of a function declared at its top (`function Db() {}; Db.pools = new Map()`). */
  private staticBase(e: ts.Expression): SharedLocation | undefined {
    if (!ts.isIdentifier(e)) return undefined;
    const b = this.scopes.resolve(e);
    if (b?.kind === 'function' && ts.isSourceFile(b.owner)) return { key: `var:${b.name}@${b.declaration.pos}`, kind: 'module', text: e.text, binding: b };
    if (!b || b.kind !== 'class' || !ts.isClassLike(b.declaration)) return undefined;
    return { key: `static:${classKey(b.declaration, this.sourceFile)}`, kind: 'static', text: e.text, classNode: b.declaration };
  }

  private bindingLocation(id: ts.Identifier, fn: FunctionLike): SharedLocation | undefined {
    const b = this.scopes.resolve(id);
    if (!b) return undefined;
    if (b.kind === 'function' || b.kind === 'class' || b.kind === 'enum') return undefined;
    // `const self = this` (older code, for its callbacks): the same object under another name.
    const init = b.initializer && skipParens(b.initializer);
    if (init?.kind === ts.SyntaxKind.ThisKeyword) {
      const self = this.thisLocation(init, fn);
      return self && { ...self, text: id.text };
    }
    const key = `var:${b.name}@${b.declaration.pos}`;
    if (ts.isSourceFile(b.owner)) return { key, kind: 'module', text: id.text, binding: b };
    if (b.owner === fn || isWithin(b.owner, fn)) return undefined;
    if (isWithin(fn, b.owner)) return { key, kind: 'captured', text: id.text, binding: b, owner: b.owner };
    return undefined;
  }

  private thisLocation(node: ts.Node, _fn: FunctionLike): SharedLocation | undefined {
    const owner = thisOwner(node);
    if (!owner) return undefined;
    if (owner.classNode) {
      const ck = classKey(owner.classNode, this.sourceFile);
      return owner.isStatic
        ? { key: `static:${ck}`, kind: 'static', text: 'this', classNode: owner.classNode }
        : { key: `this:${ck}`, kind: 'instance', text: 'this', classNode: owner.classNode };
    }
    if (owner.prototypeOf) return { key: `this:${owner.prototypeOf}`, kind: 'instance', text: 'this' };
    if (owner.objectLiteral) {
      const b = objectLiteralBinding(owner.objectLiteral, this.scopes);
      if (b && ts.isSourceFile(b.owner)) return { key: `var:${b.name}@${b.declaration.pos}`, kind: 'module', text: 'this', binding: b, objectBinding: b };
      // A component's or store's options (Vue `methods`, Pinia `actions`): `this` is the instance.
      const options = optionsObjectOf(owner.objectLiteral);
      if (options) return { key: `options@${options.pos}`, kind: 'instance', text: 'this' };
    }
    return undefined;
  }

  /** Whether `receiver` is an object the function itself created (`const m = new Map()` in `fn`). */
  private isLocalObject(receiver: ts.Expression, fn: FunctionLike): boolean {
    const r = skipParens(receiver);
    if (ts.isNewExpression(r) || ts.isObjectLiteralExpression(r) || ts.isArrayLiteralExpression(r)) return true;
    let root = r;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipParens(root.expression);
    if (root !== r) return ts.isIdentifier(root) && this.isLocalObject(root, fn);
    if (!ts.isIdentifier(r)) return false;
    const b = this.scopes.resolve(r);
    if (!b || !(b.owner === fn || isWithin(b.owner, fn))) return false;
    // Objects it built, and records it loaded (`const doc = await repo.findOne(q)`): not stores.
    // (A handle awaited from a promise the module or the object keeps, `const db = await dbPromise`,
    // is that shared handle, whoever awaits it.)
    if (b.initializer && isFreshValue(b.initializer) && !this.awaitsSharedPromise(b.initializer, fn)) return true;
    // (And what a synchronous helper of the file builds and returns, `const repo = parseRepo(raw)`:
    // the caller's own, as if built inline.)
    if (b.initializer && this.buildsFreshValue(b.initializer)) return true;
    // Records delivered to a continuation: `repo.findOne(q, (err, doc) => …)`, `.then((doc) => …)`.
    return isDeliveredResult(b.declaration);
  }

  /**
   * The one field of `this` a getter of the class returns something of (`return this._conn`,
   * `return this._conn !== null`), when a setter of the same name, if any, assigns that field.
   */
  private getterField(cls: ts.ClassLikeDeclaration, name: string): string | undefined {
    let memo = this.getterFields.get(cls);
    if (!memo) this.getterFields.set(cls, (memo = new Map()));
    if (memo.has(name)) return memo.get(name);
    const fieldsOf = (body: ts.Node | undefined, within: (n: ts.Node) => ts.Node | undefined): Set<string> => {
      const out = new Set<string>();
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        const at = within(n);
        if (at) {
          const visitAt = (x: ts.Node): void => {
            if (isFunctionLike(x) || ts.isClassLike(x)) return;
            if (ts.isPropertyAccessExpression(x) && skipParens(x.expression).kind === ts.SyntaxKind.ThisKeyword) {
              // (A method called on `this` is no field.)
              if (!(ts.isCallExpression(x.parent) && x.parent.expression === x)) out.add(x.name.text);
              return;
            }
            ts.forEachChild(x, visitAt);
          };
          visitAt(at);
          return;
        }
        ts.forEachChild(n, visit);
      };
      if (body) ts.forEachChild(body, visit);
      return out;
    };
    let field: string | undefined;
    const getter = cls.members.find((m): m is ts.GetAccessorDeclaration => ts.isGetAccessorDeclaration(m) && !!m.body && accessorName(m.name) === name);
    if (getter) {
      const read = fieldsOf(getter.body, (n) => (ts.isReturnStatement(n) ? n.expression : undefined));
      const only = read.size === 1 ? [...read][0] : undefined;
      const setter = cls.members.find((m): m is ts.SetAccessorDeclaration => ts.isSetAccessorDeclaration(m) && accessorName(m.name) === name);
      const assigned = setter && fieldsOf(setter.body, (n) => (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken ? n.left : undefined));
      if (only && only !== name && (!setter || (assigned!.size === 1 && assigned!.has(only)))) field = only;
    }
    memo.set(name, field);
    return field;
  }

  /** `await dbPromise`, `await this.ready`: an await of a promise held outside the function (a module variable or a field). */
  /**
   * Whether the receiver belongs to an IndexedDB read-write transaction the function opened
   * (`const tx = db.transaction('notes', 'readwrite'); await tx.store.get(id)` … `tx.store.put(…)`):
   * the database runs such transactions on one store one at a time, so its reads and writes are
   * not interleaved with another task's.
   */
  private inReadwriteTransaction(receiver: ts.Expression, fn: FunctionLike): boolean {
    let root = skipParens(receiver);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || (ts.isCallExpression(root) && ts.isPropertyAccessExpression(skipParens(root.expression)) && (skipParens(root.expression) as ts.PropertyAccessExpression).name.text === 'objectStore')) {
      root = skipParens(ts.isCallExpression(root) ? (skipParens(root.expression) as ts.PropertyAccessExpression).expression : root.expression);
    }
    if (!ts.isIdentifier(root)) return false;
    const b = this.scopes.resolve(root);
    if (!b || !(b.owner === fn || isWithin(b.owner, fn)) || b.kind !== 'const' || !b.initializer) return false;
    const init = skipParens(b.initializer);
    if (!ts.isCallExpression(init)) return false;
    const callee = skipParens(init.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'transaction' && init.arguments.some((a) => ts.isStringLiteralLike(a) && a.text === 'readwrite');
  }

  /**
   * Whether a function of the file returns, on every path, a variable of the module, as a lazy
   * getter of one connection does (`return dbPromise`, `return (client ??= connect())`).
   */
  private returnsModuleHandle(callee: ts.Expression): boolean {
    const f = this.localFunction(callee);
    if (!f || f.parameters.length > 0 || !f.body) return false;
    /** A part of a module binding picked by names only: `client.db('app').collection<User>('users')` (every call given string literals). */
    const namedPart = (e: ts.Expression): boolean => {
      let x = skipParens(e);
      let calls = 0;
      for (;;) {
        if (ts.isCallExpression(x)) {
          if (x.arguments.length === 0 || !x.arguments.every((a) => ts.isStringLiteralLike(skipParens(a)))) return false;
          calls++;
          x = skipParens(x.expression);
        } else if (ts.isPropertyAccessExpression(x)) x = skipParens(x.expression);
        else break;
      }
      if (calls === 0 || !ts.isIdentifier(x)) return false;
      const b = this.scopes.resolve(x);
      return !!b && ts.isSourceFile(b.owner) && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var');
    };
    const held = (e: ts.Expression | undefined): boolean => {
      if (!e) return false;
      let x = skipParens(e);
      if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken || x.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken || x.operatorToken.kind === ts.SyntaxKind.EqualsToken)) x = skipParens(x.left);
      // (Or what the module's client hands out for names, `client.db('app').collection('users')`,
      // alone or as the fields of an object: `return { users: client.db('app').collection('users') }`.)
      if (ts.isObjectLiteralExpression(x)) return x.properties.length > 0 && x.properties.every((p) => ts.isPropertyAssignment(p) && namedPart(p.initializer));
      if (ts.isCallExpression(x)) return namedPart(x);
      if (!ts.isIdentifier(x)) return false;
      const b = this.scopes.resolve(x);
      return !!b && ts.isSourceFile(b.owner) && (b.kind === 'let' || b.kind === 'var');
    };
    return everyReturn(f, held);
  }

  private awaitsSharedPromise(init: ts.Expression, fn: FunctionLike): boolean {
    const x = skipParens(init);
    if (!ts.isAwaitExpression(x)) return false;
    const awaited = skipParens(x.expression);
    if (ts.isPropertyAccessExpression(awaited)) return skipParens(awaited.expression).kind === ts.SyntaxKind.ThisKeyword;
    // (Or from a getter of the file that hands out that promise: `const db = await getDB()`, with
    // `function getDB() { dbPromise ??= openDB(…); return dbPromise }`.)
    if (ts.isCallExpression(awaited) && awaited.arguments.length === 0) return this.returnsModuleHandle(awaited.expression);
    if (!ts.isIdentifier(awaited)) return false;
    const b = this.scopes.resolve(awaited);
    return !!b && ts.isSourceFile(b.owner) && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var');
  }

  /**
   * Whether `receiver` is an object the function was handed: one of its parameters, or an
   * element of one (`for (const event of events)`). Its accessors (`event.getUnsigned()` …
   * `event.setUnsigned(u)`) stand for its fields, which are per-call data as `event.unsigned` is.
   */
  private isHandedObject(receiver: ts.Identifier, fn: FunctionLike): boolean {
    const b = this.scopes.resolve(receiver);
    if (!b || ts.isSourceFile(b.owner) || !(b.owner === fn || isWithin(fn, b.owner))) return false;
    if (b.kind === 'parameter') return true;
    const list = b.declaration.parent;
    const loop = list && ts.isVariableDeclarationList(list) ? list.parent : undefined;
    if (!loop || !ts.isForOfStatement(loop)) return false;
    const over = skipParens(loop.expression);
    return ts.isIdentifier(over) && this.scopes.resolve(over)?.kind === 'parameter';
  }

  private isFsCall(call: ts.CallExpression): boolean {
    const callee = calleeOf(call);
    if (ts.isIdentifier(callee)) return this.fsNames.has(callee.text);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const r = skipParens(callee.expression);
    if (ts.isIdentifier(r)) return this.fsNames.has(r.text) || /^(fs|fsp|fse|fsPromises|fsExtra|promises|fs_1|fs_extra_1|promises_1)$/i.test(r.text);
    if (ts.isPropertyAccessExpression(r) && r.name.text === 'promises') return true;
    return false;
  }

  /**
   * A call of a helper of this file that reads or writes shared state (see ./helperSummaries.ts):
   * `await loadBalance()` reads what `loadBalance` returns, `readRecords(p)` reads the file at
   * `p`, `await saveBalance(v)` writes the module variable it assigns from its parameter.
   */
  private helperAccess(call: ts.CallExpression, helper: FunctionLike | undefined): CallAccess | undefined {
    return helper && this.summaries.accessOf(call, helper);
  }

  private helperSummaries?: HelperSummaries;
  /** The summaries of this file's helpers, made on first use. */
  private get summaries(): HelperSummaries {
    return (this.helperSummaries ??= new HelperSummaries(this));
  }

  /** A helper of this file that re-reads a location and writes it back with an argument merged in (see HelperSummary.merged). */
  mergedWrite(call: ts.CallExpression): CallAccess | undefined {
    const helper = this.helperFunction(call);
    return helper && this.summaries.mergedWriteOf(call, helper);
  }
  /** The stores and files a helper of this file that writes several places writes from its parameters, each as a write of the call's arguments (see HelperSummary.storeWrites). */
  helperStoreWrites(call: ts.CallExpression, fn: FunctionLike): CallAccess[] {
    const helper = this.helperFunction(call);
    if (!helper) return [];
    return this.summaries.storeWritesOf(call, helper).flatMap((a) => this.onInstance(call, a, fn) ?? []);
  }
  /** The arguments a helper of this file changes from their own values and saves as records (see HelperSummaries.savedRecordsOf). */
  helperSavedRecords(call: ts.CallExpression): Array<{ arg: ts.Expression; save: ts.Node; helper: string; within: string }> {
    const helper = this.helperFunction(call);
    if (!helper) return [];
    const name = skipParens(call.expression).getText(this.sourceFile).replace(/\s+/g, '');
    const within = helper.name && ts.isIdentifier(helper.name) ? helper.name.text : name;
    return this.summaries.savedRecordsOf(helper).flatMap(({ param, node }) => {
      const arg = call.arguments[param];
      return arg && !ts.isSpreadElement(arg) ? [{ arg, save: node, helper: name, within }] : [];
    });
  }

  /** readsItself per helper: it looks only at the helper's body, whoever calls it. */
  private readonly readsItselfMemo = new Map<FunctionLike, boolean>();
  /** Per class, per getter name: the field it reports (see getterField). */
  private readonly getterFields = new Map<ts.ClassLikeDeclaration, Map<string, string | undefined>>();
  private getterNameSet?: Set<string>;

  /** Names of the getters declared in the file's classes (a cheap test before looking for the class of a receiver). */
  private get getterNames(): Set<string> {
    if (this.getterNameSet) return this.getterNameSet;
    const names = new Set<string>();
    if (/\bget\s+[\w$#]+\s*\(/.test(this.sourceFile.text)) {
      this.scopes.forEachNode((n) => {
        if (ts.isGetAccessorDeclaration(n) && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name))) names.add(n.name.text);
      });
    }
    return (this.getterNameSet = names);
  }

  /**
   * The function with a body in this file that a call runs, when it is a helper reachable without
   * types: a function or arrow constant by name, `this.m()` in the same class or object literal,
   * `obj.m()` of a module-level object literal, `C.m()` of a class of the file.
   */
  private helperFunction(call: ts.CallExpression): FunctionLike | undefined {
    const callee = skipParens(call.expression);
    if (ts.isIdentifier(callee)) return this.localFunction(callee);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
    const name = callee.name.text;
    const recv = skipParens(callee.expression);
    const member = (members: readonly (ts.ClassElement | ts.ObjectLiteralElementLike)[], isStatic?: boolean): FunctionLike | undefined => {
      for (const m of members) {
        if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== name) continue;
        if (isStatic !== undefined && !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) !== isStatic) continue;
        if (ts.isMethodDeclaration(m)) return m.body ? m : undefined;
        const init = (ts.isPropertyDeclaration(m) || ts.isPropertyAssignment(m)) && m.initializer ? skipParens(m.initializer) : undefined;
        return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
      }
      return undefined;
    };
    if (recv.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = thisOwner(recv);
      if (owner?.classNode) return member(owner.classNode.members, !!owner.isStatic);
      return owner?.objectLiteral && member(owner.objectLiteral.properties);
    }
    const held = this.instanceClass(recv);
    if (held) return member(held.members, false);
    if (!ts.isIdentifier(recv)) return undefined;
    const b = this.scopes.resolve(recv);
    if (!b || !ts.isSourceFile(b.owner)) return undefined;
    if (b.kind === 'class' && ts.isClassLike(b.declaration)) return member(b.declaration.members, true);
    const init = b.kind === 'const' && b.initializer ? skipParens(b.initializer) : undefined;
    return init && ts.isObjectLiteralExpression(init) ? member(init.properties) : undefined;
  }

  /**
   * The class of this file whose instance a receiver holds, when that instance is itself kept as
   * shared state: a module binding (`const pool = new Pool()`), a field of the class (`registry =
   * new Registry()`, `private registry: Registry`, or `this.registry = new Registry()` in the
   * constructor) or a static field (`Catalog.shelf`). Its methods are helpers of the file as
   * `this.m()` is, and what they do to their own `this` they do to that instance (see onInstance).
   */
  private instanceClass(recv: ts.Expression): ts.ClassLikeDeclaration | undefined {
    const classOf = (e: ts.Node | undefined, at: ts.Node): ts.ClassLikeDeclaration | undefined => {
      const x = e && ts.isExpression(e) ? skipParens(e) : e;
      const name = x && ts.isNewExpression(x) ? x.expression : x && ts.isTypeReferenceNode(x) ? x.typeName : undefined;
      if (!name || !ts.isIdentifier(name)) return undefined;
      const b = this.scopes.resolveName(name.text, at);
      return b && b.kind === 'class' && ts.isClassLike(b.declaration) ? b.declaration : undefined;
    };
    const field = (cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): ts.ClassLikeDeclaration | undefined => {
      for (const m of cls.members) {
        const st = !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
        if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && st === isStatic) return classOf(m.initializer, m) ?? classOf(m.type, m);
        if (!ts.isConstructorDeclaration(m) || isStatic) continue;
        for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === name && ts.isParameterPropertyDeclaration(p, m)) return classOf(p.type, m);
        // (JavaScript: `this.registry = new Registry()` in the constructor.)
        for (const st2 of m.body?.statements ?? []) {
          const e = ts.isExpressionStatement(st2) ? st2.expression : undefined;
          if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && e.left.expression.kind === ts.SyntaxKind.ThisKeyword && e.left.name.text === name) {
            const c = classOf(e.right, m);
            if (c) return c;
          }
        }
      }
      return undefined;
    };
    // (`new Db().open()`: an instance made for the call.)
    if (ts.isNewExpression(recv)) return classOf(recv, recv);
    if (ts.isIdentifier(recv)) {
      const b = this.scopes.resolve(recv);
      if (!b || b.kind === 'class') return undefined;
      if (ts.isSourceFile(b.owner)) return classOf(b.initializer, recv);
      // (An instance a function makes or is handed, `const repo = new Repo()`, `(repo: Repo)`: its
      // methods are helpers too; what they do to their own `this` is per instance, not shared,
      // but what they do to module state, a store or a file is (see onInstance).)
      if (b.kind === 'const') return classOf(b.initializer, recv);
      return b.kind === 'parameter' && ts.isParameter(b.declaration) ? classOf(b.declaration.type, b.declaration) : undefined;
    }
    if (!ts.isPropertyAccessExpression(recv)) return undefined;
    const on = skipParens(recv.expression);
    if (on.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = thisOwner(on);
      return owner?.classNode && field(owner.classNode, recv.name.text, !!owner.isStatic);
    }
    // (An instance reached through a field whose declared type lists it, `this.deps.walletDao` with
    // `constructor(private deps: { walletDao: WalletDao })`: the member's declared class.)
    if (ts.isPropertyAccessExpression(on) && skipParens(on.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const owner = thisOwner(on);
      const member = owner?.classNode ? memberTypeOf(fieldTypeOf(owner.classNode, on.name.text, !!owner.isStatic), recv.name.text) : undefined;
      return member && classOf(member, member);
    }
    const b = ts.isIdentifier(on) ? this.scopes.resolve(on) : undefined;
    return b && b.kind === 'class' && ts.isClassLike(b.declaration) ? field(b.declaration, recv.name.text, true) : undefined;
  }

  /**
   * A helper's access to its own `this` (`this.entries.get(k)` in `Registry.lookup`), seen from a
   * call on an instance kept as shared state (`this.registry.lookup(id)`): an access to that
   * instance's state (`this.registry.entries[id]`). On an instance that is not shared (a local
   * `new Registry()`, a parameter) it is no shared access at all.
   */
  private onInstance(call: ts.CallExpression, access: CallAccess | undefined, fn: FunctionLike): CallAccess | undefined {
    if (!access) return access;
    const held = this.instanceCall(call, fn);
    if (!held?.owns(access.location.key)) return access;
    if (!held.shared) return undefined;
    return { ...access, location: held.move(access.location), ...(access.entries ? { entries: access.entries.map(held.move) } : {}) };
  }

  /**
   * A call of a method of a class of this file on an instance held elsewhere (`this.link.open()`,
   * `pool.adopt(h, s)`): the method, whether the instance is shared state, whether a location is
   * one of the method's own `this`, and that location moved onto the instance.
   */
  instanceCall(call: ts.CallExpression, fn: FunctionLike): { method?: FunctionLike; shared: boolean; owns(key: string): boolean; move(l: SharedLocation): SharedLocation } | undefined {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const recv = skipParens(callee.expression);
    const cls = recv.kind === ts.SyntaxKind.ThisKeyword ? undefined : this.instanceClass(recv);
    if (!cls) return undefined;
    const base = this.locationOf(recv, fn);
    return { method: this.helperFunction(call), shared: !!base, ...this.ontoInstance(cls, base, recv) };
  }

  /**
   * Whether a location is one of the class's own `this` (`this:Link.state`, `this:Link[k]`), and
   * such a location moved onto an instance of it held at `base`, written `recv` (`this.link.state`).
   * Without a shared `base`, nothing moves.
   */
  private ontoInstance(cls: ts.ClassLikeDeclaration, base: SharedLocation | undefined, recv: ts.Expression): { owns(key: string | undefined): boolean; move(l: SharedLocation): SharedLocation } {
    const own = `this:${classKey(cls, this.sourceFile)}`;
    const owns = (k: string | undefined): boolean => !!k && k.startsWith(own) && (k.length === own.length || k[own.length] === '.' || k[own.length] === '[');
    const recvText = textOf(recv, this.sourceFile);
    const move = (l: SharedLocation): SharedLocation => {
      if (!base) return l;
      const at = (k: string | undefined) => (k !== undefined && owns(k) ? base.key + k.slice(own.length) : k);
      return {
        ...l,
        key: at(l.key)!,
        kind: base.kind,
        text: l.text.replace(/^this(?=[.[])/, recvText),
        ...(l.collection !== undefined ? { collection: at(l.collection) } : {}),
        binding: base.binding,
        owner: base.owner,
        classNode: base.classNode,
        objectBinding: base.objectBinding,
      };
    };
    return { owns, move };
  }

  /**
   * The path a file written here is published under: the target of a later `rename(tmp, target)`
   * (or fs-extra's `move`) of the same path in the same function. Writing a temporary file and
   * renaming it keeps readers from seeing half a file; it does not stop a write made from an older
   * read from replacing a newer one, so the data is what the target receives.
   */
  private publishedAs(call: ts.CallExpression, pathArg: ts.Expression): ts.Expression | undefined {
    const fn = enclosingFunction(call);
    if (ts.isSourceFile(fn) || !fn.body) return undefined;
    const sf = this.sourceFile;
    const path = skipParens(pathArg).getText(sf);
    const rename = firstCallAfter(fn.body, call, true, (n) => {
      const name = n.arguments.length >= 2 ? methodName(n)?.name : undefined;
      return !!name && RENAMES.has(name) && !ts.isSpreadElement(n.arguments[0]) && !ts.isSpreadElement(n.arguments[1]) && skipParens(n.arguments[0]).getText(sf) === path;
    });
    return rename?.arguments[1];
  }

  /** The file location named by a call's path argument. */
  private fileLocation(arg: ts.Expression | undefined): SharedLocation | undefined {
    if (!arg) return undefined;
    const sf = this.sourceFile;
    const directory = this.directoryOf(arg);
    return { key: `file:${keyText(arg, sf)}`, kind: 'file', text: textOf(arg, sf), ...(directory ? { directory: `file:${keyText(directory, sf)}` } : {}) };
  }

  /**
   * The directory a path is joined under (`path.join(dir, name)`, `resolve(dir, name)`,
   * `${dir}/${name}`), directly or through a constant holding it; not for a name made unique
   * (a temporary file of this run is no entry another run publishes).
   */
  private directoryOf(arg: ts.Expression): ts.Expression | undefined {
    let e = skipParens(arg);
    if (ts.isIdentifier(e)) {
      const b = this.scopes.resolve(e);
      if (b?.kind !== 'const' || !b.initializer) return undefined;
      e = skipParens(b.initializer);
    }
    const sf = this.sourceFile;
    let dir: ts.Expression | undefined;
    let name = '';
    if (ts.isCallExpression(e) && e.arguments.length >= 2 && !e.arguments.some(ts.isSpreadElement)) {
      const callee = skipParens(e.expression);
      const m = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (m === 'join' || m === 'resolve') {
        dir = e.arguments[0];
        name = e.arguments.slice(1).map((a) => a.getText(sf)).join(' ');
      }
      // (`path.join(dir, name)`, not `[a, b].join(sep)` or a promise's `resolve(v)`: the receiver is a path module.)
      if (ts.isPropertyAccessExpression(callee) && !(ts.isIdentifier(callee.expression) && /^(path|posix|win32|nodePath|upath)$/.test(callee.expression.text))) dir = undefined;
      if (ts.isIdentifier(callee) && this.isLocalFunction(callee)) dir = undefined;
    } else if (ts.isTemplateExpression(e) && e.head.text === '' && /^\/./.test(e.templateSpans[0].literal.text + (e.templateSpans.length > 1 ? 'x' : ''))) {
      dir = e.templateSpans[0].expression;
      name = e.getText(sf).slice(e.templateSpans[0].literal.pos - e.getStart(sf));
    }
    return dir && !UNIQUE_NAME.test(name) ? dir : undefined;
  }

  /**
   * A keyed call on an object the function did not create, located as the store calls on the
   * same receiver are (`resource[key]`): a synchronous look-up (`vault.getAbstractFileByPath(p)`,
   * `registry.lookup(name)`) or a creation (`await vault.create(p, '')`, `await sftp.mkdir(p)`).
   * It lets create-if-missing match a look-up with the creation of the same key; callAccess
   * answers every other call.
   */
  keyedCall(call: ts.CallExpression, fn: FunctionLike, role: 'lookup' | 'create'): SharedLocation | undefined {
    const m = methodName(call);
    const keyArg = call.arguments[0];
    if (!m?.receiver || !keyArg || ts.isSpreadElement(keyArg) || ts.isArrowFunction(keyArg) || ts.isFunctionExpression(keyArg)) return undefined;
    if (!(role === 'lookup' ? KEYED_LOOKUPS : KEYED_CREATES).test(m.name) || (role === 'create' && NOT_KEYED_CREATES.test(m.name))) return undefined;
    const r = skipParens(m.receiver);
    if ((ts.isIdentifier(r) && NOT_A_STORE.test(r.text)) || r.kind === ts.SyntaxKind.ThisKeyword || this.isLocalObject(r, fn) || this.isFsCall(call)) return undefined;
    const sf = this.sourceFile;
    const base = this.locationOf(m.receiver, fn);
    const resource = base ? base.key : `store:${keyText(r, sf)}`;
    return { key: `${resource}[${keyText(keyArg, sf)}]`, kind: 'store', text: textOf(r, sf), resource, entry: textOf(keyArg, sf), literalKey: isStringKey(keyArg) };
  }

  /**
   * A save paired with a getter of the same receiver in this file (`this.getSettings()` …
   * `await this.saveSettings(s)`, `config.getSettings()` … `config.updateSettings(s)`): the field
   * both stand for, or undefined.
   */
  pairedSaveField(call: ts.CallExpression): string | undefined {
    const m = methodName(call);
    const verb = m?.receiver && call.arguments.length === 1 ? /^(save|update|store|persist|put|write)([A-Z]\w*)$/.exec(m.name) : null;
    if (!verb || !m?.receiver) return undefined;
    this.compactText ??= this.sourceFile.text.replace(/\s+/g, '');
    if (!this.compactText.includes(`${keyText(m.receiver, this.sourceFile)}.get${verb[2]}()`)) return undefined;
    return verb[2].charAt(0).toLowerCase() + verb[2].slice(1);
  }

  /**
   * How a call reads, writes, mutates or checks a shared location, if it does. A call of a helper
   * of this file is what the helper's body does (see helperAccess); what its name says, when it
   * says something, is kept as an alias, for a partner helper whose body tells nothing.
   */
  callAccess(call: ts.CallExpression, fn: FunctionLike): CallAccess | undefined {
    const direct = this.directAccess(call, fn);
    const helperFn = this.helperFunction(call);
    const own = this.helperAccess(call, helperFn);
    const helper = this.onInstance(call, own, fn);
    // (A method of a class of the file called on a shared instance is what its body does, whatever
    // its name says: `links.has(host)` reads the entry its body reads, not an entry of `links`.)
    if (helper && helper !== own) return helper;
    // A plain getter of a field in memory (`const getClient = () => client`) reads that field, and
    // its answer checks it, whatever its name says of a resource: `if (!getClient())` tests `client`.
    if (direct?.mode === 'read' && direct.valueOnly && helper?.mode === 'read' && !helper.valueOnly && isFieldInMemory(helper.location)) return { ...helper, location: { ...helper.location, alias: direct.location } };
    // So does a method of the object's own class that tests or searches a field in memory
    // (`this.getPending(body)` looping over `this.pending`): its name makes the object a store
    // only by guess, its body says what it checks.
    const onThis = skipParens(call.expression);
    if (direct?.mode === 'read' && direct.location.kind === 'store' && helper?.mode === 'read' && !helper.valueOnly && isFieldInMemory(helper.location) && ts.isPropertyAccessExpression(onThis) && skipParens(onThis.expression).kind === ts.SyntaxKind.ThisKeyword) return { ...helper, location: { ...helper.location, alias: direct.location } };
    // A write named for a resource (`updatePnl(id, pnl)`) by a helper of this file that reads the
    // state itself before writing it (`await load()` … `await save(state)`, often under a lock):
    // the caller's earlier read is not what it writes back.
    if (!helper && direct && direct.mode !== 'read' && direct.location.resource?.startsWith('resource:') && helperFn && this.readsItself(helperFn)) return undefined;
    // A write named for a resource (`storeData(result, params)`) by a helper of this file whose
    // body writes several stores or files from its parameters is those writes (see
    // helperStoreWrites), not a write of the resource its name guesses.
    if (!helper && direct?.mode === 'write' && direct.location.resource?.startsWith('resource:') && helperFn && this.summaries.storeWritesOf(call, helperFn).length > 0) return undefined;
    // A helper named for a creation (`this.createRecord(k)`) whose body lets the store decide
    // whether the row exists (its inserts skip what is there: `onConflictDoNothing()`, `INSERT …
    // ON CONFLICT DO NOTHING`) and changes nothing else acts as its body does: a second run's
    // insert does nothing, so the call is no act on what the caller found missing.
    if (direct?.mode === 'mutate' && direct.location.kind === 'store' && helperFn && this.insertsOnlyIfAbsent(helperFn)) return helper?.mode === 'read' ? helper : undefined;
    if (!helper) return direct;
    if (!direct) return helper;
    // (A check or an action, `findX(k)` … `createX(k)`, stays what the call says.)
    if (direct.mode !== helper.mode) return direct;
    if (direct.location.key === helper.location.key) return helper;
    // A read keeps the location its name gives, which checks are keyed by, and matches writes of
    // what the body reads too; a write is of what the body writes, and of the named one.
    if (direct.mode === 'read') return { ...direct, location: { ...direct.location, through: helper.location.through, alias: helper.location } };
    return { ...helper, location: { ...helper.location, alias: direct.location } };
  }

  /**
   * Whether a same-file helper's body inserts only rows the store does not hold yet (a conflict
   * clause that does nothing: drizzle's `onConflictDoNothing()`, knex's `onConflict(…).ignore()`,
   * TypeORM's `orIgnore()`, SQL `ON CONFLICT DO NOTHING` / `INSERT IGNORE`, `skipDuplicates: true`,
   * Redis `SET … NX`, DynamoDB's `attribute_not_exists`, a Mongo upsert of `$setOnInsert` only)
   * and writes or creates nothing else in a store or file. (An upsert that sets values still
   * replaces what the first run stored.)
   */
  private insertsOnlyIfAbsent(helper: FunctionLike): boolean {
    const known = this.insertsOnlyIfAbsentMemo.get(helper);
    if (known !== undefined) return known;
    this.insertsOnlyIfAbsentMemo.set(helper, false);
    if (!helper.body) return false;
    let skipping = false;
    let other = false;
    const visit = (n: ts.Node): void => {
      if (other) return;
      if (ts.isCallExpression(n)) {
        const links = callChain(n).links;
        const names = links.map((l) => l.name);
        const text = sqlTextOf(n, this.scopes);
        const args = n.arguments.map((a) => a.getText(this.sourceFile)).join(' ');
        // (Kysely's `onConflict((oc) => oc.doNothing())` says it in the clause's callback.)
        const doesNothing = links.some((l) => l.name === 'onConflict' && l.args?.some((a) => /\.doNothing\(\)/.test(a.getText(this.sourceFile))));
        const conflictClause =
          (names.includes('onConflictDoNothing') || names.includes('orIgnore') || (names.includes('ignore') && names.some((x) => /^(insert|insertInto|onConflict)$/.test(x))) || doesNothing) &&
          !names.some((x) => /^(onConflictDoUpdate|onDuplicateKeyUpdate|merge|doUpdateSet)$/.test(x));
        const sqlSkips = text !== undefined && /^\s*insert\b/i.test(text) && /\bon\s+conflict\b[^;]*\bdo\s+nothing\b|\binsert\s+(or\s+)?ignore\b/i.test(text);
        // Key-value and document stores' set-if-absent: Redis `SET k v NX` / `SETNX`, DynamoDB's
        // `attribute_not_exists(…)` condition, a Mongo upsert that only `$setOnInsert`s.
        const setIfAbsent =
          /^(setnx|hsetnx)$/i.test(calleeName(n)) ||
          /['"]NX['"]|\b(NX|nx)\s*:\s*true\b|attribute_not_exists\s*\(/.test(args) ||
          (/\$setOnInsert\b/.test(args) && /\bupsert\s*:\s*true\b/.test(args) && !/\$(set|inc|push|addToSet|unset|pull|rename|mul|max|min)\b/.test(args));
        if (conflictClause || sqlSkips || setIfAbsent || /\b(skipDuplicates|ignoreDuplicates)\s*:\s*true\b/.test(args)) {
          skipping = true;
          return;
        }
        const owner = enclosingFunction(n);
        const access = !ts.isSourceFile(owner) ? this.directAccess(n, owner) : undefined;
        if (access && (access.mode === 'mutate' || access.mode === 'write') && (access.location.kind === 'store' || access.location.kind === 'file')) {
          other = true;
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(helper.body);
    const result = skipping && !other;
    this.insertsOnlyIfAbsentMemo.set(helper, result);
    return result;
  }

  private readonly insertsOnlyIfAbsentMemo = new Map<FunctionLike, boolean>();

  /** Whether a same-file helper awaits a read of a store or resource in its own body (callbacks included). */
  private readsItself(helper: FunctionLike): boolean {
    const known = this.readsItselfMemo.get(helper);
    if (known !== undefined) return known;
    if (!helper.body) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isAwaitExpression(n.parent)) {
        const owner = enclosingFunction(n);
        const access = !ts.isSourceFile(owner) ? this.directAccess(n, owner) : undefined;
        if (access?.mode === 'read' && (access.location.kind === 'store' || access.location.kind === 'file')) found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(helper.body);
    this.readsItselfMemo.set(helper, found);
    return found;
  }

  /** How a call reads, writes, mutates or checks a shared location, from the call alone. */
  private directAccess(call: ts.CallExpression, fn: FunctionLike): CallAccess | undefined {
    const m = methodName(call);
    if (!m) return undefined;
    const sf = this.sourceFile;
    const args = call.arguments;
    if (!m.receiver) {
      // A slot's setter or getter: `setItems([...items, x])`, `set({ ...get(), user })`.
      const callee = skipParens(call.expression) as ts.Identifier;
      const slot = this.slotOf(callee);
      if (slot?.role === 'setter' && args.length >= 1 && slot.slot.dispatch) {
        const action = skipParens(args[0]);
        const creator = ts.isCallExpression(action) ? skipParens(action.expression) : undefined;
        const name = creator && (ts.isIdentifier(creator) ? creator.text : ts.isPropertyAccessExpression(creator) ? creator.name.text : '');
        if (name && WRITE_ACTION.test(name)) return { mode: 'write', location: slot.slot.location, values: (action as ts.CallExpression).arguments };
        // A plain action `{ type: 'SET_USER', payload }`: the payload is stored.
        if (ts.isObjectLiteralExpression(action)) {
          // (A shorthand `type` is no string literal, so only `type: '…'` passes.)
          const type = propertyValue(action, 'type');
          const typeValue = type && skipParens(type);
          const payload = propertyValue(action, 'payload');
          if (typeValue && ts.isStringLiteralLike(typeValue) && /^(set|update|replace|SET|UPDATE|REPLACE)([A-Z_]|$)/.test(typeValue.text.replace(/^\w+\//, '')) && payload) {
            return { mode: 'write', location: slot.slot.location, values: [payload] };
          }
          // An action carrying a whole `state` (`{ type: HYDRATED, payload: { state } }`) hands
          // the reducer the state to put in place of the store's.
          const carried = propertyValue(action, 'state') ?? (payload && propertyValue(payload, 'state'));
          if (carried) return { mode: 'write', location: slot.slot.location, values: [carried] };
        }
        return undefined;
      }
      if (slot?.role === 'setter' && slot.slot.live) {
        // `commit('setItems', v)` / `commit('SET_ITEMS', v)` / `commit('replaceItems', v)` writes
        // the `items` field of the state; `commit('replaceState', s)`, the state as a whole.
        const type = args[0] && skipParens(args[0]);
        const m = type && ts.isStringLiteralLike(type) ? /^(?:set|SET_|replace|REPLACE_)(\w+)$/.exec(type.text) : null;
        if (!m || args.length < 2) return undefined;
        const field = /^[A-Z0-9_]+$/.test(m[1]) ? m[1].toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : m[1].charAt(0).toLowerCase() + m[1].slice(1);
        const state = slot.slot.location;
        if (field === 'state') return { mode: 'write', location: state, values: args.slice(1, 2) };
        return { mode: 'write', location: { ...state, key: `${state.key}.${field}`, text: `state.${field}` }, values: args.slice(1, 2) };
      }
      // (`updateBlock(index, block)`: the value may follow the arguments that say which.)
      if (slot?.role === 'setter' && args.length >= 1) return { mode: 'write', location: slot.slot.location, values: args };
      if (slot?.role === 'getter' && args.length === 0) return { mode: 'read', location: slot.slot.location };
      if (slot) return undefined;
      // Svelte's `get(store)` and a signal's read `count()`: the current value of shared state
      // whose writes are `store.set(v)` / `count.set(v)`.
      const held = callee.text === 'get' && args.length === 1 ? this.locationOf(args[0], fn) : args.length === 0 && this.isSignalHolder(callee) ? this.locationOf(callee, fn) : undefined;
      if (held && held.kind !== 'store' && held.kind !== 'file' && held.kind !== 'slot') {
        return { mode: 'read', location: { ...held, key: `${held.key}.value`, text: `${held.text}.value`, collection: undefined } };
      }
    }
    const prepared = this.preparedStatementAccess(call);
    if (prepared !== undefined) return prepared ?? undefined;
    const sql = this.sqlAccess(call);
    if (sql !== undefined) return sql ?? undefined;
    // (One walk down the chain for both kinds of chained query.)
    const chain = callChain(call);
    const built = this.queryBuilderAccess(call, chain);
    if (built !== undefined) return built ?? undefined;
    const searched = this.searchChainRead(call, chain, fn);
    if (searched) return searched;
    if (this.isFsCall(call)) {
      if (FILE_READS.has(m.name)) {
        const location = this.fileLocation(args[0]);
        return location && { mode: 'read', location };
      }
      if (FILE_CHECKS.has(m.name)) {
        const location = this.fileLocation(args[0]);
        return location && { mode: 'check', location };
      }
      // (An `open` for reading, `fs.open(p, 'r', cb)`, creates nothing: it reads or fails.)
      if (isOpenForReading(m.name, args)) {
        const location = this.fileLocation(args[0]);
        return location && { mode: 'read', location };
      }
      const at = FILE_CREATES.get(m.name);
      if (at !== undefined) {
        // Options follow the data of a write (`writeFile(p, data, { flag: 'wx' })`): the data itself is no flag.
        if (hasExclusiveFlag(args.slice(FILE_WRITES.has(m.name) ? at + 2 : at + 1))) return undefined;
        // (Data written to a temporary file that is then renamed over the target, the atomic-write
        // idiom, is written to the target.)
        const published = FILE_WRITES.has(m.name) && args[at] ? this.publishedAs(call, args[at]) : undefined;
        const target = this.fileLocation(published ?? args[at]);
        if (!target) return undefined;
        const location = published ? { ...target, published: true } : target;
        return FILE_WRITES.has(m.name) ? { mode: 'write', location, values: args.slice(at + 1, at + 2) } : { mode: 'mutate', location };
      }
      return undefined;
    }
    if (!m.receiver) return this.storeFunctionAccess(call, m.name) ?? this.predicateOfCollection(call, m.name, fn) ?? this.resourceAccess(call, m.name);
    // (Through a local holding a shared object only for what a collection does: `conns.set(k, c)`,
    // not `saveable.save()`, a method of the object kept there.)
    const base = this.locationOf(m.receiver, fn) ?? (COLLECTION_METHODS.has(m.name) ? this.heldObject(m.receiver, fn) : undefined);
    const asyncCall = isAsyncHere(call);
    const paired = this.pairedSaveField(call);
    if ((asyncCall || !base) && !paired) {
      const store = this.storeAccess(call, m.receiver, m.name, base, asyncCall, fn);
      if (store) return store;
    }
    // State behind accessors: `store.getState()` … `store.setState(s)`, `subject.getValue()` …
    // `subject.next(v)`, `this.getUser()` … `this.setUser(u)` stand for a field of the object.
    const accessor = paired ? { field: paired, mode: 'write' as const } : accessorField(m.name, args.length);
    if (accessor && !ts.isSpreadElement(args[0] ?? call)) {
      const r = skipParens(m.receiver);
      const owner = base ?? (ts.isIdentifier(r) && !NOT_A_STORE.test(r.text) && !this.isLocalObject(r, fn) && !this.isHandedObject(r, fn) ? { key: `store:${keyText(r, sf)}`, kind: 'store' as const, text: textOf(r, sf), resource: `store:${keyText(r, sf)}` } : undefined);
      // (A map's `get` takes a key and its `set` two arguments: these are not entries.)
      if (owner) {
        const location: SharedLocation = { ...owner, key: `${owner.key}.${accessor.field}`, text: `${textOf(m.receiver, sf)}.${accessor.field}`, collection: undefined };
        return accessor.mode === 'read' ? { mode: 'read', location } : { mode: 'write', location, values: args.slice(0, 1) };
      }
    }
    // A signal held in a field: `this.state()` reads what `this.state.set(v)` writes.
    if (args.length === 0 && this.isSignalHolder(skipParens(call.expression))) {
      const held = this.locationOf(call.expression, fn);
      if (held) return { mode: 'read', location: { ...held, key: `${held.key}.value`, text: `${held.text}.value`, collection: undefined } };
    }
    // A method of the object itself (`this.add(item)`) is no collection operation.
    if (base && skipParens(m.receiver).kind !== ts.SyntaxKind.ThisKeyword) {
      const entry = (arg: ts.Expression): SharedLocation => {
        const a = skipParens(arg);
        const k = ts.isStringLiteralLike(a) || ts.isNumericLiteral(a) ? `.${a.text}` : `[${keyText(a, sf)}]`;
        return { ...base, key: `${base.key}${k}`, text: textOf(m.receiver!, sf), entry: textOf(a, sf), collection: base.key };
      };
      if (ENTRY_READS.has(m.name) && args[0]) return { mode: 'read', location: entry(args[0]) };
      // A test over the whole collection (`items.some((c) => c.id === id)`) reads all it holds,
      // as `items.length` does: what is added after an await was not there when it was tested.
      if ((m.name === 'some' || m.name === 'every') && args[0]) return { mode: 'read', location: { ...base, text: textOf(m.receiver, sf) } };
      if (m.name === 'set' && args[0]) return { mode: 'write', location: entry(args[0]), values: args.slice(1, 2), entries: [] };
      if ((m.name === 'add' || m.name === 'delete') && args[0]) return { mode: 'mutate', location: { ...base, text: textOf(call, sf) }, entries: [entry(args[0])] };
      if (COLLECTION_MUTATIONS.has(m.name)) {
        const adds = m.name === 'push' || m.name === 'unshift' ? args.filter((a) => !ts.isSpreadElement(a)).map(entry) : [];
        return { mode: 'mutate', location: { ...base, text: textOf(call, sf) }, entries: adds };
      }
      return undefined;
    }
    return undefined;
  }

  /**
   * A SQL statement sent to a database (`await db.query('SELECT … FROM users WHERE email = $1',
   * [email])`): a read, write or insert of its table. Null for statements that are safe on their
   * own (`INSERT … ON CONFLICT`, `SELECT … FOR UPDATE`, `DELETE`), undefined when the call is
   * no SQL.
   */
  private sqlAccess(call: ts.CallExpression | ts.TaggedTemplateExpression, bound?: readonly ts.Expression[]): CallAccess | null | undefined {
    const text = ts.isTaggedTemplateExpression(call) ? templateSqlText(call.template) : sqlTextOf(call, this.scopes);
    if (text === undefined) return undefined;
    const first = ts.isTaggedTemplateExpression(call) ? call.template : sqlTextNode(call, this.scopes)!;
    const m = /^\s*(select|insert|update|delete|replace|upsert|merge)\b/i.exec(text);
    if (!m) return undefined;
    // (Sync drivers act in the same segment as their checks, so reading every statement as a
    // request is harmless; callback drivers pass a named callback as often as an inline one.)
    const verb = m[1].toLowerCase();
    const table = (verb === 'select' ? /\bfrom\s+([\w."`\[\]]+)/i : verb === 'update' ? /^\s*update\s+(?:only\s+)?([\w."`\[\]]+)/i : verb === 'delete' ? /\bfrom\s+([\w."`\[\]]+)/i : /\binto\s+([\w."`\[\]]+)/i).exec(text)?.[1]?.replace(/["`\[\]]/g, '').toLowerCase();
    if (!table) return null;
    const sf = this.sourceFile;
    const params = [...(bound ?? (ts.isCallExpression(call) ? call.arguments.slice(1) : [])), ...(ts.isTemplateExpression(first) ? first.templateSpans.map((sp) => sp.expression) : [])].filter((a) => !ts.isArrowFunction(a) && !ts.isFunctionExpression(a));
    const entry = params.map((a) => a.getText(sf)).join(', ');
    const location: SharedLocation = { key: `sql:${table}`, kind: 'store', text: table, resource: `sql:${table}`, ...(entry ? { entry } : {}) };
    if (verb === 'delete') return null;
    if (verb === 'select') {
      if (/\bfor\s+(update|share|no\s+key\s+update)\b/i.test(text)) return null;
      const others = [...new Set([...text.matchAll(/\b(?:from|join)\s+([\w."`\[\]]+)/gi)].map((t) => `sql:${t[1].replace(/["`\[\]]/g, '').toLowerCase()}`))].filter((k) => k !== location.key);
      return { mode: 'read', location: others.length > 0 ? { ...location, alsoReads: others } : location };
    }
    // The database checks as it writes: conflict clauses, guarded updates, updates from the stored value.
    // (An upsert that sets values, `ON CONFLICT … DO UPDATE SET`, still stores its parameters.)
    if (/\bdo\s+update\s+set\b|\bon\s+duplicate\s+key\s+update\b/i.test(text) && verb === 'insert') return { mode: 'write', location, values: params, upsert: true };
    if (/\bon\s+conflict\b|\bon\s+duplicate\s+key\b|\binsert\s+or\s+(ignore|replace)\b|\binsert\s+ignore\b|\bwhere\s+not\s+exists\b/i.test(text)) return null;
    if (verb === 'update' && (/\bset\s+([\w"`]+)\s*=\s*\1\s*[-+*/|]/i.test(text) || /\bwhere\b[^;]*?(>=|<=|<>|!=|[^=!<>]>[^=]|[^=!<>]<[^=]|\bversion\b)/i.test(text))) return null;
    return verb === 'update' ? { mode: 'write', location, values: sqlSetValues(text, call, first, bound) } : { mode: 'mutate', location, values: params };
  }

  /**
   * A SQL statement written as a tagged template and awaited where it is written (postgres.js,
   * `@vercel/postgres`, Bun's `sql`, prisma's `$queryRaw`: `await sql\`SELECT … WHERE id = ${id}\``):
   * the tag sends it, as `db.query(text, params)` does. (Not a template handed to something else,
   * a fragment that a query builder splices into its own statement.)
   */
  taggedSqlAccess(tagged: ts.TaggedTemplateExpression): CallAccess | undefined {
    if (!ts.isAwaitExpression(skipOuterParents(tagged).parent)) return undefined;
    return this.sqlAccess(tagged) ?? undefined;
  }

  /**
   * A prepared statement run through a chain: `db.prepare(sql).bind(id).first()`, `.get(id)`,
   * `.run(a, b)`. The outermost step is the access (its answer is what the code awaits and uses),
   * with the parameters given along the chain; `prepare` and the inner steps are none.
   */
  private preparedStatementAccess(call: ts.CallExpression): CallAccess | null | undefined {
    const up = call.parent;
    if (ts.isPropertyAccessExpression(up) && up.expression === call && STATEMENT_STEPS.has(up.name.text) && ts.isCallExpression(up.parent) && up.parent.expression === up && preparedCallOf(up.parent)) return null;
    const prepare = preparedCallOf(call);
    if (!prepare) return undefined;
    const bound: ts.Expression[] = [];
    for (let c: ts.Expression = call; c !== prepare && ts.isCallExpression(c); c = skipParens((c.expression as ts.PropertyAccessExpression).expression)) bound.unshift(...c.arguments);
    return this.sqlAccess(prepare, bound);
  }

  /**
   * A query built by chained calls that name their table: drizzle's `db.select().from(users)`,
   * `db.query.users.findFirst(…)`, `db.update(users).set({ … }).where(…)`, `db.insert(users).values(…)`,
   * Kysely's `db.selectFrom('users')`, `db.updateTable('users').set(…)`, knex's
   * `knex('users').where(…).update(…)`. The outermost call of the chain is the access (a read,
   * write or insert of the table); the calls inside it are none (null), so that `.set(…)` and
   * `.values(…)` are not taken for stores of their own. Undefined when the call is no such chain.
   */
  private queryBuilderAccess(call: ts.CallExpression, chain: CallChain): CallAccess | null | undefined {
    // Inside a chain: the outer call speaks for it.
    const up = call.parent;
    if (ts.isPropertyAccessExpression(up) && up.expression === call && ts.isCallExpression(up.parent) && up.parent.expression === up && !['then', 'catch', 'finally'].includes(up.name.text)) {
      return this.builderTable(callChain(up.parent)) ? null : undefined;
    }
    const found = this.builderTable(chain);
    if (!found) return undefined;
    const { table, methods } = found;
    const names = new Set(methods.map((m) => m.name));
    // Locked reads and deletions are safe on their own (as their SQL forms are).
    if (['for', 'forUpdate', 'forShare', 'forNoKeyUpdate', 'delete', 'deleteFrom', 'del'].some((n) => names.has(n))) return null;
    // Conflict clauses make the database decide whether the row exists: `onConflictDoNothing()`,
    // `ignore()`. An upsert (`onConflictDoUpdate({ set })`, `onDuplicateKeyUpdate({ set })`,
    // knex's `onConflict(…).merge(…)`) still stores the values it was given.
    // (So is a builder's own `upsert(row)`, the row keyed by its primary or conflict columns.)
    const upsert = names.has('onConflictDoUpdate') || names.has('onDuplicateKeyUpdate') || names.has('merge') || names.has('upsert');
    if (!upsert && [...names].some((n) => /^onConflict|^onDuplicateKey|^ignore$/.test(n))) return null;
    const where = methods.find((m) => m.name === 'where' || m.name === 'eq' || m.name === 'match' || m.name === 'findFirst' || m.name === 'findUnique' || m.name === 'findMany');
    const entry = where?.args.map((a) => a.getText(this.sourceFile)).join(', ');
    const location: SharedLocation = { key: `sql:${table}`, kind: 'store', text: table, resource: `sql:${table}`, ...(entry ? { entry } : {}) };
    const argsOf = (name: string): ts.Expression[] => methods.filter((m) => m.name === name).flatMap((m) => [...m.args]);
    // The row an insert gives: `values(v)`, or drizzle-style `insert({ … })`.
    const inserted = [...argsOf('values'), ...argsOf('insert').filter((a) => ts.isObjectLiteralExpression(skipParens(a)))];
    if (names.has('update') || names.has('updateTable')) return { mode: 'write', location, values: [...argsOf('set'), ...argsOf('update').filter((a) => ts.isObjectLiteralExpression(skipParens(a)))] };
    if (upsert) {
      // The values inserted, and those set on conflict (`{ target, set: { … } }`, knex's `merge(v)`).
      const onConflict = [...argsOf('onConflictDoUpdate'), ...argsOf('onDuplicateKeyUpdate')].flatMap((a) => {
        const o = skipParens(a);
        const set = ts.isObjectLiteralExpression(o) ? o.properties.find((q): q is ts.PropertyAssignment => ts.isPropertyAssignment(q) && ts.isIdentifier(q.name) && q.name.text === 'set') : undefined;
        return set ? [set.initializer] : [];
      });
      return { mode: 'write', location, values: [...inserted, ...onConflict, ...argsOf('merge'), ...argsOf('upsert')], upsert: true };
    }
    if (names.has('insert') || names.has('insertInto') || names.has('values')) return { mode: 'mutate', location, values: inserted };
    return isAsyncHere(call) ? { mode: 'read', location } : undefined;
  }

  /**
   * A search built on a repository and run by a terminal call: `await repo.search().where('a')
   * .equals(x).return.all()`, `await repo.createQueryBuilder('u').where(…).getMany()`,
   * `await Model.find(q).sort(s).exec()`: a read of the repository.
   */
  private searchChainRead(call: ts.CallExpression, chain: CallChain, fn: FunctionLike): CallAccess | undefined {
    const [terminal, ...inner] = chain.links;
    if (terminal?.node !== call || !SEARCH_TERMINALS.has(terminal.name) || !isAsyncHere(call)) return undefined;
    // The innermost call of the chain is the one on the repository itself.
    let first: ChainLink | undefined;
    for (const link of inner) if (link.args) first = link;
    if (!first || !SEARCH_STARTS.test(first.name)) return undefined;
    const r = skipParens(first.receiver);
    if (!(ts.isIdentifier(r) || ts.isPropertyAccessExpression(r)) || (ts.isIdentifier(r) && NOT_A_STORE.test(r.text)) || this.isLocalObject(r, fn)) return undefined;
    // Keyed as the repository's own writes are (`repo.save(x)`), see storeAccess.
    const base = this.locationOf(r, fn);
    const resource = base ? base.key : `store:${keyText(r, this.sourceFile)}`;
    return { mode: 'read', location: { key: resource, kind: 'store', text: textOf(r, this.sourceFile), resource } };
  }

  /** The table a builder chain names, and its calls from the outermost in. */
  private builderTable(chain: CallChain): { table: string; methods: { name: string; args: ts.NodeArray<ts.Expression> }[] } | undefined {
    const methods: { name: string; args: ts.NodeArray<ts.Expression> }[] = [];
    let table: string | undefined;
    const tableName = (e: ts.Expression | undefined): string | undefined => {
      const x = e && skipParens(e);
      if (!x) return undefined;
      if (ts.isStringLiteralLike(x)) return x.text.split(/\s+as\s+/i)[0].trim().toLowerCase();
      if (ts.isIdentifier(x)) return x.text.toLowerCase();
      if (ts.isPropertyAccessExpression(x)) return x.name.text.toLowerCase();
      return undefined;
    };
    // The method calls, down to a name read off a result (which then roots the chain) or to the chain's start.
    let end = chain.start;
    /** The table is named by a string (`from('orders')`), not by a value that may be anything. */
    let named = false;
    for (const link of chain.links) {
      if (!link.args) {
        end = link.node;
        break;
      }
      methods.push({ name: link.name, args: link.args });
      if (BUILDER_TABLE_METHODS.has(link.name) && tableName(link.args[0])) {
        table = tableName(link.args[0]);
        named = !!link.args[0] && ts.isStringLiteralLike(skipParens(link.args[0]));
      }
    }
    // (A handle kept in a field of the object, `this.knex('users')`: its call starts the chain.)
    if (end === chain.start && end.kind === ts.SyntaxKind.ThisKeyword && methods.length > 0) {
      const inner = chain.links[methods.length - 1];
      if (DB_HANDLE.test(inner.name) && inner.args?.length === 1 && ts.isCallExpression(inner.node)) {
        end = inner.node;
        methods.pop();
      }
    }
    let root: ts.Expression | undefined;
    /** The handle is a client something made: `createClient(url, key)` kept at module level, or a call of a factory, `admin()`. */
    let made = false;
    if (ts.isCallExpression(end)) {
      // knex: `knex('users')`, `db('users')`, `trx('users')`.
      const callee = skipParens(end.expression);
      // (The handle's call names the table: what a later `insert(row)` is handed is the row.)
      if (ts.isIdentifier(callee) && end.arguments.length === 1 && ts.isStringLiteralLike(skipParens(end.arguments[0]))) {
        table = tableName(end.arguments[0]);
        named = true;
        root = callee;
      } else if (ts.isPropertyAccessExpression(callee) && skipParens(callee.expression).kind === ts.SyntaxKind.ThisKeyword && DB_HANDLE.test(callee.name.text) && end.arguments.length === 1) {
        // (A handle kept in a field, with the table named by a string or kept in another field,
        // `this.knex(this.table)`: one table for every query of the object, named by that field.)
        const arg = skipParens(end.arguments[0]);
        if (ts.isStringLiteralLike(arg)) {
          table = tableName(arg);
          named = true;
          root = callee;
        } else if (isOwnField(arg)) {
          table = `this.${arg.name.text}`.toLowerCase();
          root = callee;
        }
      } else if (ts.isIdentifier(callee) && end.arguments.length === 0) {
        root = callee;
        made = true;
      }
    } else if (ts.isPropertyAccessExpression(end) && ts.isPropertyAccessExpression(end.expression) && end.expression.name.text === 'query' && methods.length > 0) {
      // drizzle's relational queries: `db.query.users.findFirst(…)`.
      table ??= end.name.text.toLowerCase();
      root = end.expression.expression;
    } else root = end;
    if (!table || !root) return undefined;
    // Only on something named for a database handle (not `Array.from(x).map(…)`).
    const rootName = ts.isIdentifier(root) ? root.text : ts.isPropertyAccessExpression(root) ? root.name.text : undefined;
    // A table named by a string on a client the file makes, whatever it is called (`const
    // supabase = createClient(…)`, `admin().from('orders')`), is a query too: a string is no
    // collection of values (`Array.from(items)`).
    if (!made && ts.isIdentifier(root)) {
      const b = this.scopes.resolve(root);
      const init = b && b.kind === 'const' && b.initializer ? skipParens(b.initializer) : undefined;
      // (A client a function makes for itself, `const supabase = createClient(url, key)` in a
      // request handler, with a factory of a package: a new connection to the same database, whose
      // tables every request shares. A factory of the file may make anything.)
      made = !!init && (ts.isCallExpression(init) || ts.isNewExpression(init)) && (ts.isSourceFile(b!.owner) || this.isImportedFactory(init.expression));
    }
    // (So is one on a client imported from another module, `import { supabase } from './client'`:
    // that module made it once, and every caller shares it, as a client kept at module level.)
    const imported = named && ts.isIdentifier(root) && this.isImportedFactory(root);
    if (!rootName || !(DB_HANDLE.test(rootName) || (made && named) || imported)) return undefined;
    const relational = methods.length === 1 && /^find(First|Many|Unique)/.test(methods[0].name);
    if (methods.length < 2 && !relational && !(ts.isCallExpression(end) && methods.length >= 1)) return undefined;
    return { table, methods };
  }

  /** Whether a callee is a function or class imported from another module (`import { createClient } from '…'`, `require('…').X`). */
  private isImportedFactory(callee: ts.Expression): boolean {
    const c = skipParens(callee);
    const root = ts.isPropertyAccessExpression(c) ? skipParens(c.expression) : c;
    if (!ts.isIdentifier(root)) return false;
    const b = this.scopes.resolve(root);
    if (!b) return false;
    if (b.kind === 'import') return true;
    return ts.isSourceFile(b.owner) && !!b.initializer && !!requiredModule(skipParens(ts.isPropertyAccessExpression(skipParens(b.initializer)) ? (skipParens(b.initializer) as ts.PropertyAccessExpression).expression : b.initializer));
  }

  /**
   * Whether `name` is a field of the class `self` is in, not a method: a property declaration or a
   * constructor parameter property (what it holds was handed in or made, not written in the class).
   */
  private isFunctionField(self: ts.Expression, name: string): boolean {
    const cls = thisOwner(self)?.classNode;
    if (!cls) return false;
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === name) {
        const init = m.initializer && skipParens(m.initializer);
        // (A property holding an arrow written in the class is a method in all but syntax.)
        return !(init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)));
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === name && ts.isParameterPropertyDeclaration(p, m)) return true;
      }
    }
    return false;
  }

  /**
   * An external store or service: `await redis.get(key)` … `redis.set(key, v)`,
   * `await repo.findOne(q)` … `repo.save(entity)`, `adapter.read()` … `adapter.write(data)`,
   * through any object the function did not create itself. Reads count when asynchronous.
   */
  private storeAccess(call: ts.CallExpression, receiver: ts.Expression, spelled: string, base: SharedLocation | undefined, asyncCall: boolean, fn: FunctionLike): CallAccess | undefined {
    const name = redisCommandName(spelled);
    const r = skipParens(receiver);
    if (ts.isIdentifier(r) && NOT_A_STORE.test(r.text)) return undefined;
    if (this.isLocalObject(r, fn)) return undefined;
    // A function the object was handed and keeps in a field (`this.fetch(url)` with a constructor
    // parameter `fetch: typeof fetch`): calling it reads nothing of the object it is kept on.
    if (r.kind === ts.SyntaxKind.ThisKeyword && ts.isPropertyAccessExpression(skipParens(call.expression)) && this.isFunctionField(r, (skipParens(call.expression) as ts.PropertyAccessExpression).name.text)) return undefined;
    if (this.inReadwriteTransaction(r, fn)) return undefined;
    const sf = this.sourceFile;
    if (STORE_CHECKS.test(name) && asyncCall && call.arguments.length >= 1) {
      const resource = base ? base.key : `store:${keyText(r, sf)}`;
      const keyArg = call.arguments[0];
      return { mode: 'check', location: { key: `${resource}[${keyText(keyArg, sf)}]`, kind: 'store', text: textOf(r, sf), resource, entry: textOf(keyArg, sf), literalKey: isStringKey(keyArg) } };
    }
    // Emptying all it keeps of a kind (`await db.clearEvents()`, `queue.deleteAll()`): a write of
    // nothing over everything, the store form of `this.buffer = []`.
    if (asyncCall && call.arguments.length === 0 && STORE_CLEARS.test(name)) {
      const resource = base ? base.key : `store:${keyText(r, sf)}`;
      const noun = fullResourceNoun(name, STORE_CLEARS);
      return { mode: 'write', location: { key: resource, kind: 'store', text: textOf(r, sf), resource, ...(noun && !GENERIC_STORE_NOUNS.test(noun) ? { noun } : {}) }, values: [], empties: true };
    }
    // Mongoose's `findByIdAndUpdate(id, update)` and `findOneAndReplace(filter, doc)` write the
    // record their first argument picks (the record they hand back is the written one): a write.
    const findAndWrite = FIND_AND_WRITE.test(name);
    const isRead = !findAndWrite && STORE_READ.test(name);
    const isAction = !isRead && !findAndWrite && STORE_ACTION.test(name) && (asyncCall || !base);
    const isWrite = findAndWrite || (!isRead && !isAction && STORE_WRITE.test(name));
    if (!isRead && !isWrite && !isAction) return undefined;
    const args = call.arguments.filter((a) => !ts.isArrowFunction(a) && !ts.isFunctionExpression(a));
    const resource = base ? base.key : `store:${keyText(r, sf)}`;
    // Reads are keyed by their first argument; writes by their first of two or more, except an
    // update that names its rows in options (`Model.update(values, { where })`, as in Sequelize):
    // the database picks those rows as it writes, and only the values are written.
    const where = isWrite && args.length >= 2 ? whereOption(args[1]) : undefined;
    // One object naming both (`update({ where: { id }, data: { … } })`, Prisma's and Payload's
    // form): the where picks the rows, only the data is written.
    const data = isWrite && args.length === 1 && whereOption(args[0]) ? dataOption(args[0]) : undefined;
    const oneWhere = data ? whereOption(args[0]) : undefined;
    // A read that locks its rows (Sequelize's `lock: transaction.LOCK.UPDATE`, TypeORM's
    // `lock: { mode: 'pessimistic_write' }`) is `SELECT … FOR UPDATE`: the database holds
    // the next one until this transaction ends.
    if (isRead && args[0] && lockOption(args[0])) return undefined;
    // (A read names its rows the same way: `findUnique({ where: { id } })` reads what
    // `update({ where: { id }, data })` writes.)
    const keyArg = isRead ? (args[0] && whereOption(args[0])) ?? args[0] : where ?? oneWhere ?? (args.length >= 2 ? args[0] : undefined);
    // A method that names what it reads or writes (`this.loadDataAndExport(op)`, `this.updateFileOperation(op, …)`)
    // names a resource of its own; `findOne`, `updateMany`, `getItem` name only how much.
    const noun = findAndWrite ? undefined : fullResourceNoun(name, isRead ? STORE_READ : isAction ? STORE_ACTION : STORE_WRITE);
    const location: SharedLocation = {
      key: keyArg ? `${resource}[${keyText(keyArg, sf)}]` : resource,
      kind: 'store',
      text: textOf(r, sf),
      resource,
      ...(noun && !GENERIC_STORE_NOUNS.test(noun) ? { noun } : {}),
      ...(keyArg ? { entry: textOf(keyArg, sf), literalKey: isStringKey(keyArg) } : {}),
    };
    // (Web Storage answers at once, `localStorage.getItem(k)`: held across an await, that answer is
    // as old as a variable read before it.)
    if (isRead) return asyncCall || WEB_STORAGE.test(keyText(r, sf)) ? { mode: 'read', location } : undefined;
    if (isAction) return { mode: 'mutate', location, values: args };
    // Mongo's `updateMany(filter, { $set: … })`: the filter picks the rows, like a where; only the update is written.
    const operators = !where && !data && args.length >= 2 && ts.isObjectLiteralExpression(skipParens(args[0])) && isUpdateDocument(args[1]);
    // A write keyed by its first argument (`set(key, value)`, TypeORM's `update(criteria, values)`):
    // that argument says where it writes, not what; a key taken from the read (`{ id: user.id }`)
    // does not make the value written a value derived from it.
    return { mode: 'write', location, values: where ? args.slice(0, 1) : data ? [data] : operators ? args.slice(1, 2) : keyArg && keyArg === args[0] ? args.slice(1) : args };
  }

  /** `await get(key)` … `set(key, v)` of a module imported as a get/set pair (see storeFunctions). */
  private storeFunctionAccess(call: ts.CallExpression, name: string): CallAccess | undefined {
    const f = this.storeFunctions.get(name);
    const keyArg = call.arguments[0];
    if (!f || !keyArg || ts.isSpreadElement(keyArg) || (f.verb === 'set' && call.arguments.length < 2)) return undefined;
    const sf = this.sourceFile;
    const resource = `store:${f.module}`;
    const location: SharedLocation = { key: `${resource}[${keyText(keyArg, sf)}]`, kind: 'store', text: f.module, resource, entry: textOf(keyArg, sf), literalKey: isStringKey(keyArg) };
    if (f.verb === 'get') return isAsyncHere(call) ? { mode: 'read', location } : undefined;
    return { mode: 'write', location, values: call.arguments.slice(1) };
  }

  /**
   * An async predicate from elsewhere handed a collection the function then fills
   * (`if (await isDuplicateConnection(payload, clients)) return; … clients.set(id, c)`): a check of
   * that collection, as `clients.has(id)` written inline would be. (A predicate of this file is
   * judged by its body.) Only a collection the same function calls `set` or `add` on.
   */
  private predicateOfCollection(call: ts.CallExpression, name: string, fn: FunctionLike): CallAccess | undefined {
    if (!COLLECTION_PREDICATES.test(name) || !isAsyncHere(call) || this.localFunction(call.expression)) return undefined;
    const sf = this.sourceFile;
    const body = ts.isSourceFile(fn) ? undefined : fn.body;
    if (!body) return undefined;
    for (const a of call.arguments) {
      if (ts.isSpreadElement(a)) continue;
      const arg = skipParens(a);
      if (!ts.isIdentifier(arg) && !ts.isPropertyAccessExpression(arg)) continue;
      const text = textOf(arg, sf);
      const filled = firstCallAfter(body, call, false, (n) => {
        const callee = skipParens(n.expression);
        return n.arguments.length >= 1 && ts.isPropertyAccessExpression(callee) && (callee.name.text === 'set' || callee.name.text === 'add') && textOf(skipParens(callee.expression), sf) === text;
      });
      if (!filled) continue;
      if (ts.isIdentifier(arg) && this.isLocalObject(arg, fn)) continue;
      const base = this.locationOf(arg, fn);
      const resource = base ? base.key : `store:${keyText(arg, sf)}`;
      // (Keyed by the entry it is filled under, when the predicate is handed that key too: a
      // re-check of that entry after the await, `subs.has(channel)`, then decides afresh.)
      const entryArg = filled.arguments[0];
      const key = !ts.isSpreadElement(entryArg) && call.arguments.some((x) => x !== a && !ts.isSpreadElement(x) && textOf(skipParens(x), sf) === textOf(skipParens(entryArg), sf)) ? skipParens(entryArg) : undefined;
      const whole: SharedLocation = base ? { ...base, text } : { key: resource, kind: 'store', text, resource };
      const location: SharedLocation = key ? { ...whole, key: `${resource}[${keyText(key, sf)}]`, entry: textOf(key, sf), literalKey: isStringKey(key), ...(base ? { collection: base.key } : {}) } : whole;
      return { mode: 'check', location };
    }
    return undefined;
  }

  /** A free function named for a resource: `await loadTasks()` … `saveTasks(tasks)`. */
  private resourceAccess(call: ts.CallExpression, name: string): CallAccess | undefined {
    if (NOT_STORE_FUNCTIONS.test(name)) return undefined;
    // Path helpers of the project or of a library other than fs: `if (!(await exists(p))) await create(p)`.
    // (Not a function written in this file: its body says what it does, and its parameters may
    // be anything, as in `writeFileSync(from, to)`.)
    if (call.arguments.length >= 1 && !this.isLocalFunction(call.expression)) {
      if (PATH_CHECKS.test(name)) {
        const location = this.fileLocation(call.arguments[0]);
        return location && { mode: 'check', location };
      }
      const at = FILE_CREATES.get(name) ?? (PATH_CREATES.test(name) ? 0 : undefined);
      if (at !== undefined) {
        if (hasExclusiveFlag(call.arguments.slice(FILE_WRITES.has(name) ? at + 2 : at + 1))) return undefined;
        const location = this.fileLocation(call.arguments[at]);
        return location && { mode: 'mutate', location };
      }
    }
    const isRead = STORE_READ.test(name);
    const isAction = !isRead && STORE_ACTION.test(name);
    const isWrite = !isRead && !isAction && STORE_WRITE.test(name);
    if (!isRead && !isWrite && !isAction) return undefined;
    // A function the caller was handed (`patchConfig?.(resolved)`, `async function run(save) { … }`)
    // is named for its part in this call, not for a resource: what it touches is its maker's business.
    if (ts.isIdentifier(call.expression) && this.scopes.resolve(call.expression)?.kind === 'parameter') return undefined;
    // A synchronous call named for a write whose answer is kept (`config = mergeConfig(loaded, config)`,
    // `const next = updateState(state, action)`) computes a new value from its arguments; a write to
    // a store is made for its effect, or awaited.
    if (isWrite && !isAsyncHere(call) && isKeptValue(call)) return undefined;
    // A bare `load()` … `save(state)` pair names no resource: the module's one persisted state.
    const bare = BARE_RESOURCE_VERBS.test(name) && call.arguments.length === (isRead ? 0 : 1);
    const noun = bare ? '' : resourceNoun(name, isRead ? STORE_READ : isAction ? STORE_ACTION : STORE_WRITE);
    if (noun === undefined) return undefined;
    const resource = `resource:${noun}`;
    const args = call.arguments.filter((a) => !ts.isArrowFunction(a) && !ts.isFunctionExpression(a));
    const whole = noun ? fullResourceNoun(name, isRead ? STORE_READ : isAction ? STORE_ACTION : STORE_WRITE) : undefined;
    const location: SharedLocation = { key: resource, kind: 'store', text: noun || name, resource, ...(whole ? { noun: whole } : {}) };
    // A synchronous getter returns the resource as it is now; written back after an await, it
    // overwrites what was saved meanwhile. (As a check it would be too weak a signal.)
    if (isRead) return isAsyncHere(call) ? { mode: 'read', location } : noun && call.arguments.length === 0 ? { mode: 'read', location, valueOnly: true } : undefined;
    return { mode: isAction ? 'mutate' : 'write', location, values: args };
  }
}

/** Whether a call's value (or a part of it: `mergeConfig(a, b).resolve`) is stored: a variable's initialiser, an assignment's right side, a property's value. */
function isKeptValue(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  const part = (p: ts.Node) => (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || part(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.initializer === n;
  return ts.isBinaryExpression(p) && p.right === n && isAssignmentOperator(p.operatorToken.kind);
}

/** The function a node belongs to (for nodes inside a function's own body). */
export function functionOf(node: ts.Node): FunctionLike | undefined {
  const f = enclosingFunction(node);
  return ts.isSourceFile(f) ? undefined : f;
}

/** The name of an accessor: `get conn()`, `get #conn()`, `get 'conn'()`. */
function accessorName(n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) ? n.text : undefined;
}
