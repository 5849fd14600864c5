// Calls plain JavaScript gives the type checker no way to resolve, resolved from the file itself:
// a method called on an element of an untyped array (`for (const p of this.players) p.push(frame)`,
// where `this.players = []` is only ever filled with `new DecoderPlayer(...)`), and a function
// assigned to a property of a namespace object (`stbvorbis.decode = function (buf) { ... }`,
// `Player.prototype.push = function (frame) { ... }`). Used only where the checker found no
// declaration at all, and only when the file gives one answer: two classes in one array, or two
// functions assigned under one name, resolve to nothing.
import { ts } from 'ts-morph';
import { isConstDeclaration, skipOuter } from '../syntax';

type FunctionValue = ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

function text(e: ts.Node): string {
  return e.getText().replace(/\s+/g, '');
}

/**
 * The function a JavaScript assignment declaration gives a property (`codec.encode = function
 * (pcm) {}`: the checker's declaration of `encode` is that assignment or its left side).
 */
export function assignedFunctionOf(decl: ts.Node): ts.FunctionExpression | ts.ArrowFunction | undefined {
  const assignment = ts.isPropertyAccessExpression(decl) ? decl.parent : decl;
  if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(assignment.left)) return undefined;
  const r = skipOuter(assignment.right);
  return ts.isFunctionExpression(r) || ts.isArrowFunction(r) ? r : undefined;
}

/** The function a call reaches when its receiver is untyped, or undefined (see the file comment). */
export function untypedCallee(call: ts.CallExpression, checker: ts.TypeChecker): FunctionValue | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
  if (checker.getSymbolAtLocation(callee.name)) return undefined;
  const sf = call.getSourceFile();
  const name = callee.name.text;
  const receiver = skipOuter(callee.expression);
  const classes = elementClasses(receiver, sf, checker);
  if (classes) return classes.length === 1 ? methodOf(classes[0], name, sf) : undefined;
  // `ns.decode(...)` on an object the file extends by assignment.
  if (ts.isIdentifier(receiver)) return assignedFunction(`${receiver.text}.${name}`, sf);
  return undefined;
}

/**
 * The classes whose instances an element variable holds: `p` of `for (const p of list)` or of
 * `list.forEach((p) => ...)`, when every value the file puts in `list` (array literal elements,
 * `list.push(x)` arguments) is `new C(...)`, directly or through a const. Undefined when `e` is no
 * such element; an empty or mixed answer says the file does not tell.
 */
function elementClasses(e: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Identifier[] | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl) return undefined;
  let list: ts.Expression | undefined;
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent)) list = decl.parent.parent.expression;
  else if (ts.isParameter(decl) && decl.parent.parameters[0] === decl && (ts.isArrowFunction(decl.parent) || ts.isFunctionExpression(decl.parent))) {
    const owner = decl.parent.parent;
    if (ts.isCallExpression(owner) && owner.arguments[0] === decl.parent && ts.isPropertyAccessExpression(owner.expression) && /^(forEach|map|filter|some|every)$/.test(owner.expression.name.text)) list = owner.expression.expression;
  }
  if (!list) return undefined;
  const classes: ts.Identifier[] = [];
  for (const v of valuesPutIn(text(skipOuter(list)), sf)) {
    const x = skipOuter(v);
    if (ts.isArrayLiteralExpression(x)) {
      for (const el of x.elements) {
        const c = constructedClass(el, checker);
        if (!c) return [];
        classes.push(c);
      }
      continue;
    }
    const c = constructedClass(x, checker);
    if (!c) return [];
    classes.push(c);
  }
  const distinct = [...new Map(classes.map((c) => [c.text, c])).values()];
  return distinct;
}

/** Per file and list (by its text): the values the file puts in it. */
const listValues = new WeakMap<ts.SourceFile, Map<string, ts.Expression[]>>();

/**
 * Every value the file puts in the list spelled `listText`: array literals assigned to it or
 * declared as it, and `push`/`unshift` arguments. One walk of the file per list, however many
 * calls on its elements ask (a walk per call was quadratic in big plain-JavaScript files).
 */
function valuesPutIn(listText: string, sf: ts.SourceFile): ts.Expression[] {
  let byList = listValues.get(sf);
  if (!byList) listValues.set(sf, (byList = new Map()));
  let values = byList.get(listText);
  if (values) return values;
  const found: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(push|unshift)$/.test(n.expression.name.text) && text(skipOuter(n.expression.expression)) === listText) found.push(...n.arguments);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && text(skipOuter(n.left)) === listText) found.push(n.right);
    if (ts.isVariableDeclaration(n) && n.initializer && text(n.name) === listText) found.push(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  byList.set(listText, (values = found));
  return values;
}

/** The class `new C(...)` makes, directly or through the const it is bound to. */
function constructedClass(e: ts.Expression, checker: ts.TypeChecker): ts.Identifier | undefined {
  let x = skipOuter(e);
  if (ts.isIdentifier(x)) {
    const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer || !isConstDeclaration(d)) return undefined;
    x = skipOuter(d.initializer);
  }
  return ts.isNewExpression(x) && ts.isIdentifier(x.expression) ? x.expression : undefined;
}

/** Method `name` of the same-file class (or constructor function) `c`: a class member or a `C.prototype.name = function`. */
function methodOf(c: ts.Identifier, name: string, sf: ts.SourceFile): FunctionValue | undefined {
  let found: FunctionValue | undefined;
  for (const st of sf.statements) {
    const cls = ts.isClassDeclaration(st) && st.name?.text === c.text ? st : undefined;
    const member = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && m.name.text === name);
    if (member) found = member;
  }
  return found ?? assignedFunction(`${c.text}.prototype.${name}`, sf);
}

/** Per file: each property path it assigns to, how many times, and the (last) function assigned. */
const propertyAssignments = new WeakMap<ts.SourceFile, Map<string, { count: number; fn?: FunctionValue }>>();

/**
 * The one function the file assigns to a property path (`ns.decode = function () {}`), anywhere
 * in the file. The file is walked once for all paths: every unresolved call of a plain JavaScript
 * file may ask, and a walk per call was quadratic.
 */
function assignedFunction(path: string, sf: ts.SourceFile): FunctionValue | undefined {
  let byPath = propertyAssignments.get(sf);
  if (!byPath) {
    const table = new Map<string, { count: number; fn?: FunctionValue }>();
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
        const key = text(n.left);
        const entry = table.get(key) ?? { count: 0 };
        entry.count++;
        const r = skipOuter(n.right);
        if (ts.isFunctionExpression(r) || ts.isArrowFunction(r)) entry.fn = r;
        table.set(key, entry);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    propertyAssignments.set(sf, (byPath = table));
  }
  const entry = byPath.get(path);
  return entry?.count === 1 ? entry.fn : undefined;
}
