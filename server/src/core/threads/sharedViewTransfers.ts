// Transfers that take more memory than the view being sent. `postMessage(msg, [view.buffer])`
// moves the whole ArrayBuffer under `view`, not the bytes the view covers: when the view is a
// window into memory other views still use (`big.subarray(a, b)`, `new Uint8Array(buf, off, n)`,
// a small Node Buffer cut from the shared 8 KiB pool, an encoder's result that lives in the
// encoder's pool), the transfer detaches all of them. The next use of a sibling view reads
// nothing, and the next Buffer.from() or encode() throws on a detached pool. Views this code
// allocated whole (`new Uint8Array(n)`, `x.slice()`, `TextEncoder.encode()`, a view over an
// ArrayBuffer the function made itself) are left alone: transferring them takes only memory the
// sender owns, and later uses of it are the use-after-transfer check's business.
import { ts } from 'ts-morph';
import { constInitializer } from './memoryAccesses';
import { calleeName, enclosingFunction, typeNameOf, type SharedBufferModel } from './sharedBuffers';
import { isConstDeclaration, returnedValues, skipOuter } from '../syntax';
import { transferSites } from './transferSites';
import { TYPED_ARRAY_NAMES } from './typedArrays';

/** Where a view's memory comes from, as far as this file shows. */
type ViewOrigin =
  | { kind: 'whole' }
  | { kind: 'unknown' }
  /** A window into `whole`, which other code keeps using. */
  | { kind: 'part'; madeBy: ts.Expression; whole: ts.Expression; site?: ts.Node }
  /** A Node Buffer that may be cut from the shared allocation pool. */
  | { kind: 'pool'; madeBy: ts.Expression; site?: ts.Node }
  /** A view returned by a library, whose extent within its buffer the file cannot see. */
  | { kind: 'library'; madeBy: ts.Expression; site?: ts.Node };

export interface SharedViewTransfer {
  transfer: ts.CallExpression | ts.NewExpression;
  /** The transfer-list entry (`data.buffer`, `message`). */
  entry: ts.Expression;
  /** The view whose ArrayBuffer is transferred, as written. */
  view: ts.Expression;
  origin: Exclude<ViewOrigin, { kind: 'whole' } | { kind: 'unknown' }>;
  /** When the report belongs at a call of a same-file helper that does the transfer: the helper's name and its transfer. */
  via?: { helper: string; inner: ts.CallExpression | ts.NewExpression };
  /** Edits that send a copy instead (or leave the entry out of the transfer list), when one is exact. */
  copy?: { description: string; edits: Array<{ start: number; end: number; text: string }> };
  /** When the transfer is `buffer.transfer()` (ArrayBuffer#transfer) rather than a transfer list. */
  bufferMethod?: boolean;
}

const WHOLE: ViewOrigin = { kind: 'whole' };
const UNKNOWN: ViewOrigin = { kind: 'unknown' };

/** Whether a declaration comes from TypeScript's own library files (lib.dom.d.ts, lib.es2015.d.ts...): built-ins allocate what they return. */
function isBuiltIn(decl: ts.Node): boolean {
  const file = decl.getSourceFile().fileName;
  return /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(file) || /[\\/]@types[\\/]node[\\/]/.test(file);
}

/** The worst of several possible origins: any window or pool wins over whole; whole needs every source whole. */
function merge(origins: ViewOrigin[]): ViewOrigin {
  const shared = origins.find((o) => o.kind === 'part' || o.kind === 'pool') ?? origins.find((o) => o.kind === 'library');
  if (shared) return shared;
  return origins.length > 0 && origins.every((o) => o.kind === 'whole') ? WHOLE : UNKNOWN;
}

class ViewOrigins {
  constructor(
    private readonly sf: ts.SourceFile,
    private readonly model: SharedBufferModel,
    private readonly checker: ts.TypeChecker,
  ) {}

