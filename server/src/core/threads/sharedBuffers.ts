// Which values in one file are views of memory that another thread can touch, and where that
// other thread got hold of it.
//
// A buffer is tracked from its root: a `new SharedArrayBuffer(...)` in this file (shared only
// once it is handed to a worker: `workerData`, `postMessage`, a worker pool, or code in another
// module), a value this thread received from another one (`workerData`, the data of a 'message'
// event), or a declaration whose type says SharedArrayBuffer (`Int32Array<SharedArrayBuffer>`).
// Values flow through variables, object properties, destructuring, `.buffer`, `subarray()`,
// typed-array constructors, same-file calls and returns; the analysis is flow-insensitive and
// runs a few passes to a fixpoint. Anything it cannot follow is simply not tracked: a miss,
// never a guess.
import { ts } from 'ts-morph';
import { isConstDeclaration, returnedValues, skipOuter } from '../syntax';
import { TYPED_ARRAY_NAMES } from './typedArrays';
import { assignedFunctionOf, untypedCallee } from './untypedCalls';

export type BufferRootKind = 'created' | 'received' | 'declared';

/** Where memory became reachable from another thread. */
export interface SharingPoint {
  node: ts.Node;
  kind: 'worker' | 'post' | 'escape' | 'workerData' | 'message' | 'declared';
  /** What the memory is, as a phrase that follows "`view` is": "shared memory passed to the worker created at line 12". */
  description: string;
}

export interface BufferRoot {
  kind: BufferRootKind;
  node: ts.Node;
  sharing: SharingPoint[];
}

/**
 * 'event': a MessageEvent whose `.data` was received; 'unknown': received data of any shape;
 * 'memory': a shared `WebAssembly.Memory`, whose `.buffer` is a SharedArrayBuffer.
 */
export type ValueShape = 'buffer' | 'view' | 'event' | 'unknown' | 'memory';

export interface TrackedValue {
  root: BufferRoot;
  shape: ValueShape;
  /** The typed-array constructor of a view, when known. */
  elementType?: string;
}

const WORKER_THREADS_MODULE = /^(node:)?worker_threads$/;
const LENGTH_NAME = /^(n|len|length|size|count|num|total|capacity|cap)$|(Length|Size|Count|Len|Total|Capacity)$|^num[A-Z_]/;
const THREAD_CHANNEL_TYPES = new Set(['Worker', 'MessagePort', 'BroadcastChannel', 'DedicatedWorkerGlobalScope', 'WorkerGlobalScope', 'SharedWorker']);
const NODE_LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const MAX_DEPTH = 8;
const MAX_PASSES = 4;

export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** The name a `new`/call callee ends with: `Worker` for `new wt.Worker(...)`. */
export function calleeName(callee: ts.Expression): string | undefined {
  const e = skipOuter(callee);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The name of an expression's type, null and undefined aside: `Uint8Array`, `Buffer`, `ArrayBuffer`; '' when it has none. */
export function typeNameOf(e: ts.Expression, checker: ts.TypeChecker): string {
  return checker.getNonNullableType(checker.getTypeAtLocation(e)).symbol?.name ?? '';
}

/** `Atomics.op(...)` → 'op'. */
export function atomicsOp(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuter(node.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Atomics') return callee.name.text;
  if (ts.isIdentifier(callee)) return atomicsAliases(node.getSourceFile()).get(callee.text);
  return undefined;
}

const aliasesByFile = new WeakMap<ts.SourceFile, Map<string, string>>();

/**
 * Local names for Atomics operations: `const { compareExchange, wait } = Atomics`,
 * `const cas = Atomics.compareExchange`. Found by text (scopes are not tracked: such aliases
 * are module-level in practice).
 */
function atomicsAliases(sf: ts.SourceFile): Map<string, string> {
  let map = aliasesByFile.get(sf);
  if (map) return map;
  map = new Map();
  if (/=\s*Atomics\b/.test(sf.text)) {
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer) {
        const init = skipOuter(n.initializer);
        if (ts.isIdentifier(init) && init.text === 'Atomics' && ts.isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements) {
            const op = el.propertyName ?? el.name;
            if (ts.isIdentifier(op) && ts.isIdentifier(el.name)) map!.set(el.name.text, op.text);
          }
        } else if (ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'Atomics' && ts.isIdentifier(n.name)) {
          map!.set(n.name.text, init.name.text);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  aliasesByFile.set(sf, map);
  return map;
}

export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && 'body' in n && (n as ts.FunctionLikeDeclaration).body) return n;
  }
  return undefined;
}

/** Whether a node is a function with a body of its own: a declaration, expression, arrow, method, constructor or accessor. */
export function isFunctionNode(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n);
}

function memberName(expr: ts.Expression): { base: ts.Expression; name: string; nameNode: ts.Node } | undefined {
  const e = skipOuter(expr);
  if (ts.isPropertyAccessExpression(e)) return { base: e.expression, name: e.name.text, nameNode: e.name };
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
    return { base: e.expression, name: e.argumentExpression.text, nameNode: e.argumentExpression };
  }
  return undefined;
}

function isRequireOf(expr: ts.Expression | undefined, module: RegExp): boolean {
  if (!expr) return false;
  const e = skipOuter(expr);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require') {
    const arg = e.arguments[0];
    return !!arg && ts.isStringLiteralLike(arg) && module.test(arg.text);
  }
  if (ts.isPropertyAccessExpression(e)) return isRequireOf(e.expression, module);
  return false;
}

export class SharedBufferModel {
  private readonly byKey = new Map<string, TrackedValue[]>();
  private readonly createdRoots = new Map<ts.Node, BufferRoot>();
  private readonly declaredRoots = new Map<ts.Node, BufferRoot>();
  private workerDataRoot: BufferRoot | undefined;
  private readonly flows: Flow[] = [];
  private readonly memberFlows: MemberFlow[] = [];
  private readonly flowsByTarget = new Map<string, Flow[]>();
  private readonly returning = new Set<ts.Expression>();
  private readonly exportedNames = new Set<string>();
  /** Calls and `new`s of the file by the name they call, and the file's functions by name. */
  private readonly callsByName = new Map<string, Array<ts.CallExpression | ts.NewExpression>>();
  private readonly functionsByName = new Map<string, ts.FunctionLikeDeclaration[]>();
  /** Return expressions of named functions: relevance flows from them to the function's name. */
  private readonly returnFlows: Array<{ name: string; source: ts.Expression }> = [];
  private readonly callSites = new Map<ts.Node, Array<ts.CallExpression | ts.NewExpression>>();
  private readonly resolved = new Map<ts.Node, ts.FunctionLikeDeclaration | undefined>();
  /**
   * Names (of variables, parameters, properties, functions) that can hold shared memory, found
   * by name alone before any type is asked: only these are followed with the checker, which
   * keeps large files (bundles) cheap.
   */
  private readonly relevant = new Set<string>(['workerData', 'SharedArrayBuffer', 'Memory']);
  /**
   * The same, precise: identifiers by symbol (`s:`), properties by name (`p:`), globals by name
   * (`n:`). Names alone would make every `e` and `data` of a bundle relevant.
   */
  private readonly relevantKeys = new Set<string>(['n:workerData', 'n:SharedArrayBuffer', 'p:workerData', 'p:Memory']);
  /** Declaration names and expressions that start relevance: SAB-typed declarations, message handler parameters, Atomics arguments. */
  private readonly seeds: ts.Node[] = [];
  private readonly symbolIds = new Map<ts.Symbol, number>();
  private changed = false;
  /** Whether every SharedArrayBuffer created in this file is shared: then a declared SAB type is trusted. */
  private createdAllShared = true;
  /** The places this thread receives messages: handler function → description of the sender. */
  private readonly messageHandlers = new Map<ts.Node, { root: BufferRoot; channel: ts.Expression | undefined; style: 'event' | 'payload' }>();
  /** `new Worker(...)` (and pools) in this file. */
  readonly workerCreations: ts.NewExpression[] = [];

