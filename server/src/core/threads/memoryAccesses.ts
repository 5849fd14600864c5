// Every access to a typed-array element in a file, plain or through Atomics, with the
// location it touches (view key + index key) so that accesses to one element can be compared.
import { ts } from 'ts-morph';
import { atomicsOp, enclosingFunction, type SharedBufferModel } from './sharedBuffers';
import { isConstDeclaration, skipOuter } from '../syntax';
import { ATOMIC_ELEMENT_OPS } from './typedArrays';
import { mayOverlap, ViewMemory, type WordBytes } from './viewMemory';

/** The compound operators of a plain read-modify-write, by token. */
export const COMPOUND_OPERATORS: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.PlusEqualsToken, '+'],
  [ts.SyntaxKind.MinusEqualsToken, '-'],
  [ts.SyntaxKind.AsteriskEqualsToken, '*'],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, '**'],
  [ts.SyntaxKind.SlashEqualsToken, '/'],
  [ts.SyntaxKind.PercentEqualsToken, '%'],
  [ts.SyntaxKind.LessThanLessThanEqualsToken, '<<'],
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, '>>'],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, '>>>'],
  [ts.SyntaxKind.AmpersandEqualsToken, '&'],
  [ts.SyntaxKind.BarEqualsToken, '|'],
  [ts.SyntaxKind.CaretEqualsToken, '^'],
  [ts.SyntaxKind.BarBarEqualsToken, '||'],
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken, '&&'],
  [ts.SyntaxKind.QuestionQuestionEqualsToken, '??'],
]);

export interface Location {
  viewKey: string;
  indexKey: string;
  /**
   * The word in its buffer, when the view's buffer and offset are known (see viewMemory.ts):
   * views over the same memory then share it, whatever they are called.
   */
  wordKey?: string;
  /** The bytes of that word, for the "may be the same word" test (`mayBeSameWord`). */
  bytes?: WordBytes;
}

export interface PlainAccess {
  kind: 'read' | 'write' | 'rmw';
  /** `view[i]` */
  element: ts.ElementAccessExpression;
  view: ts.Expression;
  index: ts.Expression;
  location: Location;
  /** For writes and read-modify-writes: the whole expression (`view[i]++`, `view[i] = x`). */
  writer?: ts.Expression;
  /** For writes: the value written. */
  value?: ts.Expression;
  fn: ts.Node | undefined;
}

export interface AtomicAccess {
  op: string;
  call: ts.CallExpression;
  view: ts.Expression;
  index: ts.Expression;
  location: Location;
  fn: ts.Node | undefined;
}

export interface MemoryAccesses {
  plain: PlainAccess[];
  atomic: AtomicAccess[];
  /** Atomics accesses by location string. */
  atomicAt: Map<string, AtomicAccess[]>;
  /** View keys used with any Atomics operation: proof that the view is an integer typed array. */
  atomicViews: Set<string>;
}

export function locationId(l: Location): string {
  return l.wordKey ?? `${l.viewKey}[${l.indexKey}]`;
}

/**
 * Whether two locations may be the same word: the same location, or views over one buffer whose
 * bytes overlap or cannot be told apart (different element types, an index that is not a
 * constant). Only for staying quiet (a write that might be the one a notify announces), never
 * as evidence for a finding.
 */
export function mayBeSameWord(a: Location, b: Location): boolean {
  if (locationId(a) === locationId(b)) return true;
  return !!a.bytes && !!b.bytes && mayOverlap(a.bytes, b.bytes);
}

/** A key for an index expression: its constant value when it has one, else its text. */
export function indexKeyOf(index: ts.Expression, checker: ts.TypeChecker): string {
  const e = skipOuter(index);
  const value = constantValue(e, checker, 0);
  if (value !== undefined) return `#${value}`;
  return `t:${e.getText().replace(/\s+/g, '')}`;
}

/** The value of a compile-time constant number, if the expression is one. */
export function constantNumber(e: ts.Expression, checker: ts.TypeChecker): number | undefined {
  const value = constantValue(e, checker, 0);
  return value === undefined ? undefined : Number(value);
}

/** The initializer of the `const` an identifier names (`const next = n * 3` for `next`), if it is one. */
export function constInitializer(e: ts.Expression, checker: ts.TypeChecker): ts.Expression | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  return decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const ? decl.initializer : undefined;
}

/** Whether an expression is a compile-time constant number (a literal, a const, an enum member). */
export function isConstantNumber(e: ts.Expression, checker: ts.TypeChecker): boolean {
  return constantValue(e, checker, 0) !== undefined;
}