  /** Where the memory of the view `expr` comes from. `scope` is the function that transfers it. */
  ofView(expr: ts.Expression, scope: ts.Node | undefined, depth = 0, seen = new Set<ts.Node>()): ViewOrigin {
    const e = skipOuter(expr);
    if (depth > 5 || seen.has(e)) return UNKNOWN;
    seen.add(e);
    if (ts.isAwaitExpression(e)) return this.ofView(e.expression, scope, depth + 1, seen);
    if (ts.isConditionalExpression(e)) return merge([this.ofView(e.whenTrue, scope, depth + 1, seen), this.ofView(e.whenFalse, scope, depth + 1, seen)]);
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return merge([this.ofView(e.left, scope, depth + 1, seen), this.ofView(e.right, scope, depth + 1, seen)]);
    }
    if (ts.isNewExpression(e)) {
      const ctor = calleeName(e.expression) ?? '';
      if (!TYPED_ARRAY_NAMES.has(ctor) && ctor !== 'DataView') return UNKNOWN;
      const args = e.arguments ?? [];
      if (args.length >= 2) return this.window(e, args[0], scope, depth, seen);
      // `new Uint8Array(arrayBuffer)` views all of that buffer; `new Uint8Array(n | array | view)` allocates.
      if (args.length === 1 && this.isBuffer(args[0])) return this.ofBuffer(args[0], scope, depth + 1, seen);
      return WHOLE;
    }
    if (ts.isCallExpression(e)) return this.ofCall(e, scope, depth, seen);
    if (ts.isIdentifier(e)) return this.ofName(e, scope, depth, seen);
    return this.byType(e);
  }

  /** A view with an offset (`new Uint8Array(buf, off, n)`): a window into `base`, unless this function allocated `base` itself. */
  private window(madeBy: ts.Expression, base: ts.Expression, scope: ts.Node | undefined, depth: number, seen: Set<ts.Node>): ViewOrigin {
    if (typeNameOf(base, this.checker) === 'SharedArrayBuffer') return UNKNOWN;
    if (this.ownedBy(base, scope, depth, seen)) return WHOLE;
    // An ArrayBuffer handed to this function: whether the caller gives it away is its API's
    // business (judged as a transferred parameter), not a window into someone's larger view.
    const b = skipOuter(base);
    const param = ts.isIdentifier(b) ? this.checker.getSymbolAtLocation(b)?.valueDeclaration : undefined;
    if (param && ts.isParameter(param)) return UNKNOWN;
    return { kind: 'part', madeBy, whole: base };
  }

  /** Whether the memory `e` (a buffer or view) was allocated whole inside `scope`, so nothing outside it shares it. */
  private ownedBy(e: ts.Expression, scope: ts.Node | undefined, depth: number, seen: Set<ts.Node>): boolean {
    const x = skipOuter(e);
    if (ts.isNewExpression(x) && calleeName(x.expression) === 'ArrayBuffer') return true;
    const root = ts.isPropertyAccessExpression(x) && x.name.text === 'buffer' ? skipOuter(x.expression) : x;
    if (!ts.isIdentifier(root)) return false;
    const decl = this.checker.getSymbolAtLocation(root)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !scope || enclosingFunction(decl) !== scope) return false;
    const origin = this.isBuffer(root) ? this.ofBuffer(root, scope, depth + 1, new Set(seen)) : this.ofView(root, scope, depth + 1, new Set(seen));
    return origin.kind === 'whole';
  }

  /** Where an ArrayBuffer comes from, as the memory of the views made over it. */
  private ofBuffer(expr: ts.Expression, scope: ts.Node | undefined, depth: number, seen: Set<ts.Node>): ViewOrigin {
    const e = skipOuter(expr);
    if (depth > 5) return UNKNOWN;
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'buffer') return this.ofView(e.expression, scope, depth + 1, seen);
    if (ts.isNewExpression(e) && calleeName(e.expression) === 'ArrayBuffer') return WHOLE;
    if (ts.isAwaitExpression(e)) return this.ofBuffer(e.expression, scope, depth + 1, seen);
    if (ts.isCallExpression(e)) {
      // `await blob.arrayBuffer()`, `buf.slice()`, `structuredClone(buf)`: new memory.
      const decl = this.calleeDeclaration(e);
      if ((decl && isBuiltIn(decl)) || calleeName(e.expression) === 'structuredClone') return WHOLE;
    }
    if (ts.isIdentifier(e)) {
      const decl = this.checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.getSourceFile() === this.sf) {
        const sources = this.valuesOf(e, decl);
        return sources.length > 0 ? merge(sources.map((s) => this.ofBuffer(s, scope, depth + 1, seen))) : UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  private ofCall(e: ts.CallExpression, scope: ts.Node | undefined, depth: number, seen: Set<ts.Node>): ViewOrigin {
    const callee = skipOuter(e.expression);
    const name = calleeName(callee) ?? '';
    if (name === 'structuredClone') return WHOLE;
    if (ts.isPropertyAccessExpression(callee)) {
      const target = skipOuter(callee.expression);
      // Node's Buffer factories: small results are cut from one shared pool (Buffer.poolSize, 8 KiB).
      if (ts.isIdentifier(target) && target.text === 'Buffer') {
        if (/^(alloc|allocUnsafeSlow)$/.test(name)) return WHOLE;
        if (name === 'from' && e.arguments.length >= 1 && this.isBuffer(e.arguments[0])) {
          return e.arguments.length >= 2 ? this.window(e, e.arguments[0], scope, depth, seen) : this.ofBuffer(e.arguments[0], scope, depth + 1, seen);
        }
        if (/^(from|allocUnsafe|concat)$/.test(name)) return { kind: 'pool', madeBy: e };
        return UNKNOWN;
      }
      const targetType = typeNameOf(target, this.checker);
      if (name === 'subarray' || (name === 'slice' && targetType === 'Buffer')) {
        // Buffer#slice is a view too (it is subarray under an older name).
        if (this.ownedBy(target, scope, depth, seen)) return WHOLE;
        return { kind: 'part', madeBy: e, whole: target };
      }
      if (name === 'slice' && (TYPED_ARRAY_NAMES.has(targetType) || isArrayBufferLike(targetType))) return WHOLE;
      if ((name === 'from' || name === 'of') && ts.isIdentifier(target) && TYPED_ARRAY_NAMES.has(target.text)) return WHOLE;
    }
    // `sub.call(target, a, b)`: a method borrowed off a prototype and called on `target`. When it
    // is a typed array's `subarray` (taken off the prototype here, or handed in by the caller, as
    // an allocator pool does with `Uint8Array.prototype.subarray`) it cuts a window out of `target`;
    // any other function may return anything (and `call` itself allocates nothing).
    if (ts.isPropertyAccessExpression(callee) && (name === 'call' || name === 'apply')) {
      const target = e.arguments[0];
      if (target && this.isWindowMethod(callee.expression, 0)) return this.ownedBy(target, scope, depth, seen) ? WHOLE : { kind: 'part', madeBy: e, whole: target };
      return UNKNOWN;
    }
    // Node's own functions returning a Buffer (readFileSync, randomBytes...) may cut it from the pool.
    if (typeNameOf(e, this.checker) === 'Buffer') return { kind: 'pool', madeBy: e };
    const decl = this.calleeDeclaration(e);
    if (decl && isBuiltIn(decl)) return WHOLE;
    const fn = decl && ts.isVariableDeclaration(decl) ? decl.initializer && this.functionValue(decl.initializer) : decl;
    if (fn && fn.getSourceFile() === this.sf && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn)) && fn.body) {
      // A same-file function: where the views it returns come from.
      const returned = returnedValues(fn);
      return returned.length > 0 ? merge(returned.map((r) => this.ofView(r, fn, depth + 1, seen))) : UNKNOWN;
    }
    // A library's declared function (a .d.ts outside TypeScript's own lib) returning a view.
    if (decl && decl.getSourceFile().isDeclarationFile && TYPED_ARRAY_NAMES.has(typeNameOf(e, this.checker))) return { kind: 'library', madeBy: e };
    return UNKNOWN;
  }

  private ofName(e: ts.Identifier, scope: ts.Node | undefined, depth: number, seen: Set<ts.Node>): ViewOrigin {
    const decl = this.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || decl.getSourceFile() !== this.sf) return this.byType(e);
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
      // `view = view.subarray(0, k)`: a value made from the variable itself adds no other memory.
      if (seen.has(decl)) return WHOLE;
      seen.add(decl);
      const sources = this.valuesOf(e, decl);
      if (sources.length === 0) return this.byType(e);
      // A module variable or a variable of an enclosing function: the memory outlives the call.
      const own = enclosingFunction(decl) === scope ? scope : undefined;
      return merge(sources.map((s) => this.ofView(s, own, depth + 1, seen)));
    }
    if (ts.isParameter(decl) && ts.isIdentifier(decl.name)) {
      // What the callers in this file pass.
      const fn = decl.parent;
      const index = fn.parameters.indexOf(decl);
      const origins: ViewOrigin[] = [];
      for (const site of this.model.callSitesOf(fn)) {
        const arg = site.arguments?.[index];
        if (!arg || site.arguments!.some(ts.isSpreadElement)) continue;
        const origin = this.ofView(arg, enclosingFunction(site), depth + 1, seen);
        origins.push(origin.kind === 'whole' || origin.kind === 'unknown' ? origin : { ...origin, site });
      }
      const shared = origins.find((o) => o.kind === 'part' || o.kind === 'pool');
      return shared ?? this.byType(e);
    }
    return this.byType(e);
  }

  /**
   * The function an initializer makes: a function expression, or the function a same-file
   * factory returns (`const alloc = pool(...)` where `pool` returns `function poolAlloc(n) {...}`).
   */
  private functionValue(init: ts.Expression): ts.Node | undefined {
    const x = skipOuter(init);
    if (ts.isFunctionExpression(x) || ts.isArrowFunction(x)) return x;
    if (!ts.isCallExpression(x)) return x;
    const factory = this.calleeDeclaration(x);
    if (!factory || factory.getSourceFile() !== this.sf || !(ts.isFunctionDeclaration(factory) || ts.isFunctionExpression(factory) || ts.isArrowFunction(factory)) || !factory.body || !ts.isBlock(factory.body)) return x;
    let made: ts.Node | undefined;
    for (const st of factory.body.statements) {
      const r = ts.isReturnStatement(st) && st.expression ? skipOuter(st.expression) : undefined;
      if (r && (ts.isFunctionExpression(r) || ts.isArrowFunction(r))) made = r;
    }
    return made ?? x;
  }

  /**
   * Whether `f` is a view method that returns a window, taken off a prototype
   * (`Uint8Array.prototype.subarray`, `Buffer.prototype.slice`): directly, through a const, or as
   * the parameter every same-file caller passes it in.
   */
  private isWindowMethod(f: ts.Expression, depth: number): boolean {
    const x = skipOuter(f);
    if (depth > 3) return false;
    if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'prototype') {
      const owner = skipOuter(x.expression.expression).getText(this.sf);
      return x.name.text === 'subarray' ? TYPED_ARRAY_NAMES.has(owner) || owner === 'Buffer' : x.name.text === 'slice' && owner === 'Buffer';
    }
    if (!ts.isIdentifier(x)) return false;
    const decl = this.checker.getSymbolAtLocation(x)?.valueDeclaration;
    if (!decl || decl.getSourceFile() !== this.sf) return false;
    if (ts.isVariableDeclaration(decl)) return !!decl.initializer && isConstDeclaration(decl) && this.isWindowMethod(decl.initializer, depth + 1);
    if (ts.isParameter(decl)) {
      const index = decl.parent.parameters.indexOf(decl);
      // Every caller passes one (a factory called with `subarray` here and `slice` there cannot tell its results apart).
      const sites = this.model.callSitesOf(decl.parent);
      return sites.length > 0 && sites.every((site) => !!site.arguments?.[index] && this.isWindowMethod(site.arguments[index], depth + 1));
    }
    return false;
  }

  /** Whether `e` is an ArrayBuffer (also `ArrayBufferLike`, the type of a view's `.buffer`), so a view made over it shares its memory. */
  private isBuffer(e: ts.Expression): boolean {
    const x = skipOuter(e);
    if (ts.isPropertyAccessExpression(x) && x.name.text === 'buffer') return true;
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(x));
    const names = type.isUnion() ? type.types.map((t) => t.symbol?.name ?? '') : [type.symbol?.name ?? ''];
    return names.some((n) => n === 'ArrayBuffer' || n === 'SharedArrayBuffer');
  }

  /** Origins known from the type alone: a Node Buffer may sit in the shared pool. */
  private byType(e: ts.Expression): ViewOrigin {
    return typeNameOf(e, this.checker) === 'Buffer' ? { kind: 'pool', madeBy: e } : UNKNOWN;
  }

  private calleeDeclaration(call: ts.CallExpression): ts.Node | undefined {
    const callee = skipOuter(call.expression);
    const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
    // Scripts (no import or export) share one global scope: a function of the same name in another
    // script merges with this one, and the checker may answer with that file's. This file's wins.
    const declarations = ts.isIdentifier(callee) ? this.checker.getSymbolAtLocation(callee)?.declarations : undefined;
    const own = declarations && declarations.length > 1 ? declarations.find((d) => d.getSourceFile() === this.sf && (ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d))) : undefined;
    if (own) return own;
    const signature = this.checker.getResolvedSignature(call);
    return signature?.declaration ?? (nameNode && this.checker.getSymbolAtLocation(nameNode)?.valueDeclaration);
  }

  /** Every value a variable is given: its initializer and its assignments. */
  private valuesOf(e: ts.Identifier, decl: ts.VariableDeclaration): ts.Expression[] {
    const out: ts.Expression[] = decl.initializer ? [decl.initializer] : [];
    const sym = this.checker.getSymbolAtLocation(e);
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(n.left)) && this.checker.getSymbolAtLocation(skipOuter(n.left)) === sym) out.push(n.right);
      ts.forEachChild(n, visit);
    };
    visit(enclosingFunction(decl) ?? this.sf);
    return out;
  }
}

