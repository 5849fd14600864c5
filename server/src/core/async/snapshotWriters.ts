// Snapshot writers: small functions of a component or hook that write a state slot from the
// render's copy of it (`const merge = (patch) => setState({ ...state, ...patch })`,
// `const remove = (id) => setItems(items.filter((i) => i.id !== id))`), and the names they are
// called under: their own (`merge`, also through `useCallback`), or an element of what a hook of
// the file returns (`const [state, setLegacyState] = useLegacyState(init)` with
// `return [state, setLegacyState]`). The copy is as old as the render that made the closure, so
// a call made after an await writes back a value older than the await, exactly as an inline
// `setState({ ...state, user })` there would (see ./races.ts).
// Left alone: writers that hand the setter an updater, that write a value not computed from the
// copy, that write the copy unchanged, and functions that await themselves (the race data flow
// reads those directly).
import { ts } from 'ts-morph';
import { functionOfBinding, skipParens } from './flow';
import { enclosingFunction, isAsyncFunction, isFunctionLike, type Binding, type FunctionLike, type Scopes } from './scopes';
import type { LocationResolver, SharedLocation } from './sharedLocations';
import { skipOuterParents } from '../syntax';

export interface SnapshotWriter {
  /** The writer itself. */
  fn: FunctionLike;
  /** The slot it writes, as its copy reads it (a snapshot location). */
  location: SharedLocation;
  /** The read of the copy inside the value written. */
  read: ts.Identifier;
  /** The setter call. */
  write: ts.CallExpression;
}

export class SnapshotWriters {
  private byBinding?: Map<Binding, SnapshotWriter>;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly scopes: Scopes,
    private readonly locations: LocationResolver,
  ) {}

  /** The snapshot writer a call runs (`merge({ user })`, `setLegacyState({ ads })`), if any. */
  calledBy(call: ts.CallExpression): SnapshotWriter | undefined {
    const callee = skipParens(call.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    const index = this.index();
    if (index.size === 0) return undefined;
    const b = this.scopes.resolve(callee);
    return b && index.get(b);
  }

  private index(): Map<Binding, SnapshotWriter> {
    if (this.byBinding) return this.byBinding;
    const index = new Map<Binding, SnapshotWriter>();
    this.byBinding = index;
    const sf = this.sourceFile;
    // (No setter call with a spread, a copy method or an operator on a name: nothing to find.)
    if (!/\bset[A-Z_$]|\bdispatch\b/.test(sf.text)) return index;
    const writers: SnapshotWriter[] = [];
    this.scopes.forEachNode((n) => {
      if (ts.isCallExpression(n) && ts.isIdentifier(skipParens(n.expression))) {
        const w = this.writerAt(n);
        if (w) writers.push(w);
      }
    });
    if (writers.length === 0) return index;
    // The names each writer is bound to where it is made.
    const hooks = new Map<FunctionLike, Array<{ writer: SnapshotWriter; path: string | number }>>();
    for (const w of writers) {
      const own = bindingOfFunction(w.fn, this.scopes);
      if (!own) {
        // Written straight into what the hook returns: `return [state, (p) => setState({ ...state, ...p })]`.
        const at = returnedLiteralPath(w.fn);
        if (at) hooks.set(at.hook, [...(hooks.get(at.hook) ?? []), { writer: w, path: at.path }]);
        continue;
      }
      index.set(own, w);
      // Returned by the hook that made it: `return [state, merge]`, `return { state, merge }`.
      const owner = own.owner;
      if (ts.isSourceFile(owner) || !owner.body) continue;
      const path = returnedAt(owner, own.name);
      if (path === undefined) continue;
      const list = hooks.get(owner) ?? [];
      list.push({ writer: w, path });
      hooks.set(owner, list);
    }
    if (hooks.size === 0) return index;
    // The names callers of those hooks give the element: `const [state, setLegacyState] = useLegacyState(…)`.
    const callers = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && !ts.isIdentifier(n.name)) {
        const init = skipParens(n.initializer);
        const callee = ts.isCallExpression(init) ? skipParens(init.expression) : undefined;
        const hookBinding = callee && ts.isIdentifier(callee) ? this.scopes.resolve(callee) : undefined;
        const hook = hookBinding && functionOfBinding(hookBinding);
        for (const { writer, path } of (hook && hooks.get(hook)) ?? []) {
          const name = elementNamed(n.name, path);
          const b = name && this.scopes.resolve(name);
          if (b) index.set(b, writer);
        }
      }
      ts.forEachChild(n, callers);
    };
    callers(sf);
    return index;
  }

  /** The writer a setter call makes of its function: a synchronous closure writing the slot from its copy. */
  private writerAt(call: ts.CallExpression): SnapshotWriter | undefined {
    if (call.arguments.length !== 1) return undefined;
    const value = skipParens(call.arguments[0]);
    // An updater is handed the current state; a bare copy writes back nothing new.
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isIdentifier(value)) return undefined;
    const fn = enclosingFunction(call);
    if (ts.isSourceFile(fn) || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn))) return undefined;
    if (fn.asteriskToken || isAsyncFunction(fn)) return undefined;
    const access = this.locations.callAccess(call, fn);
    if (!access || access.mode !== 'write' || access.location.kind !== 'slot' || access.location.through) return undefined;
    const read = snapshotReadIn(value, access.location, fn, this.locations);
    // (Made where the copy itself is declared, the render body, it is no closure over an older render.)
    if (!read) return undefined;
    const copy = this.scopes.resolve(read);
    if (!copy || copy.owner === fn) return undefined;
    return { fn, location: this.locations.locationOf(read, fn)!, read, write: call };
  }
}

