// Suggested fixes for race findings. Each one changes when state is read or acted on (that is
// the point), so they are suggestions, never automatic fixes. A fix is offered only in the shapes
// where it is right and compiles: the edited statement sits in a statement list, everything
// moved is free of side effects, and every name keeps its meaning at its new place.
//
// - lost update, `x = x + (await f())` / `x += await f()`: await first into a const, then update.
// - lost update through a local, `const cur = this.n; await …; this.n = cur + 1`: re-read at the write.
// - lost update from a React state snapshot, `setTodos([...todos, t])`: pass an updater.
// - rollback to a value read before the await: undo only while the state holds this run's value
//   (`if (this.title === title) this.title = prev`, `if (get().x === next) set({ x: prev })`).
// - check-then-act: check again right before acting (`if (!map.has(k)) map.set(k, v)`).
// - check-then-act on a counter or flag: claim it before the await (`running++` right after the check).
import { ts } from 'ts-morph';
import type { Fix } from '../findings';
import { isAssignmentOperator, skipParens } from './flow';
import type { AsyncModel } from './model';
import type { CheckThenActCandidate, LostUpdateCandidate } from './races';
import { isFunctionLike, isWithin } from './scopes';
import { keyText } from './sharedLocations';

function isStatementList(node: ts.Node): boolean {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/** The expression statement whose expression (under `await` and parentheses) is `node`, in a statement list. */
function statementOf(node: ts.Node): ts.ExpressionStatement | undefined {
  let n: ts.Node = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isVoidExpression(n.parent)) n = n.parent;
  const s = n.parent;
  if (s && ts.isExpressionStatement(s) && s.parent && isStatementList(s.parent)) return s;
  return undefined;
}

function indentOf(sf: ts.SourceFile, pos: number): string {
  const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(pos).line];
  const m = /^[ \t]*/.exec(sf.text.slice(lineStart, pos));
  return m ? m[0] : '';
}

/** No calls, assignments, awaits or updates: evaluating it earlier or twice changes nothing. */
function isPure(node: ts.Node, allowQueries = false): boolean {
  let pure = true;
  const visit = (n: ts.Node): void => {
    if (!pure) return;
    if (isFunctionLike(n)) {
      pure = false;
      return;
    }
    if (ts.isCallExpression(n)) {
      const callee = skipParens(n.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (!allowQueries || !/^(has|get|includes|indexOf|existsSync|isArray|startsWith|endsWith)$/.test(name)) {
        pure = false;
        return;
      }
    }
    if (ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isDeleteExpression(n) || ts.isTaggedTemplateExpression(n)) pure = false;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) pure = false;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) pure = false;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return pure;
}

/** Whether every value identifier in `node` means the same at `at` (no shadowing in between). */
function namesMeanTheSame(model: AsyncModel, node: ts.Node, at: ts.Node): boolean {
  let same = true;
  const visit = (n: ts.Node): void => {
    if (!same) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isName) {
        const here = model.scopes.resolve(n);
        const there = model.scopes.resolveName(n.text, at);
        if (here !== there) same = false;
        // A name declared after the new place is not yet initialised there.
        if (here && !ts.isSourceFile(here.owner) && here.declaration.getStart() > at.getStart()) same = false;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return same;
}

function identifiersIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

function freshName(base: string, scope: ts.Node): string {
  const taken = identifiersIn(scope);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  return name;
}

const RESERVED = new Set(['delete', 'new', 'function', 'class', 'default', 'this', 'void', 'in', 'of', 'do', 'if', 'for', 'var', 'let', 'const', 'return']);

function nameForAwaited(e: ts.Expression): string {
  let x = skipParens(e);
  if (ts.isAwaitExpression(x)) x = skipParens(x.expression);
  let raw = '';
  if (ts.isCallExpression(x)) {
    const c = skipParens(x.expression);
    raw = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
  } else if (ts.isIdentifier(x)) raw = x.text;
  else if (ts.isPropertyAccessExpression(x)) raw = x.name.text;
  raw = raw.replace(/^(get|fetch|load|read|compute|calc|calculate|query|request|find)(?=[A-Z])/, '');
  const name = raw.charAt(0).toLowerCase() + raw.slice(1);
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name) ? name : 'value';
}