function isArrayBufferLike(type: string): boolean {
  return type === 'ArrayBuffer' || type === 'ArrayBufferLike';
}

/**
 * The views whose buffer a transfer-list entry may be: `v` for `v.buffer`, and for a name bound to
 * `v.buffer` (`const message = encode(x).buffer; postMessage({ message }, [message])`) that `v`;
 * a name bound to one of several views' buffers (`whole ? v.buffer : v.subarray(a, b).buffer`,
 * `a?.buffer ?? b.buffer`) may be any of them, and each is judged.
 */
function viewsUnder(entry: ts.Expression, checker: ts.TypeChecker): Array<{ view: ts.Expression; bare?: ts.VariableDeclaration }> {
  const e = skipOuter(entry);
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'buffer') return [{ view: e.expression }];
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e, checker) ?? unchangedInitializer(e, checker);
    const bare = init?.parent as ts.VariableDeclaration | undefined;
    return init ? (bufferChoices(init) ?? []).map((view) => ({ view, bare })) : [];
  }
  return [];
}

/** The views `v` of an expression that is `v.buffer` on every branch (a conditional, `??`, `||`), or undefined when some branch is anything else. */
function bufferChoices(expr: ts.Expression, depth = 0): ts.Expression[] | undefined {
  const x = skipOuter(expr);
  if (ts.isPropertyAccessExpression(x) && x.name.text === 'buffer') return [x.expression];
  if (depth > 3) return undefined;
  const branches = ts.isConditionalExpression(x)
    ? [x.whenTrue, x.whenFalse]
    : ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)
      ? [x.left, x.right]
      : undefined;
  if (!branches) return undefined;
  const out: ts.Expression[] = [];
  for (const b of branches) {
    const views = bufferChoices(b, depth + 1);
    if (!views) return undefined;
    out.push(...views);
  }
  return out;
}