  constructor(
    readonly sourceFile: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
  ) {
    this.collect(sourceFile);
    this.closeRelevance();
    const flows = this.flows.filter((f) => this.relevant.has(f.name) && this.targetKeys(f.target).some((k) => this.relevantKeys.has(k)));
    const memberFlows = this.memberFlows.filter((f) => this.relevant.has(f.target.name.getText(sourceFile)) && this.targetKeys(f.target).some((k) => this.relevantKeys.has(k)));
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      this.changed = false;
      for (const f of memberFlows) if (this.flowApplies(f.via)) this.addAll(this.declKey(f.target), this.memberFlowValues(f.base, f.name));
      for (const f of flows) if (this.flowApplies(f.via)) this.addAll(this.targetKey(f.target), this.valuesOf(f.source));
      if (!this.changed) break;
    }
    this.findSharing();
    for (const root of this.createdRoots.values()) if (root.sharing.length === 0) this.createdAllShared = false;
  }

  // -------------------------------------------------------------------------------------------
  // Keys: one string per storage location a view can live in.

  private declKey(decl: ts.Node): string {
    const file = decl.getSourceFile();
    return `${file === this.sourceFile ? '' : file.fileName}@${decl.pos}:${decl.end}`;
  }

  private declOf(node: ts.Node): ts.Declaration | undefined {
    const sym = this.checker.getSymbolAtLocation(node);
    if (!sym) return undefined;
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      const value = this.checker.getShorthandAssignmentValueSymbol(node.parent);
      return value?.declarations?.[0];
    }
    return sym.declarations?.[0];
  }

  /** Whether a member declaration belongs to one object (so its key is the declaration). */
  private static isOwnedMember(decl: ts.Node): boolean {
    return (
      ts.isPropertyAssignment(decl) ||
      ts.isShorthandPropertyAssignment(decl) ||
      ts.isPropertyDeclaration(decl) ||
      ts.isParameter(decl) ||
      (ts.isBinaryExpression(decl) && decl.operatorToken.kind === ts.SyntaxKind.EqualsToken) ||
      (ts.isPropertyAccessExpression(decl) && decl.expression.kind === ts.SyntaxKind.ThisKeyword)
    );
  }

  /** The storage key of an expression that names a location (variable, property, received path). */
  keyOf(expr: ts.Expression): string | undefined {
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      if (this.isWorkerDataRef(e)) return 'workerData';
      const decl = this.declOf(e);
      return decl ? this.declKey(decl) : undefined;
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    const member = memberName(e);
    if (member) {
      if (member.name === 'workerData' && this.isWorkerDataRef(e)) return 'workerData';
      const decl = this.declOf(member.nameNode);
      if (decl && SharedBufferModel.isOwnedMember(decl) && decl.getSourceFile() === this.sourceFile) return this.declKey(decl);
      const base = this.keyOf(member.base);
      return base ? `${base}.${member.name}` : undefined;
    }
    return undefined;
  }

  /**
   * The key that groups element accesses into locations. Like `keyOf`, except that parameters
   * are grouped by name: `produce(control)` and `consume(control)` of one module are written
   * against the same memory, and the race is between them.
   */
  locationKeyOf(expr: ts.Expression): string | undefined {
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      const decl = this.declOf(e);
      if (decl && ts.isParameter(decl) && ts.isIdentifier(decl.name) && decl.getSourceFile() === this.sourceFile) return `param:${e.text}`;
      const field = decl && this.aliasedField(decl);
      if (field) return field;
    }
    return this.fieldKeyOf(e) ?? this.keyOf(e);
  }

  /**
   * Fields of a record type declared in this file (`interface Ring { header: Int32Array }`,
   * a type literal) are grouped like class fields: `push(ring)` and `drain(ring)` reach the same
   * memory through `ring.header`, whatever each function calls its parameter.
   */
  private fieldKeyOf(e: ts.Expression): string | undefined {
    const member = memberName(e);
    if (!member) return undefined;
    const decl = this.declOf(member.nameNode);
    return decl ? this.recordFieldKey(decl) : undefined;
  }

  private recordFieldKey(decl: ts.Node): string | undefined {
    if (!ts.isPropertySignature(decl) || decl.getSourceFile() !== this.sourceFile) return undefined;
    return `field:${this.declKey(decl)}`;
  }

  /**
   * A const name for a field of a record (`const header = ring.header`,
   * `const { header } = ring`) names that field's memory.
   */
  private aliasedField(decl: ts.Node): string | undefined {
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer && isConstDeclaration(decl)) {
      return this.fieldKeyOf(skipOuter(decl.initializer));
    }
    if (ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && !decl.dotDotDotToken) {
      const owner = decl.parent.parent;
      if (!ts.isVariableDeclaration(owner) || !owner.initializer || !isConstDeclaration(owner)) return undefined;
      const name = decl.propertyName ?? decl.name;
      if (!ts.isIdentifier(name)) return undefined;
      const prop = this.checker.getTypeAtLocation(owner.initializer).getProperty(name.text);
      const field = prop?.declarations?.[0];
      return field ? this.recordFieldKey(field) : undefined;
    }
    return undefined;
  }

  /** The parameter (of a function of this file, not a rest parameter) an identifier names. */
  parameterOf(expr: ts.Expression): (ts.ParameterDeclaration & { parent: ts.FunctionLikeDeclaration }) | undefined {
    const e = skipOuter(expr);
    const decl = ts.isIdentifier(e) ? this.declOf(e) : undefined;
    if (!decl || !ts.isParameter(decl) || decl.dotDotDotToken || !ts.isIdentifier(decl.name) || decl.getSourceFile() !== this.sourceFile || !isFunctionNode(decl.parent)) return undefined;
    return decl as ts.ParameterDeclaration & { parent: ts.FunctionLikeDeclaration };
  }

  private targetKey(target: ts.Node): string | undefined {
    if (ts.isVariableDeclaration(target) || ts.isBindingElement(target) || ts.isParameter(target) || ts.isPropertyDeclaration(target) || ts.isPropertyAssignment(target) || ts.isShorthandPropertyAssignment(target)) {
      return this.declKey(target);
    }
    if (ts.isExpression(target)) return this.keyOf(target);
    return undefined;
  }

  private addAll(key: string | undefined, values: TrackedValue[]): void {
    if (!key || values.length === 0) return;
    const list = this.byKey.get(key) ?? [];
    for (const v of values) {
      if (!list.some((o) => o.root === v.root && o.shape === v.shape && o.elementType === v.elementType)) {
        list.push(v);
        this.changed = true;
      }
    }
    this.byKey.set(key, list);
  }

  // -------------------------------------------------------------------------------------------
  // Collection: the flows, handlers, workers and exports of the file.

  private addFlow(target: ts.Node, source: ts.Expression, via?: Flow['via']): void {
    const name = targetName(target);
    if (!name) return;
    const flow: Flow = { target, source, name, via };
    this.flows.push(flow);
    const list = this.flowsByTarget.get(name);
    if (list) list.push(flow);
    else this.flowsByTarget.set(name, [flow]);
  }

  private collect(sf: ts.SourceFile): void {
    const mentionsSab = sf.text.includes('SharedArrayBuffer');
    const visit = (node: ts.Node): void => {
      if (isFunctionNode(node) && node.body) {
        const name = functionName(node);
        if (name) {
          const list = this.functionsByName.get(name) ?? [];
          list.push(node);
          this.functionsByName.set(name, list);
          for (const r of returnedValues(node)) this.returnFlows.push({ name, source: r });
        }
      }
      if (mentionsSab && (ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isPropertySignature(node) || ts.isVariableDeclaration(node)) && ts.isIdentifier(node.name)) {
        const typeNode = node.type ?? ts.getJSDocType(node);
        if (typeNode && /\bSharedArrayBuffer\b/.test(typeNode.getText(sf))) {
          this.relevant.add(node.name.text);
          this.seeds.push(node);
        }
      }
      if (ts.isVariableDeclaration(node) && node.initializer) {
        if (ts.isIdentifier(node.name)) this.addFlow(node, node.initializer);
        else this.collectPattern(node.name, node.initializer);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        if (!ts.isObjectLiteralExpression(node.left) && !ts.isArrayLiteralExpression(node.left)) this.addFlow(node.left, node.right);
        const left = skipOuter(node.left);
        const name = ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : undefined;
        if (name === 'onmessage') this.addHandler(node.right, ts.isPropertyAccessExpression(left) ? left.expression : undefined, 'event');
        if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && (left.expression.text === 'exports' || left.expression.text === 'module')) {
          this.markEscaping(node.right);
        }
      } else if ((ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && node.initializer) {
        this.addFlow(node, node.initializer);
      } else if (ts.isShorthandPropertyAssignment(node)) {
        this.addFlow(node, node.name);
      } else if (ts.isParameter(node) && node.initializer) {
        this.addFlow(node, node.initializer);
      } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        this.collectCall(node);
      } else if (ts.isExportAssignment(node)) {
        this.markEscaping(node.expression);
      } else if (ts.isExportSpecifier(node)) {
        this.exportedNames.add((node.propertyName ?? node.name).text);
      }
      if (ts.isReturnStatement(node) && node.expression) {
        const fn = enclosingFunction(node);
        if (fn && this.isExported(fn)) this.markEscaping(node.expression);
      }
      if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
        if (this.isExported(node)) this.markEscaping(node.body);
      }
      if (ts.isVariableStatement(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        for (const d of node.declarationList.declarations) if (d.initializer) this.markEscaping(d.initializer);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    // `export { view }` names a declaration already visited.
    if (this.exportedNames.size > 0) {
      const visitExported = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && this.exportedNames.has(node.name.text) && node.initializer) {
          this.markEscaping(node.initializer);
        }
        if (!isFunctionNode(node)) ts.forEachChild(node, visitExported);
      };
      visitExported(sf);
    }
    // Arguments flow into the parameters of same-file functions of the called name; whether the
    // call really reaches that function is asked of the checker only for relevant flows.
    for (const [name, calls] of this.callsByName) {
      const fns = this.functionsByName.get(name);
      if (!fns) continue;
      for (const call of calls) {
        const args = call.arguments ?? [];
        for (const fn of fns) {
          fn.parameters.forEach((p, i) => {
            const arg = args[i];
            if (!arg || p.dotDotDotToken) return;
            if (ts.isIdentifier(p.name)) this.addFlow(p, arg, { call, fn });
            else this.collectPattern(p.name, arg, { call, fn });
          });
        }
      }
    }
  }

  private symbolKey(sym: ts.Symbol): string {
    let id = this.symbolIds.get(sym);
    if (id === undefined) {
      id = this.symbolIds.size + 1;
      this.symbolIds.set(sym, id);
    }
    return `s:${id}`;
  }

  /** The relevance key of an identifier that names a value (not a property name). */
  private identifierKey(id: ts.Identifier): string {
    if (id.text === 'workerData' || id.text === 'SharedArrayBuffer') return `n:${id.text}`;
    const parent = id.parent;
    const sym = ts.isShorthandPropertyAssignment(parent) && parent.name === id ? this.checker.getShorthandAssignmentValueSymbol(parent) : this.checker.getSymbolAtLocation(id);
    return sym ? this.symbolKey(sym) : `n:${id.text}`;
  }

  /** The keys a flow target is stored under: a variable's symbol, a property's name (both for parameter properties). */
  private targetKeys(target: ts.Node): string[] {
    if (ts.isVariableDeclaration(target) || ts.isBindingElement(target) || ts.isParameter(target) || ts.isFunctionDeclaration(target)) {
      const name = target.name;
      if (!name || !ts.isIdentifier(name)) return [];
      const sym = this.checker.getSymbolAtLocation(name);
      const keys = sym ? [this.symbolKey(sym)] : [];
      if (ts.isParameter(target)) keys.push(`p:${name.text}`);
      return keys;
    }
    if (ts.isPropertyDeclaration(target) || ts.isPropertyAssignment(target) || ts.isShorthandPropertyAssignment(target) || ts.isPropertySignature(target) || ts.isMethodDeclaration(target)) {
      const name = targetName(target) ?? (target.name && (ts.isIdentifier(target.name) || ts.isStringLiteralLike(target.name)) ? target.name.text : undefined);
      return name ? [`p:${name}`] : [];
    }
    if (ts.isExpression(target)) {
      const e = skipOuter(target);
      if (ts.isIdentifier(e)) return [this.identifierKey(e)];
      const member = memberName(e);
      return member ? [`p:${member.name}`] : [];
    }
    return [];
  }

  /** Relevance keys mentioned by an expression (not inside nested functions), resolving only names already relevant by name. */
  private keysIn(node: ts.Node): string[] {
    const out: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        if (!this.relevant.has(n.text)) return;
        const parent = n.parent;
        if ((ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n) || (ts.isBindingElement(parent) && parent.propertyName === n)) out.push(`p:${n.text}`);
        else out.push(this.identifierKey(n));
        return;
      }
      if (ts.isStringLiteralLike(n) && ts.isElementAccessExpression(n.parent) && this.relevant.has(n.text)) out.push(`p:${n.text}`);
      if (isFunctionNode(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  }

  /** The key a function is called by. */
  private functionKey(fn: ts.FunctionLikeDeclaration): string | undefined {
    const name = functionName(fn);
    if (!name) return undefined;
    if (ts.isFunctionDeclaration(fn)) return this.targetKeys(fn)[0];
    if (ts.isConstructorDeclaration(fn)) return ts.isClassDeclaration(fn.parent) && fn.parent.name ? this.identifierKey(fn.parent.name) : undefined;
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent)) return this.targetKeys(parent)[0];
    return `p:${name}`;
  }

  /** Grows the relevant names to a fixpoint: a flow whose source mentions one makes its target one. */
  private closeRelevance(): void {
    const bySource = new Map<string, Array<{ name: string }>>();
    const index = (source: ts.Node, name: string) => {
      for (const n of namesIn(source)) {
        const list = bySource.get(n);
        if (list) list.push({ name });
        else bySource.set(n, [{ name }]);
      }
    };
    for (const f of this.flows) index(f.source, f.name);
    for (const f of this.memberFlows) index(f.base, f.target.name.getText(this.sourceFile));
    for (const r of this.returnFlows) index(r.source, r.name);
    const work = [...this.relevant];
    while (work.length > 0) {
      const name = work.pop()!;
      for (const t of bySource.get(name) ?? []) {
        if (!this.relevant.has(t.name)) {
          this.relevant.add(t.name);
          work.push(t.name);
        }
      }
    }
    this.closeRelevantKeys();
  }

  /** The precise pass, over the flows the name pass kept. */
  private closeRelevantKeys(): void {
    const bySource = new Map<string, string[][]>();
    const index = (source: ts.Node, targets: () => string[]) => {
      const keys = this.keysIn(source);
      if (keys.length === 0) return;
      const t = targets();
      for (const k of keys) {
        const list = bySource.get(k);
        if (list) list.push(t);
        else bySource.set(k, [t]);
      }
    };
    for (const f of this.flows) if (this.relevant.has(f.name)) index(f.source, () => this.targetKeys(f.target));
    for (const f of this.memberFlows) if (this.relevant.has(f.target.name.getText(this.sourceFile))) index(f.base, () => this.targetKeys(f.target));
    for (const r of this.returnFlows) {
      if (!this.relevant.has(r.name)) continue;
      const fn = enclosingFunction(r.source) ?? (isFunctionNode(r.source.parent) ? r.source.parent : undefined);
      const key = fn && isFunctionNode(fn) ? this.functionKey(fn) : undefined;
      if (key) index(r.source, () => [key]);
    }
    for (const seed of this.seeds) {
      if (ts.isParameter(seed) || ts.isVariableDeclaration(seed) || ts.isPropertyDeclaration(seed) || ts.isPropertySignature(seed)) {
        if (ts.isIdentifier(seed.name)) for (const k of this.targetKeys(seed)) this.relevantKeys.add(k);
        else for (const el of namesIn(seed.name)) this.relevantKeys.add(`p:${el}`);
        if (ts.isParameter(seed) && ts.isObjectBindingPattern(seed.name)) {
          for (const el of seed.name.elements) if (ts.isIdentifier(el.name)) for (const k of this.targetKeys(el)) this.relevantKeys.add(k);
        }
      } else {
        for (const k of this.keysIn(seed)) this.relevantKeys.add(k);
      }
    }
    const work = [...this.relevantKeys];
    while (work.length > 0) {
      const key = work.pop()!;
      for (const targets of bySource.get(key) ?? []) {
        for (const t of targets) {
          if (!this.relevantKeys.has(t)) {
            this.relevantKeys.add(t);
            work.push(t);
          }
        }
      }
    }
  }

  /** Whether an expression names something that can hold shared memory (decided before any type is asked). */
  mentionsRelevant(expr: ts.Expression): boolean {
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) return this.relevant.has(e.text) && this.relevantKeys.has(this.identifierKey(e));
    if (e.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (ts.isPropertyAccessExpression(e)) return this.relevantKeys.has(`p:${e.name.text}`) || this.mentionsRelevant(e.expression);
    if (ts.isElementAccessExpression(e)) return (ts.isStringLiteralLike(e.argumentExpression) && this.relevantKeys.has(`p:${e.argumentExpression.text}`)) || this.mentionsRelevant(e.expression);
    if (ts.isCallExpression(e)) return this.mentionsRelevant(e.expression);
    return false;
  }

  /** Whether a parameter flow's call really calls the function it was collected for. */
  private flowApplies(via: Flow['via']): boolean {
    if (!via) return true;
    return this.resolve(via.call) === via.fn;
  }

  private resolve(call: ts.CallExpression | ts.NewExpression): ts.FunctionLikeDeclaration | undefined {
    if (!this.resolved.has(call)) this.resolved.set(call, this.localFunction(call.expression, ts.isNewExpression(call)));
    return this.resolved.get(call);
  }

  private collectPattern(pattern: ts.BindingName, source: ts.Expression, via?: Flow['via']): void {
    // Only one level: `const { sab, id } = workerData`. Nested patterns are not followed.
    if (!ts.isObjectBindingPattern(pattern)) return;
    for (const el of pattern.elements) {
      if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
      const prop = el.propertyName ?? el.name;
      if (ts.isIdentifier(prop) || ts.isStringLiteralLike(prop)) this.memberFlows.push({ target: el, base: source, name: prop.text, via });
    }
  }

  private collectCall(node: ts.CallExpression | ts.NewExpression): void {
    const args = node.arguments ?? ts.factory.createNodeArray();
    const callee = skipOuter(node.expression);
    const name = calleeName(callee);
    // Handlers of messages from another thread.
    if (ts.isCallExpression(node) && name && args.length >= 2 && ts.isStringLiteralLike(args[0]) && args[0].text === 'message') {
      const channel = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      if (name === 'addEventListener') this.addHandler(args[1], channel, 'event');
      else if (NODE_LISTENER_METHODS.has(name)) this.addHandler(args[1], channel, 'payload');
    }
    if (ts.isNewExpression(node) && name && this.isWorkerConstructor(node)) this.workerCreations.push(node);
    if (name) {
      const list = this.callsByName.get(name);
      if (list) list.push(node);
      else this.callsByName.set(name, [node]);
    }
    if (op(node) && args[0]) {
      for (const n of namesIn(args[0])) this.relevant.add(n);
      this.seeds.push(args[0]);
    }
  }

  private isWorkerConstructor(node: ts.NewExpression): boolean {
    const name = calleeName(node.expression);
    if (name === 'Worker' || name === 'SharedWorker') return true;
    // Worker pools (Piscina, Tinypool, ...) take the same `workerData` option.
    return (node.arguments ?? []).some((a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'workerData'));
  }

  /** The function-like declaration in this file that a callee names. */
  private localFunction(callee: ts.Expression, isNew: boolean): ts.FunctionLikeDeclaration | undefined {
    const e = skipOuter(callee);
    if (isFunctionNode(e)) return e;
    const nameNode = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
    if (!nameNode) return undefined;
    const sym = this.checker.getSymbolAtLocation(nameNode);
    // Plain JavaScript: a method of the objects an untyped array holds, a function assigned to a namespace's property.
    if (!sym && !isNew && ts.isCallExpression(callee.parent) && callee.parent.expression === callee) return untypedCallee(callee.parent, this.checker);
    for (const d of sym?.declarations ?? []) {
      if (d.getSourceFile() !== this.sourceFile) continue;
      if (isNew && ts.isClassLike(d)) {
        const ctor = d.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
        if (ctor) return ctor;
      }
      if (isFunctionNode(d) && d.body) return d;
      if (ts.isVariableDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer;
      const assigned = !isNew ? assignedFunctionOf(d) : undefined;
      if (assigned) return assigned;
    }
    return undefined;
  }

  private addHandler(handlerExpr: ts.Expression | undefined, channel: ts.Expression | undefined, style: 'event' | 'payload'): void {
    if (!handlerExpr) return;
    if (channel && !this.isThreadChannel(channel)) return;
    const fn = this.localFunction(handlerExpr, false);
    if (!fn || this.messageHandlers.has(fn)) return;
    const from = this.senderOf(channel);
    const root: BufferRoot = {
      kind: 'received',
      node: fn,
      sharing: [{ node: fn, kind: 'message', description: `shared memory received in the 'message' handler at line ${lineOf(fn)} from ${from}` }],
    };
    this.messageHandlers.set(fn, { root, channel, style });
    const first = fn.parameters[0];
    if (!first) return;
    const value: TrackedValue = { root, shape: style === 'event' ? 'event' : 'unknown' };
    for (const n of namesIn(first.name)) this.relevant.add(n);
    this.seeds.push(first);
    if (ts.isIdentifier(first.name)) {
      this.byKey.set(this.declKey(first), [value]);
    } else if (ts.isObjectBindingPattern(first.name)) {
      for (const el of first.name.elements) {
        const prop = el.propertyName ?? el.name;
        if (!ts.isIdentifier(el.name) || !ts.isIdentifier(prop)) continue;
        if (style === 'payload' || prop.text === 'data') this.byKey.set(this.declKey(el), [{ root, shape: 'unknown' }]);
      }
    }
  }

  /** Whether a receiver of `.on('message')`/`.onmessage` is a thread channel (not a socket). */
  private isThreadChannel(channel: ts.Expression): boolean {
    const e = skipOuter(channel);
    if (ts.isIdentifier(e) && (e.text === 'self' || e.text === 'globalThis' || e.text === 'parentPort')) return true;
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'parentPort') return true;
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(e));
    if (type.flags & ts.TypeFlags.Any) return /port|worker|parent|channel/i.test(e.getText(this.sourceFile));
    const names = type.isUnion() ? type.types.map((t) => t.symbol?.name) : [type.symbol?.name];
    return names.some((n) => !!n && THREAD_CHANNEL_TYPES.has(n));
  }

  private senderOf(channel: ts.Expression | undefined): string {
    if (!channel) return 'the parent thread';
    const e = skipOuter(channel);
    if (ts.isIdentifier(e) && (e.text === 'self' || e.text === 'globalThis' || e.text === 'parentPort')) return 'the parent thread';
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'parentPort') return 'the parent thread';
    const creation = this.workerCreationOf(e);
    if (creation) return `the worker created at line ${lineOf(creation)}`;
    return `the other end of \`${e.getText(this.sourceFile)}\``;
  }

  /** The `new Worker(...)` an expression refers to, when it is a variable or property initialized with one. */
  workerCreationOf(expr: ts.Expression): ts.NewExpression | undefined {
    const e = skipOuter(expr);
    if (ts.isNewExpression(e)) return this.isWorkerConstructor(e) ? e : undefined;
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const decl = this.declOf(ts.isIdentifier(e) ? e : e.name);
      if (decl && decl.getSourceFile() === this.sourceFile) {
        if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
          const init = skipOuter(decl.initializer);
          if (ts.isNewExpression(init) && this.isWorkerConstructor(init)) return init;
        }
      }
      // Assigned later: `this.worker = new Worker(...)`, `worker = new Worker(...)`.
      const key = this.keyOf(e);
      if (key) for (const w of this.workerCreations) {
        const parent = skipParentsUp(w);
        if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && this.keyOf(parent.left) === key) return w;
      }
    }
    return undefined;
  }

  /** `workerData` from node:worker_threads (imported, required, or as a property of the module). */
  isWorkerDataRef(node: ts.Node): boolean {
    if (ts.isPropertyAccessExpression(node)) {
      return node.name.text === 'workerData' && node.expression.kind !== ts.SyntaxKind.ThisKeyword && !ts.isObjectLiteralExpression(node.parent);
    }
    if (!ts.isIdentifier(node) || node.text !== 'workerData') return false;
    const parent = node.parent;
    if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return false;
    if (ts.isImportSpecifier(parent) || ts.isBindingElement(parent)) return false;
    const sym = this.checker.getSymbolAtLocation(node);
    const decl = sym?.declarations?.[0];
    if (!decl) return true;
    if (ts.isImportSpecifier(decl)) {
      const spec = decl.parent.parent.parent.moduleSpecifier;
      return ts.isStringLiteralLike(spec) && WORKER_THREADS_MODULE.test(spec.text);
    }
    if (ts.isBindingElement(decl)) {
      let d: ts.Node = decl;
      while (ts.isBindingElement(d) || ts.isObjectBindingPattern(d)) d = d.parent;
      return ts.isVariableDeclaration(d) && isRequireOf(d.initializer, WORKER_THREADS_MODULE);
    }
    if (ts.isVariableDeclaration(decl)) return isRequireOf(decl.initializer, WORKER_THREADS_MODULE);
    return false;
  }

  private isExported(fn: ts.Node): boolean {
    for (let n: ts.Node | undefined = fn; n && !ts.isSourceFile(n); n = n.parent) {
      if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
      if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name && this.exportedNames.has(n.name.text)) return true;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && this.exportedNames.has(n.name.text)) return true;
    }
    return false;
  }

  private markEscaping(expr: ts.Expression): void {
    this.returning.add(expr);
  }

  // -------------------------------------------------------------------------------------------
  // Values

  private createdRoot(node: ts.NewExpression): BufferRoot {
    let root = this.createdRoots.get(node);
    if (!root) {
      root = { kind: 'created', node, sharing: [] };
      this.createdRoots.set(node, root);
    }
    return root;
  }

  private getWorkerDataRoot(node: ts.Node): BufferRoot {
    this.workerDataRoot ??= {
      kind: 'received',
      node,
      sharing: [{ node, kind: 'workerData', description: `shared memory received through workerData (line ${lineOf(node)}) from the thread that started this worker` }],
    };
    return this.workerDataRoot;
  }

  private readonly inProgress = new Set<ts.Node>();

  /** The tracked values an expression may evaluate to. */
  valuesOf(expr: ts.Expression, depth = 0): TrackedValue[] {
    if (depth > MAX_DEPTH) return [];
    const e = skipOuter(expr);
    if (ts.isNewExpression(e)) {
      const name = calleeName(e.expression);
      if (name === 'SharedArrayBuffer') return [{ root: this.createdRoot(e), shape: 'buffer' }];
      // `new WebAssembly.Memory({ initial, maximum, shared: true })`: wasm threads' shared heap.
      if (name === 'Memory' && isSharedWasmMemory(e)) return [{ root: this.createdRoot(e), shape: 'memory' }];
      if (name && TYPED_ARRAY_NAMES.has(name) && e.arguments?.[0]) {
        const out: TrackedValue[] = [];
        for (const v of this.valuesOf(e.arguments[0], depth + 1)) {
          if (v.shape === 'buffer' || (v.shape === 'unknown' && this.mayBeReceivedBuffer(e.arguments[0], e))) {
            out.push({ root: v.root, shape: 'view', elementType: name });
          }
        }
        return out;
      }
      return [];
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      if (!this.mentionsRelevant(e)) return [];
      const out: TrackedValue[] = [];
      if (this.isWorkerDataRef(e)) out.push(...(this.sentWhole(e) ?? [{ root: this.getWorkerDataRoot(e), shape: 'unknown' as const }]));
      const key = this.keyOf(e);
      if (key) out.push(...(this.byKey.get(key) ?? []));
      const member = memberName(e);
      if (member && !this.isWorkerDataRef(e)) {
        const sent = this.isWorkerDataRef(skipOuter(member.base)) ? this.sentAs(member.name, member.base) : undefined;
        out.push(...(sent ?? this.memberValues(this.valuesOf(member.base, depth + 1), member.name)));
      }
      // An element of an array literal kept in a name (`const views = [new Int32Array(sab)]`,
      // `this.channels = [new Float32Array(a), new Float32Array(b)]`): any of the elements.
      if (out.length === 0 && ts.isElementAccessExpression(e) && !ts.isStringLiteralLike(e.argumentExpression)) out.push(...this.arrayElementValues(e.expression, depth));
      if (out.length === 0) out.push(...this.declaredBuffer(e));
      return dedupe(out);
    }
    if (ts.isCallExpression(e)) {
      const callee = skipOuter(e.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'subarray') {
        return this.valuesOf(callee.expression, depth + 1).filter((v) => v.shape === 'view');
      }
      const fn = this.mentionsRelevant(callee) ? this.resolve(e) : undefined;
      if (fn && fn.body && !this.inProgress.has(fn)) {
        this.inProgress.add(fn);
        try {
          const out: TrackedValue[] = [];
          for (const r of returnedValues(fn)) out.push(...this.valuesOf(r, depth + 1));
          return dedupe(out);
        } finally {
          this.inProgress.delete(fn);
        }
      }
      return [];
    }
    if (ts.isConditionalExpression(e)) return dedupe([...this.valuesOf(e.whenTrue, depth + 1), ...this.valuesOf(e.whenFalse, depth + 1)]);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        return dedupe([...this.valuesOf(e.left, depth + 1), ...this.valuesOf(e.right, depth + 1)]);
      }
      if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return this.valuesOf(e.right, depth + 1);
    }
    return [];
  }

  /** The values of the elements of the array literals a name is given (only when every assignment is one). */
  private arrayElementValues(holder: ts.Expression, depth: number): TrackedValue[] {
    const sources = this.assignedSources(holder);
    if (!sources || sources.length === 0) return [];
    const literals = sources.map((src) => skipOuter(src));
    if (!literals.every(ts.isArrayLiteralExpression)) return [];
    const out: TrackedValue[] = [];
    for (const literal of literals as ts.ArrayLiteralExpression[]) {
      for (const el of literal.elements) if (!ts.isSpreadElement(el) && !ts.isOmittedExpression(el)) out.push(...this.valuesOf(el, depth + 1));
    }
    return out;
  }

  /**
   * What a field of `workerData` holds, when this file also starts the worker
   * (`new Worker(__filename, { workerData: { counts, id } })`): the worker's `workerData.counts`
   * is the same memory as the sender's `counts`, shared with the thread that sent it. A field
   * the sender fills with something untracked (a number, a plain array: copied) is not shared.
   * Undefined when no sender in this file names the field.
   */
  private sentAs(field: string, at: ts.Node): TrackedValue[] | undefined {
    if (this.resolvingSent) return undefined;
    this.resolvingSent = true;
    try {
      return this.sentAsNow(field, at);
    } finally {
      this.resolvingSent = false;
    }
  }

  private sentAsNow(field: string, at: ts.Node): TrackedValue[] | undefined {
    const sent = this.workerDataFields(field);
    if (sent.length === 0) return undefined;
    const out: TrackedValue[] = [];
    for (const value of sent) {
      for (const v of this.valuesOf(value)) {
        if (v.root.kind === 'created' && (v.shape === 'view' || v.shape === 'buffer')) out.push({ root: this.getWorkerDataRoot(at), shape: v.shape, elementType: v.elementType });
      }
    }
    return dedupe(out);
  }

  /** The values the workers this file starts are given under `field` in their workerData literal. */
  private workerDataFields(field: string): ts.Expression[] {
    const out: ts.Expression[] = [];
    for (const creation of this.workerCreations) {
      const value = propertyValue(this.workerDataLiteral(creation), field);
      if (value) out.push(value);
    }
    return out;
  }

  /**
   * What `workerData` itself is, when a worker started in this file is given a view or buffer
   * directly (`new Worker(__filename, { workerData: counts })`). Undefined when no sender in
   * this file passes one.
   */
  private sentWhole(at: ts.Node): TrackedValue[] | undefined {
    // A sender that forwards `workerData` itself (`{ workerData: this.options.workerData }`) would recurse.
    if (this.resolvingSent) return undefined;
    this.resolvingSent = true;
    try {
      return this.sentWholeNow(at);
    } finally {
      this.resolvingSent = false;
    }
  }

  private resolvingSent = false;

  private sentWholeNow(at: ts.Node): TrackedValue[] | undefined {
    const out: TrackedValue[] = [];
    for (const creation of this.workerCreations) {
      if (this.workerDataLiteral(creation)) continue;
      const value = workerDataOption(creation);
      if (!value) continue;
      for (const v of this.valuesOf(value)) {
        if (v.root.kind === 'created' && (v.shape === 'view' || v.shape === 'buffer')) out.push({ root: this.getWorkerDataRoot(at), shape: v.shape, elementType: v.elementType });
      }
    }
    return out.length > 0 ? dedupe(out) : undefined;
  }

  /**
   * The expressions the workers this file starts are given as their whole workerData (`new
   * Worker(__filename, { workerData: sab })`): what `workerData` is in the other half of the file.
   * Empty when a creation passes an object literal or nothing.
   */
  workerDataSentWhole(): ts.Expression[] {
    const out: ts.Expression[] = [];
    for (const creation of this.workerCreations) {
      if (this.workerDataLiteral(creation)) return [];
      const value = workerDataOption(creation);
      if (!value) return [];
      out.push(value);
    }
    return out;
  }

  private workerDataLiteral(creation: ts.NewExpression): ts.ObjectLiteralExpression | undefined {
    return this.objectLiteralBehind(workerDataOption(creation));
  }

  /** The object literal an expression is, written in place or as the initializer of the variable it names. */
  private objectLiteralBehind(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    let value = expr && skipOuter(expr);
    if (value && ts.isIdentifier(value)) {
      const decl = this.declOf(value);
      value = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
    }
    return value && ts.isObjectLiteralExpression(value) ? value : undefined;
  }

  private memberValues(base: TrackedValue[], name: string): TrackedValue[] {
    const out: TrackedValue[] = [];
    for (const b of base) {
      if ((b.shape === 'view' || b.shape === 'memory') && name === 'buffer') out.push({ root: b.root, shape: 'buffer' });
      else if (b.shape === 'event' && name === 'data') out.push({ root: b.root, shape: 'unknown' });
      else if (b.shape === 'unknown') out.push({ root: b.root, shape: 'unknown' });
    }
    return out;
  }

  /**
   * Whether `new XArray(arg)` over received data wraps a buffer (shared when it is a
   * SharedArrayBuffer) rather than making a fresh array from a length or copying an array.
   */
  private mayBeReceivedBuffer(arg: ts.Expression, construction: ts.NewExpression): boolean {
    if ((construction.arguments?.length ?? 0) >= 2) return true;
    const type = this.checker.getTypeAtLocation(arg);
    if (!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      return this.typeMentionsSharedArrayBuffer(type);
    }
    const e = skipOuter(arg);
    const last = ts.isIdentifier(e) ? e.text : memberName(e)?.name;
    return !(last && LENGTH_NAME.test(last));
  }

  private typeMentionsSharedArrayBuffer(type: ts.Type): boolean {
    if (type.isUnion()) return type.types.some((t) => this.typeMentionsSharedArrayBuffer(t));
    return type.symbol?.name === 'SharedArrayBuffer';
  }

  // `const { name } = base`: what the property holds.
  private memberFlowValues(base: ts.Expression, name: string): TrackedValue[] {
    const sent = this.isWorkerDataRef(skipOuter(base)) ? this.sentAs(name, base) : undefined;
    const out = sent ?? this.memberValues(this.valuesOf(base), name);
    const baseKey = this.keyOf(base);
    if (baseKey) out.push(...(this.byKey.get(`${baseKey}.${name}`) ?? []));
    // `const { counts } = state` where `state = { counts: view }`: the property's declaration.
    const type = this.checker.getTypeAtLocation(base);
    const prop = type.getProperty(name);
    const decl = prop?.declarations?.[0];
    if (decl && decl.getSourceFile() === this.sourceFile && SharedBufferModel.isOwnedMember(decl)) out.push(...(this.byKey.get(this.declKey(decl)) ?? []));
    return dedupe(out);
  }

  // -------------------------------------------------------------------------------------------
  // Sharing

  private findSharing(): void {
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && this.isWorkerConstructor(node)) {
        const value = workerDataOption(node);
        if (value) this.share(value, { node, kind: 'worker', description: `shared memory passed to ${this.workerPhrase(node)}` });
      } else if (ts.isCallExpression(node)) {
        const callee = skipOuter(node.expression);
        const name = calleeName(callee);
        if (name === 'postMessage' && node.arguments[0]) {
          const channel = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
          const creation = channel && this.workerCreationOf(channel);
          const to = creation ? this.workerPhrase(creation) : channel ? this.senderOf(channel) : 'the parent thread';
          this.share(node.arguments[0], { node, kind: 'post', description: `shared memory posted (line ${lineOf(node)}) to ${to}` });
        } else if ((name === 'run' || name === 'exec' || name === 'runTask') && ts.isPropertyAccessExpression(callee) && node.arguments[0]) {
          const creation = this.workerCreationOf(callee.expression);
          if (creation) this.share(node.arguments[0], { node, kind: 'post', description: `shared memory sent to the worker pool created at line ${lineOf(creation)}` });
        } else if (this.createdRoots.size > 0 && node.arguments.some((a) => this.mentionsRelevant(a)) && this.isCrossModuleCall(callee)) {
          for (const arg of node.arguments) {
            this.share(arg, { node, kind: 'escape', description: `shared memory passed to \`${callee.getText(this.sourceFile)}\` at line ${lineOf(node)}, which can hand it to other threads` });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(this.sourceFile);
    for (const expr of this.returning) {
      this.share(expr, { node: expr, kind: 'escape', description: `shared memory exported from this module at line ${lineOf(expr)}, so other modules can hand it to threads` });
    }
  }

  private workerPhrase(creation: ts.NewExpression): string {
    const name = calleeName(creation.expression) ?? 'Worker';
    const inLoop = isInLoop(creation);
    const what = name === 'Worker' || name === 'SharedWorker' ? (inLoop ? 'the workers' : 'the worker') : `the ${name} pool`;
    return `${what} created at line ${lineOf(creation)}`;
  }

  /** Whether a call hands its arguments to code in another module of the project. */
  private isCrossModuleCall(callee: ts.Expression): boolean {
    const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (!nameNode) return false;
    let sym = this.checker.getSymbolAtLocation(nameNode);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (!decl) return false;
    const file = decl.getSourceFile();
    if (file === this.sourceFile || file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return false;
    return true;
  }

  private share(expr: ts.Expression, point: SharingPoint): void {
    for (const v of this.deepValues(expr, 0, new Set())) {
      if (v.root.kind !== 'created') continue;
      if (!v.root.sharing.some((s) => s.node === point.node)) v.root.sharing.push(point);
    }
  }

  /** Values an expression carries, looking inside object and array literals (a message payload). */
  private deepValues(expr: ts.Expression, depth: number, seen: Set<ts.Node>): TrackedValue[] {
    if (depth > MAX_DEPTH || seen.has(expr)) return [];
    seen.add(expr);
    const e = skipOuter(expr);
    const out = [...this.valuesOf(e)];
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p)) out.push(...this.deepValues(p.initializer, depth + 1, seen));
        else if (ts.isShorthandPropertyAssignment(p)) out.push(...this.deepValues(p.name, depth + 1, seen));
        else if (ts.isSpreadAssignment(p)) out.push(...this.deepValues(p.expression, depth + 1, seen));
      }
    } else if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) out.push(...this.deepValues(ts.isSpreadElement(el) ? el.expression : el, depth + 1, seen));
    } else if ((ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && this.mentionsRelevant(e)) {
      const decl = this.declOf(ts.isIdentifier(e) ? e : e.name);
      const init = decl && (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) ? decl.initializer : undefined;
      if (init && decl!.getSourceFile() === this.sourceFile) out.push(...this.deepValues(init, depth + 1, seen));
      if (decl && ts.isParameter(decl) && decl.getSourceFile() === this.sourceFile) {
        // A parameter carries whatever same-file callers pass.
        const fn = decl.parent;
        const index = fn.parameters.indexOf(decl);
        for (const site of this.callSitesOf(fn)) {
          const arg = site.arguments?.[index];
          if (arg) out.push(...this.deepValues(arg, depth + 1, seen));
        }
      }
      // `this.state = { view }` assigned elsewhere.
      const name = ts.isIdentifier(e) ? e.text : e.name.text;
      const key = this.flowsByTarget.has(name) ? this.keyOf(e) : undefined;
      if (key) for (const f of this.flowsByTarget.get(name) ?? []) {
        if (!ts.isExpression(f.target) || this.keyOf(f.target) !== key) continue;
        const src = skipOuter(f.source);
        if (ts.isObjectLiteralExpression(src) || ts.isArrayLiteralExpression(src)) out.push(...this.deepValues(src, depth + 1, seen));
      }
    } else if (ts.isCallExpression(e)) {
      const fn = this.mentionsRelevant(e.expression) ? this.resolve(e) : undefined;
      if (fn?.body) {
        for (const r of returnedValues(fn)) out.push(...this.deepValues(r, depth + 1, seen));
      }
    }
    return dedupe(out);
  }

  // -------------------------------------------------------------------------------------------
  // Queries for rules

  /**
   * The shared views an expression may be: tracked values of shape 'view', received values
   * proven to be typed arrays by `provenTypedArray`, or a declared SharedArrayBuffer type.
   */
  sharedViewsOf(expr: ts.Expression, provenTypedArray: boolean): TrackedValue[] {
    const values = this.valuesOf(expr);
    const views = values.filter((v) => v.shape === 'view' || (v.shape === 'unknown' && v.root.kind === 'received' && (provenTypedArray || this.isTypedArrayType(expr))));
    if (views.length > 0) return views;
    if (values.some((v) => v.root.kind === 'created')) return [];
    return this.declaredView(expr);
  }

  /** The typed-array constructor name of a view expression, from the values or the checker. */
  elementTypeOf(expr: ts.Expression, values: TrackedValue[]): string | undefined {
    const fromValues = new Set(values.map((v) => v.elementType).filter((t): t is string => !!t));
    if (fromValues.size === 1) return [...fromValues][0];
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(expr));
    const name = type.symbol?.name;
    return name && TYPED_ARRAY_NAMES.has(name) ? name : undefined;
  }

  private isTypedArrayType(expr: ts.Expression): boolean {
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(expr));
    const name = type.symbol?.name;
    return !!name && TYPED_ARRAY_NAMES.has(name);
  }

  /** A view whose declared type says its buffer is a SharedArrayBuffer (`Int32Array<SharedArrayBuffer>`). */
  private declaredView(expr: ts.Expression): TrackedValue[] {
    // A local `new SharedArrayBuffer` that never leaves this thread would make the type a lie
    // about sharing; only trust the type when every buffer created here is shared.
    if (!this.createdAllShared) return [];
    const e = skipOuter(expr);
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(e));
    const name = type.symbol?.name;
    if (!name || !TYPED_ARRAY_NAMES.has(name)) return [];
    const args = (type as ts.TypeReference).target ? this.checker.getTypeArguments(type as ts.TypeReference) : [];
    if (!args.some((a) => a.symbol?.name === 'SharedArrayBuffer')) return [];
    const nameNode = ts.isIdentifier(e) ? e : memberName(e)?.nameNode;
    const decl = nameNode ? this.declOf(nameNode) : undefined;
    return [{ root: this.declaredRootAt(decl ?? e, 'a view of a SharedArrayBuffer'), shape: 'view', elementType: name }];
  }

  /**
   * A parameter, property or variable whose written type is SharedArrayBuffer
   * (`constructor(readonly sab: SharedArrayBuffer)`, `@param {SharedArrayBuffer} sab`).
   */
  private declaredBuffer(e: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression): TrackedValue[] {
    const nameNode = ts.isIdentifier(e) ? e : memberName(e)?.nameNode;
    const decl = nameNode && this.declOf(nameNode);
    if (!decl || !(ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl) || ts.isVariableDeclaration(decl))) return [];
    const typeNode = decl.type ?? ts.getJSDocType(decl);
    if (!typeNode || !/\bSharedArrayBuffer\b/.test(typeNode.getText())) return [];
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(e));
    if (!this.typeMentionsSharedArrayBuffer(type)) return [];
    return [{ root: this.declaredRootAt(decl, 'a SharedArrayBuffer'), shape: 'buffer' }];
  }

  private declaredRootAt(decl: ts.Node, what: string): BufferRoot {
    let root = this.declaredRoots.get(decl);
    if (!root) {
      const where = decl.getSourceFile() === this.sourceFile ? ` (line ${lineOf(decl)})` : '';
      root = { kind: 'declared', node: decl, sharing: [{ node: decl, kind: 'declared', description: `declared as ${what}${where}, memory that other threads hold too` }] };
      this.declaredRoots.set(decl, root);
    }
    return root;
  }

  /**
   * A view used with Atomics whose origin this file does not show (a parameter, a property):
   * Atomics on it say it is memory shared with other threads.
   */
  atomicsEvidenceView(expr: ts.Expression, firstAtomicUse: ts.Node): TrackedValue[] {
    const e = skipOuter(expr);
    const nameNode = ts.isIdentifier(e) ? e : memberName(e)?.nameNode;
    const decl = nameNode && this.declOf(nameNode);
    if (!decl) return [];
    // A local typed array built here (`new Int32Array(16)`) is this thread's own memory.
    if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
      const init = skipOuter(decl.initializer);
      if (ts.isNewExpression(init) || ts.isArrayLiteralExpression(init) || ts.isCallExpression(init)) return [];
    }
    if (this.valuesOf(e).some((v) => v.root.kind === 'created')) return [];
    let root = this.declaredRoots.get(firstAtomicUse);
    if (!root) {
      root = {
        kind: 'declared',
        node: firstAtomicUse,
        sharing: [{ node: firstAtomicUse, kind: 'declared', description: `memory used with Atomics (line ${lineOf(firstAtomicUse)}), so shared with other threads` }],
      };
      this.declaredRoots.set(firstAtomicUse, root);
    }
    return [{ root, shape: 'view', elementType: this.elementTypeOf(e, []) }];
  }

  /**
   * Everything this file stores into the location an expression names (`this.flag = ...`, the
   * initializer of a field or a variable), not counting arguments bound to parameters. Undefined
   * when the location has no key.
   */
  assignedSources(expr: ts.Expression): ts.Expression[] | undefined {
    const key = this.keyOf(expr);
    const name = targetName(expr);
    if (!key || !name) return undefined;
    const out: ts.Expression[] = [];
    for (const f of this.flowsByTarget.get(name) ?? []) if (!f.via && this.targetKey(f.target) === key) out.push(f.source);
    return out;
  }

  /** The same-file call sites of a function, if any were seen. */
  callSitesOf(fn: ts.Node): ReadonlyArray<ts.CallExpression | ts.NewExpression> {
    let sites = this.callSites.get(fn);
    if (!sites) {
      const name = isFunctionNode(fn) ? functionName(fn) : undefined;
      sites = name ? (this.callsByName.get(name) ?? []).filter((c) => this.resolve(c) === fn) : [];
      this.callSites.set(fn, sites);
    }
    return sites;
  }

  /** Whether an expression is received from another thread (workerData or message data), at any depth. */
  isReceivedData(expr: ts.Expression): boolean {
    return this.valuesOf(expr).some((v) => v.root.kind === 'received' && (v.shape === 'unknown' || v.shape === 'event'));
  }

  /**
   * When a file holds both halves of a protocol, what one thread reads as a field of the data it
   * received (`e.data.flag`, `workerData.flag`) is what the other half of this file sent under
   * that name: the expressions of `flag` in the workerData literals of the workers it starts, or
   * in the object literals it posts on a channel whose far end is the receiving handler's (a
   * handler on `self`/`parentPort` hears what is posted to a Worker, one on a Worker hears what
   * the worker posts to its parent). Undefined when the expression is no such field or no
   * sender in this file names it.
   */
  sentCounterparts(expr: ts.Expression): ts.Expression[] | undefined {
    const member = memberName(expr);
    if (!member || (this.messageHandlers.size === 0 && this.workerCreations.length === 0)) return undefined;
    if (!this.sentMemo.has(expr)) this.sentMemo.set(expr, this.sentCounterpartsNow(member));
    return this.sentMemo.get(expr);
  }

  private readonly sentMemo = new Map<ts.Expression, ts.Expression[] | undefined>();

  private sentCounterpartsNow(member: { base: ts.Expression; name: string }): ts.Expression[] | undefined {
    const base = skipOuter(member.base);
    const field = member.name;
    if (this.isWorkerDataRef(base)) {
      const sent = this.workerDataFields(field);
      return sent.length > 0 ? sent : undefined;
    }
    const roots = this.valuesOf(base).filter((v) => v.shape === 'unknown' && v.root.kind === 'received').map((v) => v.root);
    const handlers = [...this.messageHandlers.values()].filter((h) => roots.includes(h.root));
    if (handlers.length === 0) return undefined;
    const inWorker = (channel: ts.Expression | undefined) => !channel || isParentChannel(channel);
    const out: ts.Expression[] = [];
    for (const call of this.callsByName.get('postMessage') ?? []) {
      const callee = skipOuter(call.expression);
      const channel = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      // A thread does not hear its own posts: not on `self` twice, not on the same Worker or port object.
      const hears = (h: { channel: ts.Expression | undefined }) =>
        !(inWorker(h.channel) && inWorker(channel)) && !(h.channel && channel && skipOuter(h.channel).getText(this.sourceFile) === skipOuter(channel).getText(this.sourceFile));
      if (!handlers.some(hears)) continue;
      const value = propertyValue(this.objectLiteralBehind(call.arguments?.[0]), field);
      if (value) out.push(value);
    }
    return out.length > 0 ? out : undefined;
  }
}

