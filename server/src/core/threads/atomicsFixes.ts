// Rewrites of plain shared-memory updates into Atomics. A rewrite is a fix (applied by --fix)
// only when the result computes exactly what the original did in a single thread: the same
// value stored, the same value produced, the same evaluation order. When the result is only
// right for integer operands, or changes the control flow (a compare-exchange loop), it is a
// suggestion.
import { ts } from 'ts-morph';
import type { Fix } from '../findings';
import { COMPOUND_OPERATORS, constInitializer } from './memoryAccesses';
import { exits } from './sharedBuffers';
import { skipOuter } from '../syntax';
import { ATOMIC_ELEMENT_TYPES, BIGINT_ELEMENT_TYPES, TYPED_ARRAY_NAMES } from './typedArrays';

const ATOMIC_FOR_OPERATOR: ReadonlyMap<string, string> = new Map([
  ['+', 'add'],
  ['-', 'sub'],
  ['|', 'or'],
  ['&', 'and'],
  ['^', 'xor'],
]);
const COMMUTATIVE = new Set(['+', '|', '&', '^']);
const BINARY_OPERATOR_TEXT: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.PlusToken, '+'],
  [ts.SyntaxKind.MinusToken, '-'],
  [ts.SyntaxKind.BarToken, '|'],
  [ts.SyntaxKind.AmpersandToken, '&'],
  [ts.SyntaxKind.CaretToken, '^'],
  [ts.SyntaxKind.AsteriskToken, '*'],
  [ts.SyntaxKind.SlashToken, '/'],
  [ts.SyntaxKind.PercentToken, '%'],
  [ts.SyntaxKind.LessThanLessThanToken, '<<'],
  [ts.SyntaxKind.GreaterThanGreaterThanToken, '>>'],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, '>>>'],
]);

/** Whether an expression can be evaluated twice, or dropped, without changing anything. */
export function isPure(expr: ts.Expression): boolean {
  const e = skipOuter(expr);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isStringLiteralLike(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isPure(e.expression);
  if (ts.isElementAccessExpression(e)) return isPure(e.expression) && isPure(e.argumentExpression);
  if (ts.isPrefixUnaryExpression(e)) return (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken || e.operator === ts.SyntaxKind.TildeToken || e.operator === ts.SyntaxKind.ExclamationToken) && isPure(e.operand);
  if (ts.isBinaryExpression(e)) return BINARY_OPERATOR_TEXT.has(e.operatorToken.kind) && isPure(e.left) && isPure(e.right);
  return false;
}

/** A short operand that can be repeated without parentheses. */
function isAtom(expr: ts.Expression): boolean {
  const e = skipOuter(expr);
  return ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || (ts.isPropertyAccessExpression(e) && isPure(e));
}

/** Whether an operand is an integer for sure (so ToIntegerOrInfinity inside Atomics changes nothing). */
function isInteger(expr: ts.Expression, checker: ts.TypeChecker, depth = 0): boolean {
  const e = skipOuter(expr);
  if (depth > 3) return false;
  if (ts.isNumericLiteral(e)) return Number.isInteger(Number(e.text));
  if (ts.isBigIntLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken)) return isInteger(e.operand, checker, depth + 1);
  if (ts.isPropertyAccessExpression(e) && (e.name.text === 'length' || e.name.text === 'byteLength' || e.name.text === 'BYTES_PER_ELEMENT')) return true;
  const type = checker.getTypeAtLocation(e);
  if (type.flags & ts.TypeFlags.BigIntLike) return true;
  if (type.isNumberLiteral()) return Number.isInteger(type.value);
  const init = constInitializer(e, checker);
  if (init) return isInteger(init, checker, depth + 1);
  if (ts.isBinaryExpression(e) && ['|', '&', '^', '<<', '>>', '>>>'].includes(BINARY_OPERATOR_TEXT.get(e.operatorToken.kind) ?? '')) return true;
  if (ts.isBinaryExpression(e) && ['+', '-', '*'].includes(BINARY_OPERATOR_TEXT.get(e.operatorToken.kind) ?? '')) return isInteger(e.left, checker, depth + 1) && isInteger(e.right, checker, depth + 1);
  return false;
}