/** The initializer of a `var`/`let` that nothing assigns again (`var message = frame.buffer` in older code). */
function unchangedInitializer(e: ts.Identifier, checker: ts.TypeChecker): ts.Expression | undefined {
  const sym = checker.getSymbolAtLocation(e);
  const decl = sym?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || sym!.declarations?.length !== 1) return undefined;
  let assigned = false;
  const visit = (n: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(n.left)) && checker.getSymbolAtLocation(skipOuter(n.left)) === sym) assigned = true;
    ts.forEachChild(n, visit);
  };
  visit(enclosingFunction(decl) ?? decl.getSourceFile());
  return assigned ? undefined : decl.initializer;
}

/** Whether the message sends the bare ArrayBuffer (not the view): the receiver gets all of it, without the view's offset and length. */
function sendsBareBuffer(transfer: ts.CallExpression | ts.NewExpression, entry: ts.Expression, bare: ts.VariableDeclaration | undefined, checker: ts.TypeChecker): boolean {
  const message = transfer.arguments?.[0];
  if (!message) return false;
  const text = skipOuter(entry).getText();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && bare && checker.getSymbolAtLocation(n)?.valueDeclaration === bare) found = true;
    else if (ts.isShorthandPropertyAssignment(n) && bare && checker.getShorthandAssignmentValueSymbol(n)?.valueDeclaration === bare) found = true;
    else if (ts.isPropertyAccessExpression(n) && n.getText() === text) found = true;
    ts.forEachChild(n, visit);
  };
  visit(message);
  return found;
}