/** The value of a named property in an object literal: `{ flag: x }` or `{ flag }`. */
function propertyValue(literal: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  const prop = literal?.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === name);
  return prop && (ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined);
}

/** `self`, `globalThis`, `parentPort`: the worker's end of the channel to the thread that started it. */
function isParentChannel(channel: ts.Expression): boolean {
  const e = skipOuter(channel);
  if (ts.isIdentifier(e)) return e.text === 'self' || e.text === 'globalThis' || e.text === 'parentPort';
  return ts.isPropertyAccessExpression(e) && e.name.text === 'parentPort';
}

function dedupe(values: TrackedValue[]): TrackedValue[] {
  const out: TrackedValue[] = [];
  for (const v of values) if (!out.some((o) => o.root === v.root && o.shape === v.shape && o.elementType === v.elementType)) out.push(v);
  return out;
}

/** What a worker creation passes as `workerData` in its options literal (`{ workerData: sab }`, `{ workerData }`). */
function workerDataOption(creation: ts.NewExpression): ts.Expression | undefined {
  const args: readonly ts.Expression[] = creation.arguments ?? [];
  const options = args.find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
  const data = options?.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'workerData');
  return data && (ts.isPropertyAssignment(data) ? data.initializer : ts.isShorthandPropertyAssignment(data) ? data.name : undefined);
}

