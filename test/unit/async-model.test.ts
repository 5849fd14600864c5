// Unit tests of the async model the race rules share: segments (which suspension separates two
// points on some path), shared locations, concurrency sources and the safe idioms.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { buildAsyncModel, type AsyncModel } from '../../server/src/core/async/model';
import type { FunctionLike } from '../../server/src/core/async/scopes';

function model(code: string, file = 't.ts'): AsyncModel {
  return buildAsyncModel(ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS));
}

/** The first node whose text is `text`, of the given kind when asked. */
function find(m: AsyncModel, text: string, kind?: ts.SyntaxKind): ts.Node {
  let hit: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (n.getText(m.sourceFile) === text && (kind === undefined || n.kind === kind)) hit = n;
    else ts.forEachChild(n, visit);
  };
  visit(m.sourceFile);
  assert.ok(hit, `no node "${text}"`);
  return hit;
}

function fnNamed(m: AsyncModel, name: string): FunctionLike {
  const f = m.functions.find((x) => (x.node as ts.FunctionDeclaration).name?.getText() === name);
  assert.ok(f, `no async function ${name}`);
  return f.node;
}

test('segments: suspension points of async functions, generators, for-await and .then callbacks', () => {
  const m = model(`
    async function a() { await x(); for await (const y of z) {} }
    function* g() { yield 1; }
    function p() { return q().then((v) => v + 1); }
    function plain() { return 1; }`);
  const names = m.functions.map((f) => (f.node as ts.FunctionDeclaration).name?.text);
  assert.deepEqual(names, ['a', 'g', 'p']);
  assert.equal(m.functions[0].suspensions.length, 2);
});

test('segments: an await in one branch separates only on that path', () => {
  const m = model(`
    async function f(c: boolean) {
      const a = 1;
      if (c) { await x(); }
      const b = 2;
      const d = 3;
    }
    declare function x(): Promise<void>;`);
  const q = m.segments(fnNamed(m, 'f'));
  const a = find(m, 'const a = 1;');
  assert.ok(q.suspensionBetween(a, find(m, 'const b = 2;')), 'the branch with the await reaches b after it');
  assert.equal(q.suspensionBetween(find(m, 'const b = 2;'), find(m, 'const d = 3;')), undefined);
});

test('segments: an await in a loop separates one iteration from the next', () => {
  const m = model(`
    async function f(xs: number[]) {
      for (const x of xs) {
        const before = x;
        await y();
      }
    }
    declare function y(): Promise<void>;`);
  const q = m.segments(fnNamed(m, 'f'));
  const before = find(m, 'const before = x;');
  assert.ok(q.suspensionBetween(before, before), 'the next iteration runs after the await');
});

test('segments: `x += await y` reads x before the await', () => {
  const m = model(`let total = 0; export async function f() { total += await g(); } declare function g(): Promise<number>;`);
  const lu = m.races(fnNamed(m, 'f')).lostUpdates;
  assert.equal(lu.length, 1);
  assert.equal(lu[0].location.kind, 'module');
});

test('segments: `x = (await y) + x` reads x after the await', () => {
  const m = model(`let total = 0; export async function f() { total = (await g()) + total; } declare function g(): Promise<number>;`);
  assert.equal(m.races(fnNamed(m, 'f')).lostUpdates.length, 0);
});

test('segments: finally runs after a rejected await', () => {
  const m = model(`
    let n = 0;
    export async function f() {
      const cur = n;
      try { await g(); } finally { n = cur + 1; }
    }
    declare function g(): Promise<void>;`);
  assert.equal(m.races(fnNamed(m, 'f')).lostUpdates.length, 1);
});

test('shared locations: module, captured, instance, static, entries; not locals', () => {
  const m = model(`
    let mod = 0;
    const map = new Map<string, number>();
    export class C {
      static s = 0;
      x = 0;
      async f(k: string) {
        let local = 0;
        mod; map.get(k); this.x; C.s; local;
        await g();
      }
    }
    declare function g(): Promise<void>;`);
  const fn = m.functions[0].node;
  const kindOf = (text: string) => {
    const n = find(m, text) as ts.Expression;
    if (ts.isCallExpression(n)) return m.locations.callAccess(n, fn)?.location.kind;
    return m.locations.locationOf(n, fn)?.kind;
  };
  assert.equal(kindOf('mod'), 'module');
  assert.equal(kindOf('map.get(k)'), 'module');
  assert.equal(kindOf('this.x'), 'instance');
  assert.equal(kindOf('C.s'), 'static');
  assert.equal(m.locations.locationOf(find(m, 'local', ts.SyntaxKind.Identifier) as ts.Expression, fn), undefined);
});