function enclosingBody(node: ts.Node): ts.Node {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return node.getSourceFile();
}

/** `x = x + (await f())` → `const v = await f();` then `x = x + v;`. */
function awaitFirst(model: AsyncModel, c: LostUpdateCandidate): Fix | undefined {
  const sf = model.sourceFile;
  const aw = c.suspension;
  if (!ts.isAwaitExpression(aw) || !isWithin(aw, c.write) || !isWithin(c.read, c.write)) return undefined;
  const stmt = statementOf(c.write);
  if (!stmt || skipParens(stmt.expression) !== c.write) return undefined;
  // The await must run whenever the statement does: no short-circuit or conditional above it.
  for (let n: ts.Node = aw; n !== c.write; n = n.parent) {
    const p = n.parent;
    if (ts.isConditionalExpression(p) && p.condition !== n) return undefined;
    if (ts.isBinaryExpression(p) && p.right === n && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind)) return undefined;
    if (isFunctionLike(p)) return undefined;
  }
  // What the statement evaluates before the await must be free of side effects, so that doing the
  // await first changes nothing but the moment of the read.
  let impure = false;
  const visit = (n: ts.Node): void => {
    if (impure || n === aw) return;
    if (n.getEnd() <= aw.getStart() && !isPure(n)) impure = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(c.write, visit);
  if (impure) return undefined;
  let replaced: ts.Node = aw;
  while (ts.isParenthesizedExpression(replaced.parent)) replaced = replaced.parent;
  const name = freshName(nameForAwaited(aw), enclosingBody(stmt));
  const indent = indentOf(sf, stmt.getStart(sf));
  return {
    description: `Await first, then update \`${c.location.text}\` from its current value`,
    edits: [
      { start: stmt.getStart(sf), end: stmt.getStart(sf), text: `const ${name} = ${aw.getText(sf)};\n${indent}` },
      { start: replaced.getStart(sf), end: replaced.getEnd(), text: name },
    ],
  };
}