/** `new WebAssembly.Memory({ ..., shared: true })`. */
function isSharedWasmMemory(e: ts.NewExpression): boolean {
  const callee = skipOuter(e.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.getText() !== 'WebAssembly') return false;
  const options = e.arguments?.[0] && skipOuter(e.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'shared' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
}

/** The first parent of `node` that is not a parenthesis, an `as` or a non-null assertion around it. */
export function skipParentsUp(node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n))) n = n.parent;
  return n;
}

/** Whether a statement leaves on every path through it: `return`, `throw`, `break`, `continue`, or a block ending in one. */
export function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && exits(s.statements[s.statements.length - 1]);
  return false;
}

export function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

/** Whether a node sits in a loop (or an array callback like `map`) inside its function. */
export function isInLoop(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (isLoop(n)) return true;
    if (isFunctionNode(n)) {
      const call = n.parent;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && /^(map|forEach|flatMap)$/.test(call.expression.name.text)) return true;
      if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'from' && ts.isIdentifier(call.expression.expression) && call.expression.expression.text === 'Array') return true;
      return false;
    }
  }
  return false;
}

interface Flow {
  target: ts.Node;
  source: ts.Expression;
  /** The target's name, for the relevance pre-pass. */
  name: string;
  /** For an argument flowing into a parameter: the call and the function it was matched to by name. */
  via?: { call: ts.CallExpression | ts.NewExpression; fn: ts.FunctionLikeDeclaration };
}