/** Whether the value of an expression is discarded (an expression statement, a for-loop update). */
export function valueUnused(expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isExpressionStatement(p)) return true;
  if (ts.isForStatement(p) && (p.incrementor === n || p.initializer === n)) return true;
  if (ts.isVoidExpression(p)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.left === n) return true;
  return false;
}

export interface AtomicsTarget {
  /** Whether Atomics accept the view: true, false (float/clamped), or undefined (unknown). */
  supported: boolean | undefined;
  elementType: string | undefined;
}

/** What the checker says about the view's type, so that a rewrite type-checks. */
export function atomicsTarget(view: ts.Expression, elementType: string | undefined, provenInteger: boolean, checker: ts.TypeChecker): AtomicsTarget {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(view));
  const typeName = type.symbol?.name;
  const known = elementType ?? (typeName && TYPED_ARRAY_NAMES.has(typeName) ? typeName : undefined);
  if (known) return { supported: ATOMIC_ELEMENT_TYPES.has(known), elementType: known };
  if (type.flags & ts.TypeFlags.Any) return { supported: provenInteger ? true : undefined, elementType: undefined };
  // A type that is not a typed array (a union, ArrayLike): an Atomics call would not type-check.
  return { supported: false, elementType: undefined };
}

interface RmwShape {
  /** '+', '-', '|', ... */
  operator: string;
  operand: ts.Expression | undefined;
  /** The operand's text ('1' for ++). */
  operandText: string;
  /** Whether the expression's value is the old value (postfix) or the new one. */
  yields: 'old' | 'new';
}