test('shared locations: an awaited get on a store is keyed by its argument', () => {
  const m = model(`declare const redis: { get(k: string): Promise<string>; set(k: string, v: string): Promise<void> };
    export async function f(id: string) { const v = await redis.get(id); await redis.set(id, v + 1); }`);
  const lu = m.races(fnNamed(m, 'f')).lostUpdates;
  assert.equal(lu.length, 1);
  assert.equal(lu[0].location.kind, 'store');
  assert.equal(lu[0].location.entry, 'id');
});

test('concurrency: exported functions, handlers, map callbacks, unawaited loop calls, callees', () => {
  const m = model(`
    export async function exported() { await x(); }
    async function viaMap() { await x(); }
    async function inLoop() { await x(); }
    async function sequential() { await x(); }
    declare const app: { post(path: string, h: () => Promise<void>): void };
    declare const emitter: { on(e: string, h: () => Promise<void>): void };
    app.post('/a', async () => { await x(); });
    emitter.on('data', async () => { await x(); });
    async function main(items: number[]) {
      await Promise.all(items.map(() => viaMap()));
      for (const i of items) inLoop();
      await sequential();
    }
    void main([]);
    declare function x(): Promise<void>;`);
  const c = m.concurrency;
  // The kind of the source a function's concurrency comes from (through its callers).
  const kind = (name: string) => {
    let s = c.sourceOf(fnNamed(m, name));
    while (s?.via) s = s.via;
    return s?.kind;
  };
  assert.equal(kind('exported'), 'exported');
  assert.equal(kind('viaMap'), 'parallel-callback');
  assert.equal(kind('inLoop'), 'unawaited-call');
  assert.equal(kind('sequential'), undefined);
  assert.equal(kind('main'), undefined);
  const arrows = m.functions.filter((f) => ts.isArrowFunction(f.node)).map((f) => c.sourceOf(f.node)?.kind);
  assert.deepEqual(arrows, ['route-handler', 'event-handler']);
});

test('concurrency: async calls started one after another without waiting overlap', () => {
  const top = model(`
    async function twice() { await x(); }
    twice();
    twice();
    declare function x(): Promise<void>;`);
  const again = top.concurrency.sourceOf(fnNamed(top, 'twice'));
  assert.equal(again?.kind, 'unawaited-call');
  assert.match(again!.description, /started again on line 4 while the run started on line 3/);
  const m = model(`
    async function first() { await x(); }
    async function second() { await x(); }
    async function waited() { await x(); }
    async function chained() { await x(); }
    async function main() {
      const a = first();
      const b = second();
      await a;
      await b;
      const c = waited();
      await c;
      await waited();
      chained().catch(() => {});
      await x();
    }
    void main();
    declare function x(): Promise<void>;`);
  const c = m.concurrency;
  const src = (name: string) => c.taskSourceOf(fnNamed(m, name));
  // Different functions interleave with each other, but neither overlaps itself.
  assert.equal(src('first')?.kind, 'unawaited-call');
  assert.equal(src('second')?.kind, 'unawaited-call');
  assert.equal(c.sourceOf(fnNamed(m, 'first')), undefined);
  // Awaited before the next start: one run at a time; a dropped promise with nothing started after it overlaps nothing.
  assert.equal(src('waited'), undefined);
  assert.equal(src('chained'), undefined);
});

test('concurrency: callbacks under a mutex or limiter are serialized', () => {
  const m = model(`
    declare const mutex: { runExclusive<T>(f: () => Promise<T>): Promise<T> };
    declare function pLimit(n: number): <T>(f: () => Promise<T>) => Promise<T>;
    const limit = pLimit(1);
    export function a() { return mutex.runExclusive(async () => { await x(); }); }
    export function b() { return limit(async () => { await x(); }); }
    declare function x(): Promise<void>;`);
  for (const f of m.functions) assert.ok(m.concurrency.isSerialized(f.node), f.node.getText());
});