interface MemberFlow {
  target: ts.BindingElement;
  base: ts.Expression;
  name: string;
  via?: Flow['via'];
}

/** `Atomics.op(view, ...)`: its first argument is a view. */
function op(node: ts.Node): boolean {
  return !!atomicsOp(node);
}

function targetName(target: ts.Node): string | undefined {
  if (ts.isVariableDeclaration(target) || ts.isBindingElement(target) || ts.isParameter(target) || ts.isPropertyDeclaration(target) || ts.isPropertyAssignment(target) || ts.isShorthandPropertyAssignment(target)) {
    return ts.isIdentifier(target.name) || ts.isStringLiteralLike(target.name) || ts.isPrivateIdentifier(target.name) ? target.name.text : undefined;
  }
  if (ts.isExpression(target)) {
    const e = skipOuter(target);
    if (ts.isIdentifier(e)) return e.text;
    const member = memberName(e);
    return member?.name;
  }
  return undefined;
}

/** The name a function is called by: its own, its variable's, its property's. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(fn)) return ts.isClassLike(fn.parent) && fn.parent.name ? fn.parent.name.text : undefined;
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteralLike(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  // `ns.decode = function (buf) {}`, `Player.prototype.push = function (frame) {}`
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === fn && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return undefined;
}

/** Identifier texts in a node, not looking into nested functions or classes. */
function namesIn(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) {
      out.add(n.text);
      return;
    }
    if (ts.isStringLiteralLike(n) && ts.isElementAccessExpression(n.parent)) out.add(n.text);
    if (isFunctionNode(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}