/** The operator and operand of a plain read-modify-write: `v[i]++`, `v[i] += n`, `v[i] = v[i] + n`. */
export function rmwShape(writer: ts.Expression, element: ts.ElementAccessExpression, sameElement: (e: ts.Expression) => boolean, bigint: boolean): RmwShape | undefined {
  const one = bigint ? '1n' : '1';
  if (ts.isPostfixUnaryExpression(writer)) {
    return { operator: writer.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-', operand: undefined, operandText: one, yields: 'old' };
  }
  if (ts.isPrefixUnaryExpression(writer)) {
    return { operator: writer.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-', operand: undefined, operandText: one, yields: 'new' };
  }
  if (!ts.isBinaryExpression(writer)) return undefined;
  const compound = COMPOUND_OPERATORS.get(writer.operatorToken.kind);
  if (compound) return { operator: compound, operand: writer.right, operandText: writer.right.getText(), yields: 'new' };
  if (writer.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const rhs = skipOuter(writer.right);
  if (!ts.isBinaryExpression(rhs)) return undefined;
  const operator = BINARY_OPERATOR_TEXT.get(rhs.operatorToken.kind);
  if (!operator) return undefined;
  if (sameElement(rhs.left) && rhs.left !== element) return { operator, operand: rhs.right, operandText: rhs.right.getText(), yields: 'new' };
  if (COMMUTATIVE.has(operator) && sameElement(rhs.right)) return { operator, operand: rhs.left, operandText: rhs.left.getText(), yields: 'new' };
  return undefined;
}

export interface RmwRewrite {
  /** The Atomics operation that does this update in one step ('add'), or undefined. */
  atomicOp: string | undefined;
  fix?: Fix;
  suggestion?: Fix;
}

/** The Atomics rewrite of a plain read-modify-write, as a fix or a suggestion. */
export function rmwRewrite(
  writer: ts.Expression,
  element: ts.ElementAccessExpression,
  target: AtomicsTarget,
  sameElement: (e: ts.Expression) => boolean,
  checker: ts.TypeChecker,
): RmwRewrite {
  const bigint = !!target.elementType && BIGINT_ELEMENT_TYPES.has(target.elementType);
  const shape = rmwShape(writer, element, sameElement, bigint);
  const atomicOp = shape && ATOMIC_FOR_OPERATOR.get(shape.operator);
  if (!shape || !atomicOp || target.supported === false) return { atomicOp };
  const view = element.expression;
  const index = element.argumentExpression;
  if (element.questionDotToken) return { atomicOp };
  if (!indexTypeOk(index, checker) || (shape.operand && !operandTypeOk(shape.operand, bigint, checker))) return { atomicOp };
  // `v[i] = v[i] + n` evaluates v and i twice; the rewrite once.
  if (ts.isBinaryExpression(writer) && writer.operatorToken.kind === ts.SyntaxKind.EqualsToken && !(isPure(view) && isPure(index))) return { atomicOp };
  const call = `Atomics.${atomicOp}(${view.getText()}, ${index.getText()}, ${shape.operandText})`;
  let text = call;
  if (!valueUnused(writer) && shape.yields === 'new') {
    // Atomics return the old value; the expression's value was the new one.
    if (shape.operand && !(isAtom(shape.operand) && isPure(shape.operand))) return { atomicOp };
    text = `(${call} ${shape.operator} ${shape.operandText})`;
  }
  const edit = { start: writer.getStart(), end: writer.getEnd(), text };
  const integerOperand = !shape.operand || isInteger(shape.operand, checker);
  const description = `Use ${call}`;
  if (target.supported === true && integerOperand) return { atomicOp, fix: { description, edits: [edit] } };
  const caveat = target.supported === true ? ' (Atomics round the operand to an integer)' : ` (if ${view.getText()} is an integer typed array)`;
  return { atomicOp, suggestion: { description: description + caveat, edits: [edit] } };
}

function indexTypeOk(index: ts.Expression, checker: ts.TypeChecker): boolean {
  const t = checker.getTypeAtLocation(index);
  return !!(t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any));
}

function operandTypeOk(operand: ts.Expression, bigint: boolean, checker: ts.TypeChecker): boolean {
  const t = checker.getTypeAtLocation(operand);
  if (t.flags & ts.TypeFlags.Any) return true;
  return bigint ? !!(t.flags & ts.TypeFlags.BigIntLike) : !!(t.flags & ts.TypeFlags.NumberLike);
}

/** `v[i]` (a plain read) → `Atomics.load(v, i)`. */
export function loadRewrite(element: ts.ElementAccessExpression, target: AtomicsTarget, checker: ts.TypeChecker): { fix?: Fix; suggestion?: Fix } {
  if (target.supported === false || element.questionDotToken || !indexTypeOk(element.argumentExpression, checker)) return {};
  const parent = element.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === element) return {};
  if (ts.isDeleteExpression(parent)) return {};
  const text = `Atomics.load(${element.expression.getText()}, ${element.argumentExpression.getText()})`;
  const fix = { description: `Use ${text}`, edits: [{ start: element.getStart(), end: element.getEnd(), text }] };
  return target.supported === true ? { fix } : { suggestion: { ...fix, description: `${fix.description} (if ${element.expression.getText()} is an integer typed array)` } };
}

/** `v[i] = x;` → `Atomics.store(v, i, x);` (only where the assignment's value is unused). */
export function storeRewrite(writer: ts.BinaryExpression, element: ts.ElementAccessExpression, target: AtomicsTarget, checker: ts.TypeChecker): { fix?: Fix; suggestion?: Fix } {
  if (target.supported === false || element.questionDotToken || !valueUnused(writer) || !indexTypeOk(element.argumentExpression, checker)) return {};
  const bigint = !!target.elementType && BIGINT_ELEMENT_TYPES.has(target.elementType);
  if (!operandTypeOk(writer.right, bigint, checker)) return {};
  const text = `Atomics.store(${element.expression.getText()}, ${element.argumentExpression.getText()}, ${writer.right.getText()})`;
  const fix = { description: `Use ${text}`, edits: [{ start: writer.getStart(), end: writer.getEnd(), text }] };
  if (target.supported === true && isInteger(writer.right, checker)) return { fix };
  const caveat = target.supported === true ? ' (Atomics store the value rounded to an integer)' : ` (if ${element.expression.getText()} is an integer typed array)`;
  return { suggestion: { ...fix, description: fix.description + caveat } };
}

// ---------------------------------------------------------------------------------------------
// Check-then-act → compare-exchange

/** The (view, index) an element read or write names, as text. */
export interface ElementParts {
  view: ts.Expression;
  index: ts.Expression;
}

function statementOf(expr: ts.Node): ts.ExpressionStatement | undefined {
  let n = expr;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isExpressionStatement(n.parent) ? n.parent : undefined;
}

function containsJump(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBreakStatement(n) || ts.isContinueStatement(n)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n) || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function indentOf(node: ts.Node): string {
  const sf = node.getSourceFile();
  const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(node.getStart()).line, 0);
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

function unusedName(base: string, scope: ts.Node): string {
  const text = scope.getText();
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}${i + 1}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

/**
 * The compare-exchange rewrite of `load → compare → store` on one element, for the shapes that
 * have an exact one: `if (load === E) { store(F); ... }`, the guard `if (load !== E) return;
 * store(F)`, `const cur = load; if (cond(cur)) { store(F(cur)); ... }` (a retry loop), and
 * `const cur = load; store(cur + n)` (one Atomics.add).
 */
export function compareExchangeRewrite(read: ts.Expression, readParts: ElementParts, write: ts.Expression, writeValue: ts.Expression | undefined): Fix | undefined {
  if (!writeValue) return undefined;
  const storeStatement = statementOf(write);
  if (!storeStatement) return undefined;
  const sf = read.getSourceFile();
  const viewText = readParts.view.getText();
  const indexText = readParts.index.getText();
  const cas = (expected: string, replacement: string) => `Atomics.compareExchange(${viewText}, ${indexText}, ${expected}, ${replacement})`;
  const deleteStatement = { start: storeStatement.getFullStart(), end: storeStatement.getEnd(), text: '' };

  // `if (load === E) ...` / `if (load !== E) return;`
  let cmp: ts.Node = read;
  while (ts.isParenthesizedExpression(cmp.parent)) cmp = cmp.parent;
  const comparison = cmp.parent;
  if (ts.isBinaryExpression(comparison) && ts.isIfStatement(comparison.parent) && comparison.parent.expression === comparison && isPure(writeValue)) {
    const op = comparison.operatorToken.kind;
    const expected = comparison.left === cmp ? comparison.right : comparison.left;
    const ifs = comparison.parent;
    if (isPure(expected) && (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) && !ifs.elseStatement) {
      const then = ifs.thenStatement;
      if (then === storeStatement) {
        return { description: `Use ${cas(expected.getText(), writeValue.getText())}`, edits: [{ start: ifs.getStart(), end: ifs.getEnd(), text: `${cas(expected.getText(), writeValue.getText())};` }] };
      }
      if (ts.isBlock(then) && then.statements[0] === storeStatement) {
        const text = cas(expected.getText(), writeValue.getText());
        return { description: `Use ${text}`, edits: [{ start: read.getStart(), end: read.getEnd(), text }, deleteStatement] };
      }
    }
    if (isPure(expected) && (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && !ifs.elseStatement && exits(ifs.thenStatement)) {
      const block = ifs.parent;
      if ((ts.isBlock(block) || ts.isSourceFile(block)) && block.statements[block.statements.indexOf(ifs) + 1] === storeStatement) {
        const text = cas(expected.getText(), writeValue.getText());
        return { description: `Use ${text}`, edits: [{ start: read.getStart(), end: read.getEnd(), text }, deleteStatement] };
      }
    }
    return undefined;
  }

  // `const cur = load; ...`
  const decl = read.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== read || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(list.parent)) return undefined;
  const declStatement = list.parent;
  const block = declStatement.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
  const next = block.statements[block.statements.indexOf(declStatement) + 1];
  const cur = decl.name.text;

  // `const cur = load; store(cur + n)` → `const cur = Atomics.add(v, i, n)`
  if (next === storeStatement) {
    const value = skipOuter(writeValue);
    if (ts.isBinaryExpression(value)) {
      const op = BINARY_OPERATOR_TEXT.get(value.operatorToken.kind);
      const atomic = op && ATOMIC_FOR_OPERATOR.get(op);
      const isCur = (e: ts.Expression) => ts.isIdentifier(skipOuter(e)) && (skipOuter(e) as ts.Identifier).text === cur;
      const operand = isCur(value.left) ? value.right : op && COMMUTATIVE.has(op) && isCur(value.right) ? value.left : undefined;
      if (atomic && operand && isPure(operand) && !operand.getText().includes(cur)) {
        const text = `Atomics.${atomic}(${viewText}, ${indexText}, ${operand.getText()})`;
        return { description: `Use ${text}`, edits: [{ start: read.getStart(), end: read.getEnd(), text }, deleteStatement] };
      }
    }
    return undefined;
  }

  // `const cur = load; if (cond(cur)) { store(F(cur)); rest }` → a compare-exchange retry loop.
  if (!next || !ts.isIfStatement(next) || next.elseStatement || !ts.isBlock(next.thenStatement) || next.thenStatement.statements[0] !== storeStatement) return undefined;
  const rest = next.thenStatement.statements.slice(1);
  if (rest.some(containsJump)) return undefined;
  // `cur` must not be assigned elsewhere: the loop reassigns it.
  const assigned = (() => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(n.left)) && (skipOuter(n.left) as ts.Identifier).text === cur) found = true;
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && n.operand.text === cur) found = true;
      ts.forEachChild(n, visit);
    };
    visit(block);
    return found;
  })();
  if (assigned) return undefined;
  const indent = indentOf(declStatement);
  const inner = indent + '  ';
  const seen = unusedName('seen', block);
  const restText = rest.map((s) => `${inner}  ${sf.text.slice(s.getStart(), s.getEnd())}\n`).join('');
  const keyword = list.flags & ts.NodeFlags.Const ? 'const' : 'let';
  const declText = sf.text.slice(declStatement.getStart(), declStatement.getEnd()).replace(new RegExp(`^${keyword}\\b`), 'let');
  const text =
    `${declText}\n` +
    `${indent}while (${next.expression.getText()}) {\n` +
    `${inner}const ${seen} = ${cas(cur, writeValue.getText())};\n` +
    `${inner}if (${seen} === ${cur}) {\n` +
    restText +
    (rest.length > 0 && exits(rest[rest.length - 1]) ? '' : `${inner}  break;\n`) +
    `${inner}}\n` +
    `${inner}${cur} = ${seen};\n` +
    `${indent}}`;
  return { description: `Retry with Atomics.compareExchange(${viewText}, ${indexText}, ${cur}, ...) until no other thread got in between`, edits: [{ start: declStatement.getStart(), end: next.getEnd(), text }] };
}

/**
 * `const n = Atomics.load(v, i); Atomics.store(v, i, x);` → `const n = Atomics.exchange(v, i, x);`
 * when the store is the next statement and stores a value that does not need the read.
 */
export function exchangeRewrite(read: ts.Expression, readParts: ElementParts, write: ts.Expression, writeValue: ts.Expression | undefined): Fix | undefined {
  if (!writeValue || !isPure(writeValue)) return undefined;
  const storeStatement = statementOf(write);
  const decl = read.parent;
  if (!storeStatement || !ts.isVariableDeclaration(decl) || decl.initializer !== read) return undefined;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent)) return undefined;
  const block = list.parent.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
  if (block.statements[block.statements.indexOf(list.parent) + 1] !== storeStatement) return undefined;
  const text = `Atomics.exchange(${readParts.view.getText()}, ${readParts.index.getText()}, ${writeValue.getText()})`;
  return { description: `Use ${text}`, edits: [{ start: read.getStart(), end: read.getEnd(), text }, { start: storeStatement.getFullStart(), end: storeStatement.getEnd(), text: '' }] };
}