/** `const cur = this.n; await …; this.n = cur + 1` → `this.n = this.n + 1`. */
function rereadAtWrite(model: AsyncModel, c: LostUpdateCandidate): Fix | undefined {
  // Re-reading makes a rollback write the value back to itself.
  if (c.rollback) return undefined;
  const sf = model.sourceFile;
  const w = c.write;
  if (!ts.isBinaryExpression(w) || w.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const read = c.read;
  if (!(ts.isIdentifier(read) || ts.isPropertyAccessExpression(read) || ts.isElementAccessExpression(read)) || !isPure(read)) return undefined;
  const decl = read.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !decl.initializer || skipParens(decl.initializer) !== read) return undefined;
  if (!(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  const local = model.scopes.resolve(decl.name);
  if (!local || !namesMeanTheSame(model, read, w)) return undefined;
  const edits: Fix['edits'] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === local.name && model.scopes.resolve(n) === local) {
      const p = n.parent;
      if (!(ts.isPropertyAccessExpression(p) && p.name === n)) {
        const text = ts.isShorthandPropertyAssignment(p) ? `${n.text}: ${read.getText(sf)}` : read.getText(sf);
        edits.push({ start: n.getStart(sf), end: n.getEnd(), text });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(w.right);
  if (edits.length === 0) return undefined;
  return { description: `Re-read \`${c.location.text}\` when writing it back`, edits };
}

/** `setTodos([...todos, t])` after an await → `setTodos((prev) => [...prev, t])`: start from the current state. */
function updaterForm(model: AsyncModel, c: LostUpdateCandidate): Fix | undefined {
  const w = c.write;
  if (!c.readLocation.snapshot || !c.location.takesUpdater || !ts.isCallExpression(w) || w.arguments.length !== 1 || !ts.isIdentifier(w.expression)) return undefined;
  const arg = w.arguments[0];
  if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) return undefined;
  const sf = model.sourceFile;
  const snapshot = model.scopes.resolve(c.read as ts.Identifier);
  if (!ts.isIdentifier(c.read) || !snapshot) return undefined;
  const name = freshName('prev', enclosingBody(w));
  const start = arg.getStart(sf);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) {
      // A nested closure would capture the updater's parameter instead: keep it simple.
      if (identifiersIn(n).has(snapshot.name)) ok = false;
      return;
    }
    if (ts.isIdentifier(n) && n.text === snapshot.name && model.scopes.resolve(n) === snapshot) {
      const p = n.parent;
      if (!(ts.isPropertyAccessExpression(p) && p.name === n)) {
        edits.push({ start: n.getStart(sf) - start, end: n.getEnd() - start, text: ts.isShorthandPropertyAssignment(p) ? `${n.text}: ${name}` : name });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(arg);
  if (!ok || edits.length === 0) return undefined;
  let body = arg.getText(sf);
  for (const e of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  if (ts.isObjectLiteralExpression(skipParens(arg))) body = `(${body})`;
  return {
    description: `Pass an updater to \`${w.expression.text}\`, so that it starts from the current state`,
    edits: [{ start, end: arg.getEnd(), text: `(${name}) => ${body}` }],
  };
}

/**
 * `this.title = prev` in a rollback → `if (this.title === title) this.title = prev;`: undo only
 * while the state still holds the optimistic value this run set.
 */
function guardedRollback(model: AsyncModel, c: LostUpdateCandidate): Fix | undefined {
  if (!c.rollback || !ts.isBinaryExpression(c.write)) return undefined;
  const stmt = statementOf(c.write);
  if (!stmt || skipParens(stmt.expression) !== c.write) return undefined;
  const target = c.write.left;
  if (!isPure(target)) return undefined;
  // The optimistic write: the last assignment to the same target before the suspension.
  const sf = model.sourceFile;
  const targetText = keyText(target, sf);
  const optimistic = lastBeforeSuspension(c, (n): n is ts.BinaryExpression => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && keyText(n.left, sf) === targetText);
  if (!optimistic) return undefined;
  const value = skipParens(optimistic.right);
  if (!isComparableValue(model, value, stmt)) return undefined;
  return {
    description: `Roll back only while \`${target.getText(sf)}\` still holds this run's value`,
    edits: [{ start: stmt.getStart(sf), end: stmt.getEnd(), text: `if (${target.getText(sf)} === ${value.getText(sf)}) ${stmt.getText(sf)}` }],
  };
}

/** The last node of the write's function (not of functions inside it) between the read and the suspension that `match` accepts. */
function lastBeforeSuspension<T extends ts.Node>(c: LostUpdateCandidate, match: (n: ts.Node) => n is T): T | undefined {
  const body = enclosingBody(c.write);
  let last: T | undefined;
  const visit = (n: ts.Node): void => {
    if (n !== body && isFunctionLike(n)) return;
    if (n.getEnd() <= c.suspension.getStart() && n.getStart() > c.read.getEnd() && match(n)) last = n;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return last;
}

/** A value that can be compared again later and means the same there: a literal, a const or a parameter. */
function isComparableValue(model: AsyncModel, value: ts.Expression, at: ts.Node): boolean {
  const v = skipParens(value);
  if (ts.isStringLiteralLike(v) || ts.isNumericLiteral(v) || v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (!ts.isIdentifier(v)) return false;
  const b = model.scopes.resolve(v);
  return !!b && (b.kind === 'const' || b.kind === 'parameter') && namesMeanTheSame(model, v, at);
}

/** `{ x: v }` or `{ x }`: the one field a partial write sets, and its value. */
function singleField(e: ts.Expression | undefined): { field: string; value: ts.Expression } | undefined {
  const o = e && skipParens(e);
  if (!o || !ts.isObjectLiteralExpression(o) || o.properties.length !== 1) return undefined;
  const p = o.properties[0];
  if (ts.isShorthandPropertyAssignment(p)) return { field: p.name.text, value: p.name };
  if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return { field: p.name.text, value: p.initializer };
  return undefined;
}

/**
 * A rollback through a setter, guarded by the value this run set before the await:
 * `set({ x: prev })` → `if (get().x === next) set({ x: prev });` (a store creator's getter, or
 * `store.getState()` for `store.setState`), and for a setter that takes an updater
 * `setLiked(prev)` → `setLiked((cur) => (cur === next ? prev : cur))`.
 */
function guardedSetterRollback(model: AsyncModel, c: LostUpdateCandidate): Fix | undefined {
  const w = c.write;
  if (!c.rollback || !ts.isCallExpression(w) || w.arguments.length !== 1) return undefined;
  const sf = model.sourceFile;
  const calleeText = keyText(w.expression, sf);
  // The optimistic write: the last call of the same setter between the read and the suspension.
  const optimistic = lastBeforeSuspension(c, (n): n is ts.CallExpression => ts.isCallExpression(n) && n !== w && n.arguments.length === 1 && keyText(n.expression, sf) === calleeText);
  if (!optimistic) return undefined;
  const body = enclosingBody(w);
  const restored = w.arguments[0];
  if (c.location.takesUpdater && ts.isIdentifier(w.expression)) {
    const next = optimistic.arguments[0];
    if (!isComparableValue(model, next, w) || ts.isArrowFunction(restored) || ts.isFunctionExpression(restored)) return undefined;
    const cur = freshName('cur', body);
    return {
      description: `Roll back only while the state still holds this run's value`,
      edits: [{ start: restored.getStart(sf), end: restored.getEnd(), text: `(${cur}) => (${cur} === ${next.getText(sf)} ? ${restored.getText(sf)} : ${cur})` }],
    };
  }
  // A partial write of one field, read back through the getter that goes with the setter.
  const back = singleField(restored);
  const set = singleField(optimistic.arguments[0]);
  if (!back || !set || back.field !== set.field || !isComparableValue(model, set.value, w)) return undefined;
  const callee = skipParens(w.expression);
  let getter: string | undefined;
  if (ts.isIdentifier(callee) && c.location.kind === 'slot' && /^\w+\(\)$/.test(c.location.text)) getter = c.location.text;
  else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'setState' && isPure(callee.expression)) getter = `${callee.expression.getText(sf)}.getState()`;
  if (!getter) return undefined;
  // The guard goes in front of the statement: alone in a statement list, or as the whole arm of an `if` with no `else`.
  let stmtNode: ts.Node = w;
  while (ts.isParenthesizedExpression(stmtNode.parent) || ts.isVoidExpression(stmtNode.parent)) stmtNode = stmtNode.parent;
  const stmt = stmtNode.parent;
  if (!stmt || !ts.isExpressionStatement(stmt)) return undefined;
  const holder = stmt.parent;
  const fits = isStatementList(holder) || (ts.isIfStatement(holder) && holder.thenStatement === stmt && !holder.elseStatement);
  if (!fits || !namesMeanTheSame(model, callee, w)) return undefined;
  return {
    description: `Roll back only while \`${set.field}\` still holds this run's value`,
    edits: [{ start: stmt.getStart(sf), end: stmt.getEnd(), text: `if (${getter}.${set.field} === ${set.value.getText(sf)}) ${stmt.getText(sf)}` }],
  };
}

export function lostUpdateFixes(model: AsyncModel, c: LostUpdateCandidate): Fix[] {
  return [awaitFirst(model, c), rereadAtWrite(model, c), updaterForm(model, c), guardedRollback(model, c), guardedSetterRollback(model, c)].filter((f): f is Fix => !!f);
}

/** Whether the check tests that the location is unset and the action sets it: double initialisation. */
export function isDoubleInit(c: CheckThenActCandidate): boolean {
  const act = c.act;
  if (!ts.isBinaryExpression(act)) return false;
  const op = act.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken && op !== ts.SyntaxKind.BarBarEqualsToken) return false;
  if (c.actLocation.key !== c.location.key) return false;
  // A flag set to a constant is a claim made late, not an initialisation.
  const value = skipParens(act.right);
  if (ts.isLiteralExpression(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) return false;
  const atom = skipParens(c.check as ts.Expression);
  const target = skipParens(act.left);
  const text = (n: ts.Node) => n.getText().replace(/\s+/g, '');
  if (text(atom) === text(target)) return true;
  if (ts.isBinaryExpression(atom) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(atom.operatorToken.kind)) {
    const other = text(atom.left) === text(target) ? skipParens(atom.right) : text(atom.right) === text(target) ? skipParens(atom.left) : undefined;
    return !!other && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined'));
  }
  return false;
}

/** Whether a statement can complete normally (a rough test: its last statement does not jump away). */
function alwaysJumps(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && alwaysJumps(s.statements[s.statements.length - 1]);
  if (ts.isIfStatement(s)) return !!s.elseStatement && alwaysJumps(s.thenStatement) && alwaysJumps(s.elseStatement);
  return false;
}

/** The condition under which the action runs, as source text, when it can be told. */
function conditionForAct(model: AsyncModel, c: CheckThenActCandidate, actStatement: ts.Statement): { text: string; statement: ts.IfStatement; arm: 'then' | 'else' | 'after' } | undefined {
  const s = c.checkStatement;
  if (!s || !ts.isIfStatement(s) || !isPure(s.expression, true)) return undefined;
  const sf = model.sourceFile;
  const cond = skipParens(s.expression);
  const negate = () => {
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) return skipParens(cond.operand).getText(sf);
    const simple = ts.isIdentifier(cond) || ts.isPropertyAccessExpression(cond) || ts.isCallExpression(cond) || ts.isElementAccessExpression(cond);
    return simple ? `!${cond.getText(sf)}` : `!(${cond.getText(sf)})`;
  };
  if (isWithin(actStatement, s.thenStatement)) return { text: cond.getText(sf), statement: s, arm: 'then' };
  if (s.elseStatement && isWithin(actStatement, s.elseStatement)) return { text: negate(), statement: s, arm: 'else' };
  if (!isWithin(actStatement, s) && alwaysJumps(s.thenStatement) && !s.elseStatement) return { text: negate(), statement: s, arm: 'after' };
  return undefined;
}

/** `if (!map.has(k)) { await …; map.set(k, v); }` → `… if (!map.has(k)) map.set(k, v);`. */
function recheck(model: AsyncModel, c: CheckThenActCandidate): Fix | undefined {
  if (c.callee) return undefined;
  // Checking again helps only when the test reads the state itself, in memory: a local holding
  // a stale value (`if (!exists)`, `if (seq === last)`) gives the same stale answer, and a file or
  // store needs an exclusive act instead.
  if (!['module', 'instance', 'static', 'captured'].includes(c.location.kind) || !c.checkedRead || !c.checkStatement || !isWithin(c.checkedRead, c.checkStatement)) return undefined;
  const stmt = statementOf(c.act);
  if (!stmt || isWithin(c.suspension, stmt)) return undefined;
  const cond = conditionForAct(model, c, stmt);
  if (!cond || !isWithin(c.checkedRead, cond.statement.expression) || !namesMeanTheSame(model, cond.statement.expression, stmt)) return undefined;
  const sf = model.sourceFile;
  if (isTypeChecked(sf) && comparesNarrowedAway(cond.statement.expression, cond.arm !== 'then')) return undefined;
  return {
    description: `Check \`${cond.text}\` again right before acting`,
    edits: [{ start: stmt.getStart(sf), end: stmt.getEnd(), text: `if (${cond.text}) ${stmt.getText(sf)}` }],
  };
}

/** Whether TypeScript checks the file's types: a TypeScript file, or JavaScript under `// @ts-check`. */
function isTypeChecked(sf: ts.SourceFile): boolean {
  return /\.[cm]?tsx?$/.test(sf.fileName) || /^\s*\/\/\s*@ts-check\b/m.test(sf.text.slice(0, 2000));
}

/** `x`, `this`, `a.b`, `a?.b`, `a[0]`, `a['k']`: what TypeScript narrows by a comparison. */
function isNarrowableReference(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (ts.isIdentifier(x) || x.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(x)) return isNarrowableReference(x.expression);
  if (ts.isElementAccessExpression(x)) return ts.isLiteralExpression(skipParens(x.argumentExpression)) && isNarrowableReference(x.expression);
  return false;
}

/**
 * Whether the act's branch, reached when `test` is `!negated`, holds a comparison of a narrowable
 * reference known there to be unequal (`if (ws?.readyState === WebSocket.OPEN) return;` …
 * after it; `if (s !== 'idle') { … }` inside). TypeScript narrows the reference on that branch and
 * keeps the narrowing across the await, so the same comparison written again there compares
 * types with no overlap (TS2367) and the suggested code would not compile. Comparisons with
 * `null` and `undefined` are always allowed. (Conservative: one such comparison anywhere in the
 * test is enough.)
 */
function comparesNarrowedAway(test: ts.Expression, negated: boolean): boolean {
  const x = skipParens(test);
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) return comparesNarrowedAway(x.operand, !negated);
  if (!ts.isBinaryExpression(x)) return false;
  const op = x.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return comparesNarrowedAway(x.left, negated) || comparesNarrowedAway(x.right, negated);
  const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  if (!equal && op !== ts.SyntaxKind.ExclamationEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsToken) return false;
  const nullish = (e: ts.Expression) => {
    const y = skipParens(e);
    return y.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(y) && y.text === 'undefined') || ts.isVoidExpression(y);
  };
  if (nullish(x.left) || nullish(x.right) || !(isNarrowableReference(x.left) || isNarrowableReference(x.right))) return false;
  // Unequal on the act's branch: `===` when the test is false there, `!==` when it is true.
  return equal === negated;
}

function isClaim(e: ts.Expression): boolean {
  const x = skipParens(e);
  if ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) return isPure(x.operand);
  if (ts.isBinaryExpression(x)) {
    const op = x.operatorToken.kind;
    const literal = (v: ts.Expression) => {
      const y = skipParens(v);
      return ts.isLiteralExpression(y) || y.kind === ts.SyntaxKind.TrueKeyword || y.kind === ts.SyntaxKind.FalseKeyword || y.kind === ts.SyntaxKind.NullKeyword || (ts.isPrefixUnaryExpression(y) && ts.isNumericLiteral(y.operand));
    };
    if ((op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.MinusEqualsToken) && literal(x.right)) return isPure(x.left);
    return false;
  }
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) {
    const m = x.expression.name.text;
    if (m === 'add' && x.arguments.length === 1) return isPure(x.expression.expression) && isPure(x.arguments[0]);
  }
  return false;
}