test('safe idioms: the promise-chain lock', () => {
  const m = model(`class Q { private lock = Promise.resolve(); n = 0;
    run() { this.lock = this.lock.then(async () => { const c = this.n; await x(); this.n = c + 1; }); } }
    export const q = new Q();
    declare function x(): Promise<void>;`);
  assert.equal(m.races(m.functions[0].node).lostUpdates.length, 0);
});

test('safe idioms: a flag claimed before the first await', () => {
  const m = model(`export class S { busy = false; conn?: object;
    async open() { if (this.busy) return; this.busy = true; if (!this.conn) { this.conn = await connect(); } this.busy = false; } }
    declare function connect(): Promise<object>;`);
  assert.equal(m.races(m.functions[0].node).checkThenActs.length, 0);
});

test('check-then-act: double init is found, caching the promise is not', () => {
  const m = model(`export class S { c?: object; p?: Promise<object>;
    async bad() { if (!this.c) this.c = await connect(); return this.c; }
    good() { this.p ??= connect(); return this.p; } }
    declare function connect(): Promise<object>;`);
  const all = m.functions.flatMap((f) => m.races(f.node).checkThenActs);
  assert.equal(all.length, 1);
  assert.equal(all[0].location.text, 'this.c');
});

test('segments: a .then callback is a later segment of the function that chains it', () => {
  const m = model(`declare const kv: { get(k: string): Promise<number>; set(k: string, v: number): Promise<void> };
    export function f(k: string) { return kv.get(k).then((v) => kv.set(k, v + 1)); }
    export function g(k: string) { return kv.get(k).then(() => kv.set(k, 0)); }`);
  const lu = m.races(fnNamed(m, 'f')).lostUpdates;
  assert.equal(lu.length, 1);
  assert.ok(ts.isCallExpression(lu[0].suspension), 'the suspension is the .then call');
  assert.equal(m.races(fnNamed(m, 'g')).lostUpdates.length, 0);
});

test('segments: callbacks a call runs before returning are walked in place, not as later segments', () => {
  const m = model(`declare function runInAction(f: () => void): void; declare function save(): Promise<void>;
    export class S { items: string[] = [];
      async add(t: string) { const prev = this.items; this.items = [...prev, t];
        try { await save(); } catch { runInAction(() => { this.items = prev; }); } }
      async sync() { runInAction(() => { this.items = []; }); await save(); } }`);
  const lu = m.races(m.functions[0].node).lostUpdates;
  assert.equal(lu.length, 1);
  assert.ok(lu[0].rollback, 'the write inside runInAction restores the value read before the await');
  assert.equal(m.races(m.functions[1].node).lostUpdates.length, 0);
});

test('segments: Node callbacks (error-first, e + result, completion callbacks of the file) are continuations', () => {
  const m = model(`import * as fs from 'fs';
    function walk(dir: string, done: () => void) { fs.readdir(dir, () => done()); }
    export function f(p: string) { fs.stat(p, (e, st) => { if (e) fs.mkdir(p, () => undefined); }); }
    export function g(p: string) { walk(p, () => { fs.mkdir(p, () => undefined); }); }`);
  assert.equal(m.races(fnNamed(m, 'f')).checkThenActs.length, 1);
  assert.ok(m.functions.some((x) => x.node === fnNamed(m, 'g')), 'a callback to a function that takes a completion callback is a suspension');
});

test('shared locations: slots behind setters (React hooks, contexts, store creators)', () => {
  const m = model(`declare function useState<T>(v: T): [T, (v: T) => void];
    declare function useCtx(): { user: string; setUser(u: string): void };
    declare function create<T>(f: (set: (p: Partial<T>) => void, get: () => T) => T): T;
    export function C() {
      const [items, setItems] = useState<string[]>([]);
      const { user, setUser } = useCtx();
      async function add(t: string) { await g(); setItems([...items, t]); setUser(user + t); }
      return add;
    }
    export const s = create<{ n: number; inc(): Promise<void> }>((set, get) => ({ n: 0, async inc() { const cur = get(); await g(); set({ n: cur.n + 1 }); } }));
    declare function g(): Promise<void>;`);
  const add = m.functions.find((f) => ts.isFunctionDeclaration(f.node) && f.node.name?.text === 'add')!.node;
  const lu = m.races(add).lostUpdates;
  assert.deepEqual(lu.map((l) => l.location.kind), ['slot', 'slot']);
  assert.ok(lu.every((l) => l.readLocation.snapshot), 'a hook value read after the await is the render-time snapshot');
  const inc = m.functions.find((f) => ts.isMethodDeclaration(f.node))!.node;
  assert.equal(m.races(inc).lostUpdates.length, 1);
  assert.ok(m.raceSource(inc, m.races(inc).lostUpdates[0].location), 'store actions are concurrent');
});

