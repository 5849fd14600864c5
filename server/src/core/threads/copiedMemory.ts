// Memory the code treats as shared but is not. A typed array over a plain ArrayBuffer (or a
// fresh `new Int32Array(n)`) sent with `workerData` or `postMessage` is copied by structured
// clone: the worker gets its own bytes. When the same file uses Atomics on that array, the
// author expected one memory seen by both threads; the updates and wake-ups never cross.
import { ts } from 'ts-morph';
import { calleeName } from './sharedBuffers';
import { skipOuter } from '../syntax';
import { TYPED_ARRAY_NAMES } from './typedArrays';

export interface CopiedMemory {
  /** The payload expression that sends the copy. */
  sent: ts.Expression;
  /** The `new Worker(...)` or `postMessage(...)` call. */
  send: ts.CallExpression | ts.NewExpression;
  /** Where the array was allocated. */
  allocation: ts.NewExpression;
  /** An Atomics call on it. */
  atomics: ts.CallExpression;
}

/** `new Int32Array(16)`, `new Int32Array(new ArrayBuffer(64))`, `new ArrayBuffer(64)`: private memory. */
function privateAllocation(init: ts.Expression | undefined, checker: ts.TypeChecker): ts.NewExpression | undefined {
  if (!init) return undefined;
  const e = skipOuter(init);
  if (!ts.isNewExpression(e)) return undefined;
  const name = calleeName(e.expression);
  if (name === 'ArrayBuffer') return e;
  if (!name || !TYPED_ARRAY_NAMES.has(name)) return undefined;
  const arg = e.arguments?.[0];
  if (!arg) return e;
  const a = skipOuter(arg);
  if (ts.isNewExpression(a) && calleeName(a.expression) === 'ArrayBuffer') return e;
  const type = checker.getTypeAtLocation(a);
  return type.flags & ts.TypeFlags.NumberLike ? e : undefined;
}

/** The expressions a payload carries at its top levels (`{ counts, n }`, `[a, b]`, a const naming such a literal). */
function payloadParts(payload: ts.Expression, checker: ts.TypeChecker, depth = 0): ts.Expression[] {
  if (depth > 3) return [];
  const e = skipOuter(payload);
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.flatMap((p) =>
      ts.isPropertyAssignment(p) ? payloadParts(p.initializer, checker, depth + 1) : ts.isShorthandPropertyAssignment(p) ? [p.name] : [],
    );
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => (ts.isSpreadElement(x) ? [] : payloadParts(x, checker, depth + 1)));
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(skipOuter(decl.initializer))) {
      return payloadParts(decl.initializer, checker, depth + 1);
    }
  }
  return [e];
}

/** Views over private memory sent to a worker while this file uses Atomics on them. */
export function findCopiedMemory(sf: ts.SourceFile, checker: ts.TypeChecker, atomicCalls: readonly ts.CallExpression[]): CopiedMemory[] {
  if (atomicCalls.length === 0) return [];
  // The declarations Atomics are used on (directly, or through `.buffer`).
  const atomicByDecl = new Map<ts.Node, ts.CallExpression>();
  for (const call of atomicCalls) {
    const view = call.arguments[0] && skipOuter(call.arguments[0]);
    if (!view) continue;
    const nameNode = ts.isIdentifier(view) ? view : ts.isPropertyAccessExpression(view) ? view.name : undefined;
    const decl = nameNode && checker.getSymbolAtLocation(nameNode)?.valueDeclaration;
    if (decl && !atomicByDecl.has(decl)) atomicByDecl.set(decl, call);
  }
  if (atomicByDecl.size === 0) return [];
  const out: CopiedMemory[] = [];
  const consider = (payload: ts.Expression, send: ts.CallExpression | ts.NewExpression, transferred: Set<string>) => {
    for (const part of payloadParts(payload, checker)) {
      const e = skipOuter(part);
      const nameNode = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
      const parent = e.parent;
      const symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === e ? checker.getShorthandAssignmentValueSymbol(parent) : nameNode && checker.getSymbolAtLocation(nameNode);
      const decl = symbol?.valueDeclaration;
      if (!decl || transferred.has(e.getText(sf))) continue;
      const atomics = atomicByDecl.get(decl);
      const init = ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) ? decl.initializer : undefined;
      const allocation = privateAllocation(init, checker);
      if (atomics && allocation) out.push({ sent: e, send, allocation, atomics });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && (calleeName(node.expression) === 'Worker' || calleeName(node.expression) === 'SharedWorker')) {
      const args: readonly ts.Expression[] = node.arguments ?? [];
      const options = args.find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
      const data = options?.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'workerData');
      const value = data && (ts.isPropertyAssignment(data) ? data.initializer : ts.isShorthandPropertyAssignment(data) ? data.name : undefined);
      if (value) consider(value, node, transferTexts(options));
    } else if (ts.isCallExpression(node) && calleeName(node.expression) === 'postMessage' && node.arguments[0]) {
      const transfer = node.arguments[1];
      const texts = new Set<string>();
      if (transfer) {
        const t = skipOuter(transfer);
        const list = ts.isArrayLiteralExpression(t) ? t : ts.isObjectLiteralExpression(t) ? transferList(t) : undefined;
        for (const el of list?.elements ?? []) texts.add(skipOuter(el).getText(sf).replace(/\.buffer$/, ''));
      }
      consider(node.arguments[0], node, texts);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function transferList(options: ts.ObjectLiteralExpression): ts.ArrayLiteralExpression | undefined {
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'transfer' || p.name.text === 'transferList')) {
      const v = skipOuter(p.initializer);
      if (ts.isArrayLiteralExpression(v)) return v;
    }
  }
  return undefined;
}

function transferTexts(options: ts.ObjectLiteralExpression | undefined): Set<string> {
  const out = new Set<string>();
  const list = options && transferList(options);
  for (const el of list?.elements ?? []) out.add(skipOuter(el).getText().replace(/\.buffer$/, ''));
  return out;
}