/** `if (running >= max) return; await …; running++;` → `running++` right after the check. */
function claimFirst(model: AsyncModel, c: CheckThenActCandidate): Fix | undefined {
  if (c.callee) return undefined;
  const stmt = statementOf(c.act);
  if (!stmt || ts.isAwaitExpression(stmt.expression) || !isClaim(stmt.expression)) return undefined;
  const cond = conditionForAct(model, c, stmt);
  if (!cond) return undefined;
  const sf = model.sourceFile;
  let insertAt: number;
  let indent: string;
  if (cond.arm === 'after') {
    if (stmt.parent !== cond.statement.parent) return undefined;
    insertAt = cond.statement.getEnd();
    indent = indentOf(sf, cond.statement.getStart(sf));
  } else {
    const arm = cond.arm === 'then' ? cond.statement.thenStatement : cond.statement.elseStatement!;
    if (!ts.isBlock(arm) || stmt.parent !== arm || arm.statements[0] === stmt) return undefined;
    insertAt = arm.getStart(sf) + 1;
    indent = indentOf(sf, arm.statements[0].getStart(sf));
  }
  const anchor = cond.arm === 'after' ? cond.statement : (cond.arm === 'then' ? cond.statement.thenStatement : cond.statement.elseStatement!);
  if (!namesMeanTheSame(model, stmt, anchor)) return undefined;
  // Remove the whole line of the action when it is alone on it.
  const text = sf.text;
  let start = stmt.getStart(sf);
  let end = stmt.getEnd();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && lineEnd >= 0 && /^[ \t]*$/.test(text.slice(end, lineEnd))) {
    start = lineStart;
    end = lineEnd + 1;
  }
  return {
    description: `Claim \`${c.location.text}\` before the await, right after the check`,
    edits: [
      { start: insertAt, end: insertAt, text: `\n${indent}${stmt.getText(sf)}` },
      { start, end, text: '' },
    ],
  };
}