/** Transfers of a buffer that other views (or Node's Buffer pool, or a library's pool) still use. */
export function findSharedViewTransfers(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): SharedViewTransfer[] {
  const out: SharedViewTransfer[] = [];
  const origins = new ViewOrigins(sf, model, checker);
  for (const t of transferSites(sf, model, checker)) {
    // `view.buffer.transfer()` takes the memory over just as a transfer list does; only a window or a
    // pooled Buffer is then known to take memory others use (a library's view may own its buffer).
    const bufferMethod = ts.isCallExpression(t.call) && /^(transfer|transferToFixedLength)$/.test(calleeName(t.call.expression) ?? '');
    for (const entry of t.entries) {
      // A helper that transfers `param.buffer` is judged where it transfers, through its callers' arguments.
      if (t.bufferOf?.has(entry) || t.pathOf?.has(entry)) continue;
      const scope = enclosingFunction(t.call);
      for (const under of viewsUnder(entry, checker)) {
        const origin = origins.ofView(under.view, scope);
        if (origin.kind === 'whole' || origin.kind === 'unknown') continue;
        if (bufferMethod) {
          if (origin.kind === 'library') continue;
          out.push({ transfer: t.call, entry, view: under.view, origin, via: t.via, bufferMethod });
          break;
        }
        // A library's view is only known to be a problem when the bare buffer is what gets sent.
        if (origin.kind === 'library' && !sendsBareBuffer(t.via?.inner ?? t.call, entry, under.bare, checker) && !sendsBareBuffer(t.call, entry, under.bare, checker)) continue;
        out.push({ transfer: t.call, entry, view: under.view, origin, via: t.via, copy: copyEdit(entry, under, checker) });
        break;
      }
    }
  }
  return out;
}