function constantValue(e: ts.Expression, checker: ts.TypeChecker, depth: number): string | undefined {
  if (depth > 3) return undefined;
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return String(Number(x.text));
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(x.operand)) return String(-Number(x.operand.text));
  if (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) {
    const sym = checker.getSymbolAtLocation(ts.isIdentifier(x) ? x : x.name);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isEnumMember(decl)) {
      const v = checker.getConstantValue(decl);
      return v === undefined ? undefined : String(v);
    }
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isConstDeclaration(decl)) {
      return constantValue(decl.initializer, checker, depth + 1);
    }
    if (decl && (ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
      // `const SLOT = { COUNT: 0 } as const`, `static readonly COUNT = 0`
      // A static field named like a constant (`static SAB_IDX = 0`) is one by convention, readonly or not.
      const constantName = ts.isPropertyDeclaration(decl) && ts.isIdentifier(decl.name) && /^[A-Z][A-Z0-9_]*$/.test(decl.name.text) && !!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      const readonly = ts.isPropertyDeclaration(decl) ? constantName || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) : true;
      if (readonly) return constantValue(decl.initializer, checker, depth + 1);
    }
  }
  return undefined;
}

function isWriteTarget(node: ts.Expression): { writer: ts.Expression; kind: 'write' | 'rmw'; value?: ts.Expression } | undefined {
  let child: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if ((ts.isPostfixUnaryExpression(parent) || ts.isPrefixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) {
    return { writer: parent, kind: 'rmw' };
  }
  if (ts.isBinaryExpression(parent) && parent.left === child) {
    if (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return { writer: parent, kind: 'write', value: parent.right };
    if (COMPOUND_OPERATORS.has(parent.operatorToken.kind)) return { writer: parent, kind: 'rmw', value: parent.right };
  }
  return undefined;
}

/** Collects the element accesses of a file whose view is a name the model can key. */
export function collectMemoryAccesses(sf: ts.SourceFile, model: SharedBufferModel, checker: ts.TypeChecker): MemoryAccesses {
  const plain: PlainAccess[] = [];
  const atomic: AtomicAccess[] = [];
  const memory = new ViewMemory(model, (e) => constantNumber(e, checker));
  const locate = (view: ts.Expression, index: ts.Expression): Location => {
    const viewKey = model.locationKeyOf(view) ?? `text:${skipOuter(view).getText(sf)}`;
    const indexKey = indexKeyOf(index, checker);
    const word = memory.wordAt(view, indexKey, index);
    return { viewKey, indexKey, wordKey: word?.key, bytes: word?.bytes };
  };
  const visit = (node: ts.Node): void => {
    if (ts.isElementAccessExpression(node) && !ts.isStringLiteralLike(node.argumentExpression) && !isMemberIndex(node.argumentExpression) && model.mentionsRelevant(node.expression)) {
      const location = locate(node.expression, node.argumentExpression);
      const write = isWriteTarget(node);
      plain.push({
        kind: write?.kind ?? 'read',
        element: node,
        view: node.expression,
        index: node.argumentExpression,
        location,
        writer: write?.writer,
        value: write?.value,
        fn: enclosingFunction(node),
      });
    } else if (ts.isCallExpression(node)) {
      const op = atomicsOp(node);
      if (op && ATOMIC_ELEMENT_OPS.has(op) && node.arguments.length >= 2) {
        const [view, index] = node.arguments;
        atomic.push({ op, call: node, view, index, location: locate(view, index), fn: enclosingFunction(node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const joined = memory.joinedParameterBuffers(atomic.flatMap((a) => (a.location.bytes ? [a.location.bytes] : [])));
  if (joined.size > 0) {
    for (const a of [...plain, ...atomic]) {
      const l = a.location;
      const to = l.bytes && joined.get(l.bytes.bufferKey);
      if (!l.bytes || !l.wordKey || !to || to === l.bytes.bufferKey) continue;
      a.location = { ...l, wordKey: `mem:${to}:${l.wordKey.slice(`mem:${l.bytes.bufferKey}:`.length)}`, bytes: { ...l.bytes, bufferKey: to } };
    }
  }
  const atomicAt = new Map<string, AtomicAccess[]>();
  const atomicViews = new Set<string>();
  for (const a of atomic) {
    const id = locationId(a.location);
    atomicAt.set(id, [...(atomicAt.get(id) ?? []), a]);
    atomicViews.add(a.location.viewKey);
  }
  // A view placed over a word that Atomics accesses through another name is the same integer
  // memory (the receiving half's `data.flag` of the sender's `flag`), proven by that use.
  for (const p of plain) if (p.location.wordKey && atomicAt.has(p.location.wordKey)) atomicViews.add(p.location.viewKey);
  return { plain, atomic, atomicAt, atomicViews };
}

/** `obj[Symbol.iterator]` and similar are member lookups, not element accesses. */
function isMemberIndex(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol';
}