/** `if (full) await slotFreed();` → `while (full) await slotFreed();`: test again after each wake-up. */
function waitInLoop(model: AsyncModel, c: CheckThenActCandidate): Fix | undefined {
  const s = c.checkStatement;
  if (!s || !ts.isIfStatement(s) || s.elseStatement || !isPure(s.expression, true) || isWithin(c.act, s)) return undefined;
  const arm = s.thenStatement;
  const statements = ts.isBlock(arm) ? arm.statements : [arm];
  if (statements.length === 0 || !statements.every((x) => ts.isExpressionStatement(x) && ts.isAwaitExpression(skipParens(x.expression)))) return undefined;
  const start = s.getStart(model.sourceFile);
  return { description: 'Wait in a loop that tests again after each wake-up', edits: [{ start, end: start + 2, text: 'while' }] };
}

/**
 * A stale comparison: `const last = this.lastSeq.get(id) ?? 0; await send(u); if (u.seq === last + 1) …`
 * → the local declared right before the check, after the await, so the check compares with the
 * current value. Only for a local declared from in-memory state in the check's own block and not
 * used before the check.
 */
function rereadBeforeCheck(model: AsyncModel, c: CheckThenActCandidate): Fix | undefined {
  if (!c.stale || c.callee || !c.checkedRead || !c.checkStatement || !['module', 'instance', 'static', 'captured'].includes(c.location.kind)) return undefined;
  let decl: ts.Node = c.checkedRead;
  while (decl.parent && !ts.isVariableDeclaration(decl) && !isFunctionLike(decl) && !ts.isStatement(decl)) decl = decl.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || !decl.initializer || !isWithin(c.checkedRead, decl.initializer)) return undefined;
  const list = decl.parent;
  const stmt = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(stmt) || !isStatementList(stmt.parent)) return undefined;
  const check = c.checkStatement;
  if (check.parent !== stmt.parent || !ts.isStatement(check) || check.getStart() < c.suspension.getEnd() || c.suspension.getStart() < stmt.getEnd()) return undefined;
  if (!isPure(decl.initializer, true) || !namesMeanTheSame(model, decl.initializer, check)) return undefined;
  // The local is not used between its declaration and the check.
  const siblings = (stmt.parent as ts.Block).statements;
  const binding = model.scopes.resolve(decl.name);
  const between = siblings.slice(siblings.indexOf(stmt as ts.Statement) + 1, siblings.indexOf(check as ts.Statement));
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === decl.name.getText() && model.scopes.resolve(n) === binding) used = true;
    ts.forEachChild(n, visit);
  };
  for (const b of between) visit(b);
  if (used || !binding) return undefined;
  const sf = model.sourceFile;
  const text = sf.text;
  let start = stmt.getStart(sf);
  let end = stmt.getEnd();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && lineEnd >= 0 && /^[ \t]*$/.test(text.slice(end, lineEnd).replace(/\r$/, ''))) {
    start = lineStart;
    end = lineEnd + 1;
  }
  const checkStart = check.getStart(sf);
  return {
    description: `Read \`${decl.name.getText()}\` after the await, right before the check`,
    edits: [
      { start, end, text: '' },
      { start: checkStart, end: checkStart, text: `${stmt.getText(sf)}\n${indentOf(sf, checkStart)}` },
    ],
  };
}

export function checkThenActFixes(model: AsyncModel, c: CheckThenActCandidate): Fix[] {
  // (Nothing is awaited between the check and a replacement that is not ready yet: checking
  // again, or claiming first, changes nothing.)
  if (c.kind !== 'act' || c.readyAfter) return [];
  return [waitInLoop(model, c), claimFirst(model, c), recheck(model, c), rereadBeforeCheck(model, c)].filter((f): f is Fix => !!f);
}
