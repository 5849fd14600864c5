// Questions about syntax alone that the async and thread models ask everywhere: what an expression
// is under its parentheses and assertions, whether it is a written null or undefined, whether
// a variable is const, and what a function returns. A module of their own, with no imports of either model, so that any module
// asks them without an import cycle.
import { ts } from 'ts-morph';

/** Strips parentheses, type assertions and non-null assertions. */
export function skipOuter(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else {
      return e;
    }
  }
}

/** `n`, or the outermost parenthesis or type assertion (`as`, `satisfies`) around it: the node its parent sees. */
export function skipOuterParents(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n;
}

/**
 * `n`, or the outermost `await`, parenthesis or assertion around it (`await (x as T)!`): the node
 * whose parent says what becomes of the value, kept in a local, returned, or thrown away.
 */
export function skipOuterAwaitedParents(n: ts.Node): ts.Node {
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n;
}

/** `null` or `undefined`, written as such (under parentheses and assertions). */
export function isNullishLiteral(expr: ts.Expression): boolean {
  const e = skipOuter(expr);
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

/** Whether a variable is declared `const`. */
export function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/**
 * Whether `fn` returns at least once and every return hands back a value `test` accepts (a bare
 * `return;` fails it): an expression body is its one return. Nested functions are not walked.
 */
export function everyReturn(fn: { readonly body?: ts.ConciseBody }, test: (value: ts.Expression) => boolean): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return test(body);
  let returns = 0;
  let all = true;
  const visit = (n: ts.Node): void => {
    if (!all || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      returns++;
      if (!n.expression || !test(n.expression)) all = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return all && returns > 0;
}

/**
 * What a function returns, as written: its expression body, or the values of its own `return`
 * statements (not those of the functions nested in it).
 */
export function returnedValues(fn: { readonly body?: ts.ConciseBody }): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}