/** The read of the slot's copy inside a value (not inside a nested function), if any. */
function snapshotReadIn(value: ts.Expression, slot: SharedLocation, fn: FunctionLike, locations: LocationResolver): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) {
      const loc = locations.locationOf(n, fn);
      if (loc?.snapshot && loc.key === slot.key) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(value);
  return found;
}

/** A function as its value is used: through parentheses and a `useCallback(fn, deps)` wrapping it. */
function asUsed(fn: FunctionLike): ts.Node {
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  if (ts.isCallExpression(n.parent) && n.parent.arguments[0] === n && ts.isIdentifier(n.parent.expression) && n.parent.expression.text === 'useCallback') n = n.parent;
  return n;
}

/** The binding a function is declared under: its declaration's name, or the constant it (wrapped in `useCallback`) initialises. */
function bindingOfFunction(fn: FunctionLike, scopes: Scopes): Binding | undefined {
  // (Looked up from outside: inside, a function declaration's name is a binding of its own.)
  if (ts.isFunctionDeclaration(fn)) return fn.name && scopes.resolveName(fn.name.text, fn.parent);
  const n = asUsed(fn);
  const d = n.parent;
  if (!ts.isVariableDeclaration(d) || d.initializer !== n || !ts.isIdentifier(d.name) || !(d.parent.flags & ts.NodeFlags.Const)) return undefined;
  return scopes.resolve(d.name);
}

/** The function and place a function is returned at when it is written in the returned array or object itself. */
function returnedLiteralPath(fn: FunctionLike): { hook: FunctionLike; path: string | number } | undefined {
  const n = asUsed(fn);
  let path: string | number;
  let literal: ts.Node;
  if (ts.isArrayLiteralExpression(n.parent)) {
    path = n.parent.elements.indexOf(n as ts.Expression);
    literal = n.parent;
  } else if (ts.isPropertyAssignment(n.parent) && n.parent.initializer === n && ts.isIdentifier(n.parent.name) && ts.isObjectLiteralExpression(n.parent.parent)) {
    path = n.parent.name.text;
    literal = n.parent.parent;
  } else return undefined;
  literal = skipOuterParents(literal);
  const p = literal.parent;
  const hook = ts.isReturnStatement(p) ? enclosingFunction(p) : ts.isArrowFunction(p) && p.body === literal ? p : undefined;
  return hook && !ts.isSourceFile(hook) ? { hook, path } : undefined;
}

/** Where a function returns a name: the index in a returned array, the key in a returned object. */
function returnedAt(owner: FunctionLike, name: string): string | number | undefined {
  let at: string | number | undefined;
  const inValue = (e: ts.Expression): void => {
    const x = skipParens(e);
    if (ts.isArrayLiteralExpression(x)) {
      x.elements.forEach((el, i) => {
        if (ts.isIdentifier(el) && el.text === name) at = i;
      });
    } else if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) at = name;
        else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isIdentifier(skipParens(p.initializer)) && (skipParens(p.initializer) as ts.Identifier).text === name) at = p.name.text;
      }
    }
  };
  const body = owner.body!;
  if (!ts.isBlock(body)) {
    inValue(body);
    return at;
  }
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) inValue(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return at;
}

/** The name a destructuring gives the element at `path` (an index of an array pattern, a key of an object pattern). */
function elementNamed(pattern: ts.BindingName, path: string | number): ts.Identifier | undefined {
  if (typeof path === 'number') {
    if (!ts.isArrayBindingPattern(pattern)) return undefined;
    const el = pattern.elements[path];
    return el && ts.isBindingElement(el) && !el.dotDotDotToken && ts.isIdentifier(el.name) ? el.name : undefined;
  }
  if (!ts.isObjectBindingPattern(pattern)) return undefined;
  for (const el of pattern.elements) {
    const key = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : undefined) : ts.isIdentifier(el.name) ? el.name.text : undefined;
    if (key === path && ts.isIdentifier(el.name)) return el.name;
  }
  return undefined;
}
