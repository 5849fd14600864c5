// Memory a public function receives from its callers. An exported function, a public method or
// the constructor of an exported class that transfers a parameter (or a part of one taken out in
// its body) detaches memory its callers still hold, unless its name, parameters or doc say it
// takes the buffer over. Which functions are public API, and which parameter a transferred name
// stands for.
import { ts } from 'ts-morph';
import { enclosingFunction } from './sharedBuffers';
import { isConstDeclaration, skipOuter, skipOuterParents } from '../syntax';

/** Whether `fn` is public API (see publicApiOf) whose name, parameters and doc do not say it takes a buffer over. */
export function takesOverSilently(fn: ts.Node, sf: ts.SourceFile): boolean {
  const api = publicApiOf(fn, sf);
  const params = (fn as ts.SignatureDeclaration).parameters?.map((p) => p.name.getText(sf)).join(' ') ?? '';
  return !!api && !OWNERSHIP_WORDS.test(`${api.name} ${params} ${api.doc}`);
}

export const OWNERSHIP_WORDS = /transfer|move|detach|owner|consum|take|hand ?over|zero-?copy/i;

/** The parameter a transferred name stands for: the parameter itself, or a part of it taken out in the body (`const { data } = image`, `const data = image.data`). */
export function parameterBehind(decl: ts.Node | undefined, checker: ts.TypeChecker, depth = 0): ts.ParameterDeclaration | undefined {
  if (!decl || depth > 3) return undefined;
  if (ts.isParameter(decl)) return ts.isIdentifier(decl.name) && !decl.dotDotDotToken ? decl : undefined;
  let source: ts.Expression | undefined;
  if (ts.isBindingElement(decl) && !decl.dotDotDotToken && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent)) source = decl.parent.parent.initializer;
  else if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && isConstDeclaration(decl)) source = decl.initializer;
  if (!source) return undefined;
  return parameterOfValue(source, checker, depth);
}

/**
 * The parameter whose memory a value is: a property path of the parameter, a const or
 * destructured name bound to one, or a field of `this` that is a constructor parameter property
 * (`constructor(public props: Props)`) and is only ever given parameters. A call
 * (`image.data.slice()`, `await load(url)`) makes new memory and is no parameter's.
 */
function parameterOfValue(value: ts.Expression, checker: ts.TypeChecker, depth: number): ts.ParameterDeclaration | undefined {
  const v = skipOuter(value);
  // Through a choice only when neither branch copies: `n > 1 ? data.slice() : data` hands the
  // caller's buffer over on one branch on purpose (a single consumer may take the original),
  // while `typeof data === 'string' ? await load(data) : data` only accepts two kinds of input
  // and passes the caller's own memory on in the second.
  if (ts.isConditionalExpression(v)) {
    if (depth > 3 || [v.whenTrue, v.whenFalse].some(isCopy)) return undefined;
    return parameterOfValue(v.whenTrue, checker, depth + 1) ?? parameterOfValue(v.whenFalse, checker, depth + 1);
  }
  let x = v;
  while (ts.isPropertyAccessExpression(x) && skipOuter(x.expression).kind !== ts.SyntaxKind.ThisKeyword) x = skipOuter(x.expression);
  if (ts.isPropertyAccessExpression(x)) return constructorPropertyParameter(x, checker);
  if (!ts.isIdentifier(x)) return undefined;
  const d = checker.getSymbolAtLocation(x)?.valueDeclaration;
  if (!d) return undefined;
  if (ts.isParameter(d)) return ts.isIdentifier(d.name) && !d.dotDotDotToken ? d : undefined;
  // Only names bound once (a const, a destructured binding): a `let` may hold anything later.
  return x === v || ts.isBindingElement(d) ? parameterBehind(d, checker, depth + 1) : undefined;
}

/** Whether an expression makes a copy of memory it is given: `x.slice()`, `structuredClone(x)`, `new Uint8Array(x)`, `Array.from(x)`. */
function isCopy(e: ts.Expression): boolean {
  let x = skipOuter(e);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (ts.isNewExpression(x)) return (x.arguments?.length ?? 0) === 1 && /Array$/.test(x.expression.getText());
  if (!ts.isCallExpression(x)) return false;
  const callee = skipOuter(x.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'structuredClone';
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'slice' || (callee.name.text === 'from' && /Array$/.test(callee.expression.getText())));
}

