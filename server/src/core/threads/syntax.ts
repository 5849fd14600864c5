// Questions about syntax alone that the thread model asks everywhere: what an expression is under
// its parentheses and assertions, and whether a variable is const. A module of their own, with no
// imports of the model, so that the modules sharedBuffers.ts builds on (untypedCalls.ts) ask them
// too without an import cycle.
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

/** Whether a variable is declared `const`. */
export function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}