/**
 * The exact rewrite that stops the transfer from taking shared memory: for a name bound to
 * `v.buffer`, bind it to a copy's buffer (`new Uint8Array(v).buffer`; `slice()` would not copy a
 * Node Buffer); for `v.buffer` in a literal transfer list, leave it out (the message is then
 * copied, with the view's offset intact).
 */
function copyEdit(entry: ts.Expression, under: { view: ts.Expression; bare?: ts.VariableDeclaration }, checker: ts.TypeChecker): SharedViewTransfer['copy'] {
  if (under.bare) {
    // (A buffer chosen among several views has no single copy to make.)
    if (!under.bare.initializer || !ts.isPropertyAccessExpression(skipOuter(under.bare.initializer))) return undefined;
    const init = skipOuter(under.bare.initializer) as ts.PropertyAccessExpression;
    const type = typeNameOf(init.expression, checker);
    const ctor = TYPED_ARRAY_NAMES.has(type) ? type : type === 'Buffer' ? 'Uint8Array' : undefined;
    if (!ctor) return undefined;
    return {
      description: `Transfer a copy: new ${ctor}(${init.expression.getText()}).buffer`,
      edits: [{ start: init.getStart(), end: init.getEnd(), text: `new ${ctor}(${init.expression.getText()}).buffer` }],
    };
  }
  let item: ts.Node = entry;
  while (ts.isParenthesizedExpression(item.parent) || ts.isAsExpression(item.parent)) item = item.parent;
  const list = item.parent;
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  const i = list.elements.indexOf(item as ts.Expression);
  if (i < 0) return undefined;
  const sf = list.getSourceFile();
  const start = i === 0 ? item.getStart(sf) : list.elements[i - 1].getEnd();
  const end = i === 0 && list.elements.length > 1 ? list.elements[1].getStart(sf) : item.getEnd();
  return { description: `Leave ${skipOuter(entry).getText(sf)} out of the transfer list (the message is copied instead)`, edits: [{ start, end, text: '' }] };
}