test('shared locations: accessors stand for the field they get and set', () => {
  const m = model(`declare const store: { getState(): { a: number }; setState(s: { a: number }): void };
    declare const subject: { getValue(): number; next(v: number): void };
    export async function f() { const s = store.getState(); await g(); store.setState({ ...s, a: 1 }); }
    export async function h() { const v = subject.getValue(); await g(); subject.next(v + 1); }
    declare function g(): Promise<void>;`);
  assert.equal(m.races(fnNamed(m, 'f')).lostUpdates[0]?.location.text, 'store.state');
  assert.equal(m.races(fnNamed(m, 'h')).lostUpdates[0]?.location.text, 'subject.value');
});

test('shared locations: SQL statements address their table; the store decides on conflict clauses and guarded updates', () => {
  const m = model(`declare const db: { query(sql: string, p?: unknown[]): Promise<{ rows: any[] }> };
    export async function f(e: string) { const r = await db.query('SELECT id FROM users WHERE email = $1', [e]); if (!r.rows.length) await db.query('INSERT INTO users (email) VALUES ($1)', [e]); }
    export async function g(e: string) { const r = await db.query('SELECT id FROM users WHERE email = $1', [e]); if (!r.rows.length) await db.query('INSERT INTO users (email) VALUES ($1) ON CONFLICT DO NOTHING', [e]); }
    export async function h(id: number, n: number) { await db.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [n, id]); }`);
  const cta = m.races(fnNamed(m, 'f')).checkThenActs;
  assert.equal(cta.length, 1);
  assert.equal(cta[0].location.key, 'sql:users');
  assert.equal(m.races(fnNamed(m, 'g')).checkThenActs.length, 0);
  const update = find(m, "db.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [n, id])") as ts.CallExpression;
  assert.equal(m.locations.callAccess(update, fnNamed(m, 'h')), undefined, 'a relative update is atomic');
});

test('check-then-act: a stale comparison is marked stale; a reset after it counts', () => {
  const m = model(`export class C { seqs = new Map<string, number>(); last = 0;
    async ack(id: string) { const seq = this.seqs.get(id); await g(); if (seq === this.last) this.seqs.delete(id); }
    async close(id: string) { if (this.seqs.has(id)) { await g(); this.seqs.delete(id); } } }
    declare function g(): Promise<void>;`);
  const [ack, close] = m.functions.map((f) => m.races(f.node).checkThenActs);
  assert.equal(ack.length, 1);
  assert.ok(ack[0].stale && ack[0].reset);
  assert.equal(close.length, 0, 'a reset after a fresh check is idempotent');
});

test('early returns: a flag claimed before the first await, state set after it, and a caller that uses it', () => {
  const m = model(`export class Db { private busy = false; client?: { q(): void };
    async init() { if (this.busy) return; this.busy = true; this.client = await connect(); }
    async query() { await this.init(); this.client!.q(); } }
    export class Poller { private busy = false; n = 0;
      async tick() { if (this.busy) return; this.busy = true; this.n = await count(); this.busy = false; } }
    declare function connect(): Promise<{ q(): void }>; declare function count(): Promise<number>;`);
  const [init, , tick] = m.functions.map((f) => f.node);
  const r = m.earlyReturnRace(init);
  assert.ok(r);
  assert.equal(r.flag.text, 'this.busy');
  assert.equal(r.uses.length, 1);
  assert.equal(r.uses[0].location.text, 'this.client');
  assert.equal(m.earlyReturnRace(tick), undefined, 'no caller relies on the poller being done');
});