/** For `this.props`: the constructor parameter property it is (`constructor(public props)`), when every other assignment of it gives it a parameter too. */
function constructorPropertyParameter(field: ts.PropertyAccessExpression, checker: ts.TypeChecker): ts.ParameterDeclaration | undefined {
  const d = checker.getSymbolAtLocation(field.name)?.valueDeclaration;
  if (!d || !ts.isParameter(d) || !ts.isConstructorDeclaration(d.parent) || !ts.isIdentifier(d.name) || !ts.isParameterPropertyDeclaration(d, d.parent)) return undefined;
  const cls = d.parent.parent;
  let foreign = false;
  const visit = (n: ts.Node): void => {
    if (foreign) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(skipOuter(n.left))) {
      const left = skipOuter(n.left) as ts.PropertyAccessExpression;
      if (skipOuter(left.expression).kind === ts.SyntaxKind.ThisKeyword && checker.getSymbolAtLocation(left.name)?.valueDeclaration === d) {
        const right = skipOuter(n.right);
        const r = ts.isIdentifier(right) ? checker.getSymbolAtLocation(right)?.valueDeclaration : undefined;
        if (!r || !ts.isParameter(r)) foreign = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return foreign ? undefined : d;
}

/**
 * The name and doc comment of an exported function, a public method of an exported class, or a
 * method of an object that an exported function returns (`createBridge() { return { send(buf) {...} } }`)
 * or an exported constant holds, if `fn` is one; `described` names it for a message.
 */
export function publicApiOf(fn: ts.Node, sf: ts.SourceFile, depth = 0): { node: ts.Node; name: string; doc: string; described: string } | undefined {
  const exported = (n: ts.Node) => !!ts.getCombinedModifierFlags(n as ts.Declaration) && (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
  const docOf = (n: ts.Node) => (ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? []).map((r) => sf.text.slice(r.pos, r.end)).join(' ');
  if (ts.isFunctionDeclaration(fn) && fn.name && exported(fn)) return { node: fn.name, name: fn.name.text, doc: docOf(fn), described: `the exported \`${fn.name.text}\`` };
  const holder = ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? fn.parent : fn;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && ts.isVariableStatement(holder.parent.parent) && exported(holder.parent.parent)) {
    return { node: holder.name, name: holder.name.text, doc: docOf(holder.parent.parent), described: `the exported \`${holder.name.text}\`` };
  }
  // The constructor of an exported class: what the caller passes in (`new Layer(props)`) is its memory.
  if (ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent) && fn.parent.name && exported(fn.parent)) {
    return { node: fn.parent.name, name: fn.parent.name.text, doc: docOf(fn.parent), described: `the constructor of the exported class \`${fn.parent.name.text}\`` };
  }
  if ((ts.isMethodDeclaration(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name) && !holder.name.text.startsWith('_') && ts.isClassLike(holder.parent)) {
    const flags = ts.getCombinedModifierFlags(holder);
    const cls = holder.parent;
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return undefined;
    if (ts.isClassDeclaration(cls) && exported(cls)) return { node: holder.name, name: holder.name.text, doc: docOf(holder), described: `the public method \`${cls.name?.text ?? 'class'}.${holder.name.text}\`` };
  }
  // A method of an object literal handed out: returned by an exported function, or exported itself.
  if ((ts.isMethodDeclaration(holder) || ts.isPropertyAssignment(holder)) && ts.isIdentifier(holder.name) && !holder.name.text.startsWith('_') && ts.isObjectLiteralExpression(holder.parent) && depth < 2) {
    const object = holder.parent;
    const outer = skipOuterParents(object);
    const name = holder.name.text;
    if (ts.isReturnStatement(outer.parent) || ts.isArrowFunction(outer.parent)) {
      const factory = ts.isArrowFunction(outer.parent) ? outer.parent : enclosingFunction(outer.parent);
      const api = factory && publicApiOf(factory, sf, depth + 1);
      if (api) return { node: holder.name, name, doc: docOf(holder), described: `\`${name}\`, a method of the object ${api.described} returns` };
    }
    if (ts.isVariableDeclaration(outer.parent) && ts.isIdentifier(outer.parent.name) && ts.isVariableStatement(outer.parent.parent.parent) && exported(outer.parent.parent.parent)) {
      return { node: holder.name, name, doc: docOf(holder), described: `\`${outer.parent.name.text}.${name}\`, a method of an exported object` };
    }
  }
  return undefined;
}