test('concurrency: handlers by reference, JSX handlers, effects, registered commands, schedules, Promise executors', () => {
  const m = model(`declare const emitter: { on(e: string, h: () => Promise<void>): void };
    declare const vscode: { commands: { registerCommand(id: string, h: () => Promise<void>): void } };
    declare const cron: { schedule(s: string, h: () => Promise<void>): void };
    declare function useEffect(f: () => void): void;
    async function byRef() { await x(); }
    emitter.on('data', byRef);
    async function onClick() { await x(); }
    async function effect() { await x(); }
    export function View() { useEffect(() => { void effect(); }); return <b onClick={onClick} />; }
    vscode.commands.registerCommand('c', async () => { await x(); });
    cron.schedule('* * * * *', async () => { await x(); });
    export function wrap() { return new Promise((resolve) => { x().then(() => resolve(undefined)); }); }
    declare function x(): Promise<void>;`, 't.tsx');
  const c = m.concurrency;
  const root = (fn: ts.Node) => {
    let s = c.taskSourceOf(fn as never);
    while (s?.via) s = s.via;
    return s?.kind;
  };
  assert.equal(root(fnNamed(m, 'byRef')), 'event-handler');
  assert.equal(root(fnNamed(m, 'onClick')), 'event-handler');
  assert.equal(root(fnNamed(m, 'effect')), 'event-handler');
  const arrows = m.functions.filter((f) => ts.isArrowFunction(f.node)).map((f) => root(f.node));
  assert.deepEqual(arrows, ['event-handler', 'timer']);
  // The executor runs in place, as part of \`wrap\`: its \`.then\` is a suspension point of \`wrap\`.
  assert.equal(root(fnNamed(m, 'wrap')), 'exported');
});

test('shared locations: state behind setters of thunks, Vuex actions, reducers and getter/save pairs', () => {
  const m = model(`
    export const thunk = () => async (dispatch: any, getState: any) => { const c = getState().n; await g(); dispatch(setN(c + 1)); dispatch(loadN(c)); };
    export const actions = { async add({ state, commit }: any) { const xs = state.items; await g(); commit('SET_ITEMS', [...xs]); commit('log', xs); } };
    export class S { getPrefs() { return 1; } async savePrefs(p: number) {} async saveOther(p: number) {} }
    declare function g(): Promise<void>; declare function setN(n: number): unknown; declare function loadN(n: number): unknown;`);
  const fnOf = (text: string) => {
    let n: ts.Node = find(m, text);
    while (!ts.isArrowFunction(n) && !ts.isMethodDeclaration(n)) n = n.parent;
    return n as FunctionLike;
  };
  const thunkFn = fnOf('dispatch(setN(c + 1))');
  const write = m.locations.callAccess(find(m, 'dispatch(setN(c + 1))') as ts.CallExpression, thunkFn);
  assert.equal(write?.mode, 'write');
  assert.equal(m.locations.callAccess(find(m, 'getState()') as ts.CallExpression, thunkFn)?.location.key, write?.location.key, 'getState() reads what dispatch(setN(…)) writes');
  assert.equal(m.locations.callAccess(find(m, 'dispatch(loadN(c))') as ts.CallExpression, thunkFn), undefined, 'a request action stores no value');
  const addFn = fnOf("commit('SET_ITEMS', [...xs])");
  const commit = m.locations.callAccess(find(m, "commit('SET_ITEMS', [...xs])") as ts.CallExpression, addFn);
  assert.equal(commit?.location.key, m.locations.locationOf(find(m, 'state.items') as ts.Expression, addFn)?.key, 'commit(SET_ITEMS) writes state.items');
  assert.equal(m.locations.callAccess(find(m, "commit('log', xs)") as ts.CallExpression, addFn), undefined, 'a mutation not named for a field');
  assert.equal(m.races(thunkFn).lostUpdates.length, 1);
  assert.equal(m.races(addFn).lostUpdates.length, 1);
  const pairs = model(`
    export class S { getPrefs() { return 1; } async savePrefs(p: number) {} async saveOther(p: number) {}
      async run() { this.getPrefs(); await this.savePrefs(1); await this.saveOther(2); } }`);
  const run = pairs.functions.find((f) => ts.isMethodDeclaration(f.node) && f.node.name.getText() === 'run')!.node;
  assert.equal(pairs.locations.pairedSaveField(find(pairs, 'this.savePrefs(1)') as ts.CallExpression), 'prefs');
  assert.equal(pairs.locations.pairedSaveField(find(pairs, 'this.saveOther(2)') as ts.CallExpression), undefined, 'no getOther() in the file');
  assert.equal(pairs.locations.callAccess(find(pairs, 'this.savePrefs(1)') as ts.CallExpression, run)?.location.key, pairs.locations.callAccess(find(pairs, 'this.getPrefs()') as ts.CallExpression, run)?.location.key);
});
