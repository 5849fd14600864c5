// A promise, or a function returning one, where the code does not expect one. In a condition a
// promise is always truthy, so `if (isAllowed(user))` with an async `isAllowed` lets everyone in
// and never waits; `arr.filter(async ...)` keeps every element. An async function passed where
// a void callback is expected (`forEach`, `setTimeout`, event listeners, a Promise executor, an
// `onClick` prop, an interface method declared `(): void`) has its promise dropped by the caller:
// nothing awaits it, so iterations overlap and race, and its rejections go unhandled. Spreading a
// promise copies none of its result. Deliberately left alone: `T | undefined` presence checks on
// promise-valued variables (only always-promise conditions are reported), callbacks whose
// parameter type also accepts a promise (`() => void | Promise<void>`), `.finally(async ...)`
// (the promise chain awaits it), and `??` outside conditions.
import { ts } from 'ts-morph';
import type { Fix } from '../findings';
import {
  calleeSignatures,
  candidateReturnTypes,
  isAlwaysThenable,
  isPromiseType,
  isSometimesThenable,
  isThenableReturningFunctionType,
  isVoidReturningFunctionType,
  LITERAL_VALUE_EXPRESSIONS,
  NEVER_PROMISE_TYPE_NODES,
  NODE_TYPES_KEY,
  NodeTypes,
  PRIMITIVE_TYPE_FLAGS,
  referencedDeclaredType,
  returnsThenable,
  staticMemberName,
  unionParts,
} from '../promiseTypes';
import type { RuleContext, RuleDefinition } from '../rule';
import { objectOptions, schemaOf } from './options';

export interface MisusedPromiseOptions extends Record<string, unknown> {
  checksConditionals: boolean;
  checksVoidReturn: boolean;
  checksSpreads: boolean;
}

const SPEC: Parameters<typeof schemaOf>[0] = {
  checksConditionals: { type: 'boolean', default: true, description: 'Report promises used as conditions (`if (p)`, `!p`, `p && x`, array predicates).' },
  checksVoidReturn: {
    type: 'boolean',
    default: true,
    description: 'Report promise-returning functions passed, assigned or returned where a void-returning function is expected.',
  },
  checksSpreads: { type: 'boolean', default: true, description: 'Report spreading a promise (`{ ...p }`).' },
};

const ARRAY_PREDICATES = new Set(['every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some']);

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function isLogical(e: ts.Node): e is ts.BinaryExpression {
  if (!ts.isBinaryExpression(e)) return false;
  const k = e.operatorToken.kind;
  return k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.QuestionQuestionToken;
}

function isFunctionExpressionLike(e: ts.Node): e is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}

function isAsync(fn: ts.Node): boolean {
  return ts.canHaveModifiers(fn) && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Whether a function body returns a value somewhere (not counting nested functions). */
function returnsAValue(fn: ts.SignatureDeclaration & { body?: ts.Node }): boolean {
  return someReturnedValue(fn, () => true);
}

/** Whether `test` holds for some value the function returns (not counting nested functions); true without a body. */
function someReturnedValue(fn: ts.SignatureDeclaration & { body?: ts.Node }, test: (value: ts.Expression) => boolean): boolean {
  if (!fn.body) return true;
  if (!ts.isBlock(fn.body)) return test(fn.body as ts.Expression);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn.body && ts.isFunctionLike(n)) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) found = test(n.expression);
    else ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** Never a thenable: what is never a promise nor an array, and arrays too (an array is no thenable). */
const NEVER_THENABLE_TYPE_NODES = new Set([...NEVER_PROMISE_TYPE_NODES, ts.SyntaxKind.ArrayType]);

/** Whether a return type annotation names a type that is never a thenable (`void`, `string[]`, `x is T`, unions of those). */
function isNeverThenableTypeNode(node: ts.TypeNode): boolean {
  if (ts.isParenthesizedTypeNode(node)) return isNeverThenableTypeNode(node.type);
  if (ts.isUnionTypeNode(node)) return node.types.every(isNeverThenableTypeNode);
  return NEVER_THENABLE_TYPE_NODES.has(node.kind);
}

/**
 * Expressions whose value is never a thenable nor a function: literal values, array literals,
 * `void`, and JSX elements. (A JSX element is an element object, JSX.Element; typing a callback
 * that returns one resolves the call it is passed to and the element's props.)
 */
const NEVER_THENABLE_EXPRESSIONS: ReadonlySet<ts.SyntaxKind> = new Set([
  ...LITERAL_VALUE_EXPRESSIONS,
  ts.SyntaxKind.ArrayLiteralExpression,
  ts.SyntaxKind.VoidExpression,
  ts.SyntaxKind.JsxElement,
  ts.SyntaxKind.JsxSelfClosingElement,
  ts.SyntaxKind.JsxFragment,
]);

/**
 * Whether a value may be a thenable, judged from syntax alone: literals, arithmetic,
 * comparisons, arrays, functions and object literals without a `then` member never are.
 */
function mayBeThenableResult(expression: ts.Expression): boolean {
  const e = skipParens(expression);
  if (NEVER_THENABLE_EXPRESSIONS.has(e.kind)) return false;
  switch (e.kind) {
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return false;
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (e as ts.ObjectLiteralExpression).properties.some((p) => !p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) || p.name.text === 'then');
    case ts.SyntaxKind.ConditionalExpression:
      return mayBeThenableResult((e as ts.ConditionalExpression).whenTrue) || mayBeThenableResult((e as ts.ConditionalExpression).whenFalse);
    case ts.SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      const op = b.operatorToken.kind;
      if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return mayBeThenableResult(b.right);
      if (isLogical(b)) return mayBeThenableResult(b.left) || mayBeThenableResult(b.right);
      // `&&=`, `||=` and `??=` give one of their sides; the other assignments give numbers or strings.
      return op === ts.SyntaxKind.AmpersandAmpersandEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken;
    }
    default:
      return true;
  }
}

/**
 * Whether a synchronous function literal (or object literal method) may return a thenable: its
 * return type annotation allows one, or, without one, some returned value may be one (the return
 * type is inferred from those values). Function literals are never overloaded, so the body
 * decides; in JavaScript a JSDoc type may decide instead, so any returned value counts there.
 */
function syncFunctionMayReturnThenable(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration): boolean {
  if (fn.flags & ts.NodeFlags.JavaScriptFile) return returnsAValue(fn);
  if (fn.type) return !isNeverThenableTypeNode(fn.type);
  return someReturnedValue(fn, mayBeThenableResult);
}

/** Whether a function literal is synchronous and returns only values that are never thenables, judged from syntax alone. */
function syncFunctionReturnsNoThenable(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (isAsync(fn) || fn.type || fn.asteriskToken || fn.flags & ts.NodeFlags.JavaScriptFile) return false;
  return !someReturnedValue(fn, mayBeThenableResult);
}

/**
 * Whether an expression might be a function returning a promise, judged from syntax alone, so
 * the rule asks types only for those. Literals never are; a sync function literal is one only
 * if it may return a thenable value.
 */
function mayReturnThenable(expression: ts.Expression): boolean {
  const e = skipParens(expression);
  if (isFunctionExpressionLike(e)) return isAsync(e) || (e.asteriskToken === undefined && syncFunctionMayReturnThenable(e));
  if (NEVER_THENABLE_EXPRESSIONS.has(e.kind)) return false;
  switch (e.kind) {
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ObjectLiteralExpression:
      return false;
    case ts.SyntaxKind.BinaryExpression: {
      const op = (e as ts.BinaryExpression).operatorToken.kind;
      return op === ts.SyntaxKind.CommaToken || isLogical(e) || (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment);
    }
    default:
      return true;
  }
}

/** Whether a condition's value may be a promise, from syntax alone. */
function mayBeThenableValue(expression: ts.Expression): boolean {
  const e = skipParens(expression);
  switch (e.kind) {
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.AwaitExpression:
    case ts.SyntaxKind.ObjectLiteralExpression:
      return false;
    default:
      return mayReturnThenable(e);
  }
}

/**
 * Whether an expression's contextual type comes from a call or a JSX element, through nested
 * object and array literals, conditionals and the bodies of function literals: asking for it then
 * resolves that call, checking all its arguments.
 */
function contextResolvesACall(expression: ts.Expression): boolean {
  let node: ts.Node = expression;
  for (;;) {
    const parent = node.parent;
    switch (parent.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.ArrayLiteralExpression:
      case ts.SyntaxKind.SpreadElement:
      case ts.SyntaxKind.ConditionalExpression:
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.ObjectLiteralExpression:
      case ts.SyntaxKind.JsxExpression:
      case ts.SyntaxKind.JsxAttribute:
      case ts.SyntaxKind.JsxAttributes:
        node = parent;
        continue;
      case ts.SyntaxKind.BinaryExpression:
        if (!isLogical(parent)) return false;
        node = parent;
        continue;
      case ts.SyntaxKind.ReturnStatement: {
        let fn: ts.Node | undefined = parent.parent;
        while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
        if (!fn || !isFunctionExpressionLike(fn) || fn.type) return false;
        node = fn;
        continue;
      }
      case ts.SyntaxKind.ArrowFunction:
        if ((parent as ts.ArrowFunction).body !== node || (parent as ts.ArrowFunction).type) return false;
        node = parent;
        continue;
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        return (parent as ts.CallExpression | ts.NewExpression).arguments?.includes(node as ts.Expression) ?? false;
      case ts.SyntaxKind.JsxOpeningElement:
      case ts.SyntaxKind.JsxSelfClosingElement:
        return true;
      default:
        return false;
    }
  }
}

/** Whether an expression is a name or a chain of property accesses on one (`a`, `this.b.c`, `a!.b`), with no call to resolve. */
function isPlainPath(expression: ts.Expression): boolean {
  let e = skipParens(expression);
  for (;;) {
    if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword || e.kind === ts.SyntaxKind.SuperKeyword) return true;
    if (ts.isPropertyAccessExpression(e) || ts.isNonNullExpression(e)) e = skipParens(e.expression);
    else return false;
  }
}

/** typescript-eslint's syntactic "could this annotation be a function type" test. */
function isPossiblyFunctionType(node: ts.TypeNode): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedType:
      return isPossiblyFunctionType((node as ts.ParenthesizedTypeNode).type);
    case ts.SyntaxKind.ConditionalType:
    case ts.SyntaxKind.ConstructorType:
    case ts.SyntaxKind.FunctionType:
    case ts.SyntaxKind.ImportType:
    case ts.SyntaxKind.IndexedAccessType:
    case ts.SyntaxKind.InferType:
    case ts.SyntaxKind.IntersectionType:
    case ts.SyntaxKind.ThisType:
    case ts.SyntaxKind.TypeOperator:
    case ts.SyntaxKind.TypeQuery:
    case ts.SyntaxKind.TypeReference:
    case ts.SyntaxKind.UnionType:
      return true;
    case ts.SyntaxKind.TypeLiteral:
      return (node as ts.TypeLiteralNode).members.some((m) => ts.isCallSignatureDeclaration(m) || ts.isConstructSignatureDeclaration(m));
    default:
      return false;
  }
}

/** The names of a generic signature's own type parameters, from its declaration, or undefined when they cannot be read from there. */
function declaredTypeParameterNames(signature: ts.Signature): ReadonlySet<string> | undefined {
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!declaration?.typeParameters || declaration.flags & ts.NodeFlags.JavaScriptFile) return undefined;
  const names = new Set(declaration.typeParameters.map((p) => p.name.text));
  return names.size === signature.typeParameters!.length ? names : undefined;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** How many times a type node names one of `names`; Infinity for `this`, `typeof` and `infer`, whose meaning instantiation may change too. */
function typeParameterMentions(node: ts.Node, names: ReadonlySet<string>): number {
  let count = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && names.has(n.text)) count++;
    else if (n.kind === ts.SyntaxKind.ThisType || n.kind === ts.SyntaxKind.TypeQuery || n.kind === ts.SyntaxKind.InferType) count = Infinity;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return count;
}

/**
 * What inferring a generic call's type arguments can do to the function type a parameter expects:
 * - 'closed': nothing (its declared type mentions none of the signature's type parameters);
 * - 'self': it is `(...) => U` where U is an unconstrained type parameter that no other parameter
 *   mentions, so U is inferred from what the argument returns alone (`map<U>(cb: (v: T) => U)`):
 *   a function literal that returns a thenable makes it thenable-returning, never void;
 * - 'open': anything else.
 */
function parameterOpenness(signature: ts.Signature, decl: ts.Declaration | undefined, names: ReadonlySet<string> | undefined): 'closed' | 'self' | 'open' {
  if (!names || !decl || !ts.isParameter(decl) || !decl.type) return 'open';
  const mentions = typeParameterMentions(decl.type, names);
  if (mentions === 0) return 'closed';
  if (mentions !== 1 || decl.dotDotDotToken) return 'open';
  let type = decl.type;
  while (ts.isParenthesizedTypeNode(type)) type = type.type;
  if (!ts.isFunctionTypeNode(type) || type.typeParameters) return 'open';
  const returned = type.type;
  if (!ts.isTypeReferenceNode(returned) || returned.typeArguments || !ts.isIdentifier(returned.typeName)) return 'open';
  const name = returned.typeName.text;
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration;
  if (declaration.typeParameters?.find((p) => p.name.text === name)?.constraint) return 'open';
  const only = new Set([name]);
  if (declaration.parameters.some((p) => p !== decl && p.type && typeParameterMentions(p.type, only) > 0)) return 'open';
  return 'self';
}

/**
 * Whether no instantiation of a declared type has a call signature: a type parameter, an indexed
 * access, a conditional or a mapped type can become a function type, but a class, interface or
 * object type literal keeps its members and signatures whatever its type arguments, and a
 * primitive stays one.
 */
function neverCallableWhateverTypeArguments(type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.UnionOrIntersection) return (type as ts.UnionOrIntersectionType).types.every(neverCallableWhateverTypeArguments);
  if (type.flags & (ts.TypeFlags.TypeParameter | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) return false;
  if (type.flags & ts.TypeFlags.Object) return !((type as ts.ObjectType).objectFlags & (ts.ObjectFlags.Mapped | ts.ObjectFlags.ReverseMapped)) && type.getCallSignatures().length === 0;
  return true;
}

/**
 * Whether a type guard may narrow a reference of this declared type to a function or a promise
 * the declaration does not show: `any`, `unknown`, `object` and type parameters (as
 * isNeverAnnotation leaves them out).
 */
function narrowsToAnything(type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.UnionOrIntersection) return (type as ts.UnionOrIntersectionType).types.some(narrowsToAnything);
  return !!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive | ts.TypeFlags.Instantiable));
}

function describe(e: ts.Node): string {
  const text = e.getText().replace(/\s+/g, ' ');
  return '`' + (text.length > 50 ? text.slice(0, 47) + '...' : text) + '`';
}

const DROPPED = 'the caller drops the promise, so nothing waits for it (calls overlap and race) and its rejections go unhandled';

class MisusedPromiseCheck {
  private readonly checker: ts.TypeChecker;
  private readonly types: NodeTypes;
  private readonly checkedConditions = new Set<ts.Node>();

  constructor(private readonly ctx: RuleContext<MisusedPromiseOptions>) {
    this.checker = ctx.checker;
    this.types = ctx.shared(NODE_TYPES_KEY, () => new NodeTypes(this.checker));
  }

  run(): void {
    const o = this.ctx.options;
    const visit = (node: ts.Node): void => {
      if (o.checksConditionals) this.visitConditional(node);
      if (o.checksVoidReturn) this.visitVoidReturn(node);
      if (o.checksSpreads && (ts.isSpreadAssignment(node) || ts.isSpreadElement(node))) this.checkSpread(node);
      ts.forEachChild(node, visit);
    };
    visit(this.ctx.sourceFile);
  }

  private typeOf(node: ts.Node): ts.Type {
    return this.types.of(node);
  }

  /**
   * Whether an expression's value is a function that returns a thenable. For a call, the return
   * types of the callee's signatures answer first when they tell (the call's type is one of them):
   * resolving the call would check its arguments, callbacks included.
   */
  private returnsThenableValue(expression: ts.Expression): boolean {
    const e = skipParens(expression);
    if (isFunctionExpressionLike(e) && isAsync(e)) return true;
    if (this.cannotReturnThenable(e)) return false;
    return returnsThenable(this.checker, expression, this.typeOf(expression));
  }

  /**
   * Whether an expression's value is known not to return a thenable without typing it. A function
   * literal's type needs its context (its parameters are typed from the call it is passed to),
   * but its return type is the union of what it returns: values that cannot be thenables, or
   * calls whose signatures say they return none, need no context. A call's type is one of its
   * callee's signatures' return types, when those tell.
   */
  private cannotReturnThenable(e: ts.Expression): boolean {
    if (isFunctionExpressionLike(e)) {
      if (isAsync(e) || e.type || e.asteriskToken || e.flags & ts.NodeFlags.JavaScriptFile) return false;
      return !someReturnedValue(e, (v) => mayBeThenableResult(v) && !this.neverThenableCall(v));
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      const returns = this.candidateReturns(e);
      if (returns) return !returns.some((t) => returnsThenable(this.checker, e, t));
      if (e.flags & ts.NodeFlags.JavaScriptFile) return false;
      return this.declaredReturnsNever(e, 'callable') || (ts.isCallExpression(e) && this.bindsNonThenableFunction(e));
    }
    return false;
  }

  /**
   * Whether an expression is a variable or parameter whose declaration shows it never holds a
   * function that returns a thenable (`what` 'callable'), or never a thenable ('thenable'): a type
   * annotation that never is one (`uri: URI`, `n: number`), or no annotation and an initializer that
   * never is one (`const n = a.length + 1`). Narrowing keeps a reference within its declared type,
   * so the declaration answers for every use; asking the symbol resolves only the name, where
   * typing the reference walks the control flow back to the declaration (and an argument's callee
   * is typed to see whether the argument matters).
   */
  private namesNever(e: ts.Expression, what: 'callable' | 'thenable'): boolean {
    if (!ts.isIdentifier(e) || e.flags & ts.NodeFlags.JavaScriptFile) return false;
    const symbol = this.checker.getSymbolAtLocation(e);
    return !!symbol && this.declaredNever(symbol, what);
  }

  private declaredNever(symbol: ts.Symbol, what: 'callable' | 'thenable'): boolean {
    if (!(symbol.flags & (ts.SymbolFlags.FunctionScopedVariable | ts.SymbolFlags.BlockScopedVariable)) || symbol.declarations?.length !== 1) return false;
    const decl = symbol.valueDeclaration;
    if (!decl || !(ts.isParameter(decl) || ts.isVariableDeclaration(decl)) || !ts.isIdentifier(decl.name) || decl.flags & ts.NodeFlags.JavaScriptFile) return false;
    if (decl.type) return this.isNeverAnnotation(decl.type, what);
    if (!ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    // `let x = null` (or `undefined`, `void 0`) declares an evolving `any` that takes the type of what is assigned later.
    const init = skipParens(decl.initializer);
    if (init.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(init)) return false;
    return what === 'callable' ? !mayReturnThenable(init) : !mayBeThenableResult(init);
  }

  /**
   * The symbol a name refers to, through an import, when every declaration of it is in a
   * TypeScript file (JavaScript's JSDoc types and expando assignments are left to the checker).
   */
  private tsSymbolOf(e: ts.Identifier): ts.Symbol | undefined {
    if (e.flags & ts.NodeFlags.JavaScriptFile) return undefined;
    let symbol = this.checker.getSymbolAtLocation(e);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declarations = symbol?.declarations;
    if (!declarations?.length || declarations.some((d) => d.flags & ts.NodeFlags.JavaScriptFile)) return undefined;
    return symbol;
  }

  /**
   * The declared type of a variable or parameter (`annotated`: only when every declaration writes
   * it), unless narrowing could take a reference outside what it shows (narrowsToAnything). The
   * checker works a symbol's declared type out once per program; typing a reference walks the
   * control flow back from it every time. Narrowing keeps a reference within its declared type,
   * as namesNever assumes.
   */
  private declaredVariableType(symbol: ts.Symbol, annotated: boolean): ts.Type | undefined {
    if (symbol.flags & ts.SymbolFlags.Value & ~ts.SymbolFlags.Variable) return undefined;
    const declarations = symbol.declarations!;
    if (!declarations.every((d) => (ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isBindingElement(d)) && (!annotated || (!ts.isBindingElement(d) && d.type)))) return undefined;
    const type = this.checker.getTypeOfSymbol(symbol);
    return narrowsToAnything(type) ? undefined : type;
  }

  /**
   * Whether a name passed as an argument never holds a function that returns a thenable, read
   * from its declarations, before the callee is typed: a class, enum or namespace is never called
   * (a class is constructed); a function whose every declaration writes a return type that is never
   * a thenable; a variable or parameter whose written type has no signature returning one. Typing
   * the argument's reference costs more and is asked only where the callee expects a function.
   */
  private nameNeverReturnsThenable(e: ts.Expression): boolean {
    if (!ts.isIdentifier(e)) return false;
    const symbol = this.tsSymbolOf(e);
    if (!symbol) return false;
    const value = symbol.flags & ts.SymbolFlags.Value;
    if (value && !(value & ~(ts.SymbolFlags.Class | ts.SymbolFlags.Enum | ts.SymbolFlags.ValueModule))) return true;
    if (value & ts.SymbolFlags.Function && !(value & ~(ts.SymbolFlags.Function | ts.SymbolFlags.ValueModule))) {
      return symbol.declarations!.every((d) => {
        if (!ts.isFunctionDeclaration(d)) return ts.isModuleDeclaration(d);
        return !!d.type && this.isNeverTypeNode(d.type, d.typeParameters ? new Set(d.typeParameters.map((p) => p.name.text)) : NO_NAMES, 'thenable');
      });
    }
    const declared = this.declaredVariableType(symbol, true);
    return !!declared && !returnsThenable(this.checker, e, declared);
  }

  /** Whether a name in a condition is a variable or parameter whose declared type is never a thenable (declaredVariableType). */
  private declaredNeverThenable(e: ts.Expression): boolean {
    if (!ts.isIdentifier(e)) return false;
    const symbol = this.tsSymbolOf(e);
    const declared = symbol && this.declaredVariableType(symbol, false);
    return !!declared && !isSometimesThenable(this.checker, e, declared);
  }

  /**
   * isNeverTypeNode for a variable's declared type, where `any`, `unknown` and `object` do not
   * count: a type guard can narrow those to a function or a promise (`value is () => Promise<void>`).
   */
  private isNeverAnnotation(node: ts.TypeNode, what: 'callable' | 'thenable'): boolean {
    if (ts.isParenthesizedTypeNode(node)) return this.isNeverAnnotation(node.type, what);
    if (ts.isUnionTypeNode(node)) return node.types.every((t) => this.isNeverAnnotation(t, what));
    if (node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.UnknownKeyword || node.kind === ts.SyntaxKind.ObjectKeyword) return false;
    return this.isNeverTypeNode(node, NO_NAMES, what);
  }

  /**
   * Whether every signature a call may resolve to declares a return type that is never callable
   * (or never a thenable), whatever its type arguments: `map<U>(...): U[]`, `new Map<K, V>()`.
   * The generic calls candidateReturnTypes leaves to resolution are answered from the declarations.
   */
  private declaredReturnsNever(call: ts.CallExpression | ts.NewExpression, what: 'callable' | 'thenable'): boolean {
    const { signatures } = calleeSignatures(this.types, call);
    return (
      signatures.length > 0 &&
      signatures.every((signature) => {
        const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
        if (!declaration?.type || declaration.flags & ts.NodeFlags.JavaScriptFile) return false;
        const names = signature.typeParameters?.length ? declaredTypeParameterNames(signature) : new Set<string>();
        return !!names && this.isNeverTypeNode(declaration.type, names, what);
      })
    );
  }

  /** Whether a declared type is never callable (or never a thenable) whatever the type parameters `names` become. */
  private isNeverTypeNode(node: ts.TypeNode, names: ReadonlySet<string>, what: 'callable' | 'thenable'): boolean {
    switch (node.kind) {
      case ts.SyntaxKind.ParenthesizedType:
        return this.isNeverTypeNode((node as ts.ParenthesizedTypeNode).type, names, what);
      case ts.SyntaxKind.UnionType:
      case ts.SyntaxKind.IntersectionType:
        return (node as ts.UnionTypeNode | ts.IntersectionTypeNode).types.every((t) => this.isNeverTypeNode(t, names, what));
      case ts.SyntaxKind.ArrayType:
      case ts.SyntaxKind.TupleType:
      case ts.SyntaxKind.TypeOperator:
      case ts.SyntaxKind.TemplateLiteralType:
      case ts.SyntaxKind.ObjectKeyword:
        return true;
      case ts.SyntaxKind.FunctionType:
      case ts.SyntaxKind.ConstructorType:
        return what === 'thenable';
      case ts.SyntaxKind.TypeLiteral:
        return (node as ts.TypeLiteralNode).members.every((m) =>
          what === 'callable' ? !ts.isCallSignatureDeclaration(m) : !m.name || ((ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isNumericLiteral(m.name)) && m.name.text !== 'then'),
        );
      case ts.SyntaxKind.TypeReference: {
        const name = (node as ts.TypeReferenceNode).typeName;
        if (ts.isIdentifier(name) && names.has(name.text)) return false;
        // Instantiating a class or interface gives its members other types, never other members.
        const declared = referencedDeclaredType(this.checker, name);
        if (declared === 'enum') return true;
        if (declared === undefined) return false;
        return what === 'callable' ? declared.getCallSignatures().length === 0 : !declared.getProperty('then');
      }
      default:
        return NEVER_PROMISE_TYPE_NODES.has(node.kind);
    }
  }

  /**
   * Whether a call is Function.prototype.bind on a function that returns no thenable: the bound
   * function returns what the target returns (or `any` without strictBindCallApply), and reading
   * that from the target spares inferring bind's type arguments from the target's signature.
   */
  private bindsNonThenableFunction(call: ts.CallExpression): boolean {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'bind') return false;
    const targetType = this.typeOf(callee.expression);
    if (returnsThenable(this.checker, callee.expression, targetType)) return false;
    const bind = this.checker.getPropertyOfType(this.checker.getApparentType(targetType), 'bind');
    return !!bind?.declarations?.length && bind.declarations.every((d) => this.ctx.program.isSourceFileDefaultLibrary(d.getSourceFile()));
  }

  /**
   * The return types of the signatures a call may resolve to, when they tell without resolving it
   * (see candidateReturnTypes). JavaScript's `require` and constructor functions get types no
   * signature declares, so JavaScript calls are always resolved.
   */
  private candidateReturns(call: ts.CallExpression | ts.NewExpression): ts.Type[] | undefined {
    return call.flags & ts.NodeFlags.JavaScriptFile ? undefined : candidateReturnTypes(this.types, call);
  }

  /** Whether `value` is a call that, whatever signature it resolves to, returns no thenable. */
  private neverThenableCall(value: ts.Expression): boolean {
    const e = skipParens(value);
    if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return false;
    const returns = this.candidateReturns(e);
    if (returns) return !returns.some((t) => isSometimesThenable(this.checker, e, t));
    return !(e.flags & ts.NodeFlags.JavaScriptFile) && this.declaredReturnsNever(e, 'thenable');
  }

  // ----- conditionals

  private visitConditional(node: ts.Node): void {
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) this.checkCondition(node.expression, true);
    else if (ts.isForStatement(node)) {
      if (node.condition) this.checkCondition(node.condition, true);
    } else if (ts.isConditionalExpression(node)) this.checkCondition(node.condition, true);
    else if (isLogical(node)) this.checkCondition(node, false);
    else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) this.checkCondition(node.operand, true);
    else if (ts.isCallExpression(node)) this.checkArrayPredicate(node);
  }

  /** `inTest`: the value is itself tested (an `if`), not just the left side of `&&` in a value. */
  private checkCondition(expression: ts.Expression, inTest: boolean): void {
    const e = skipParens(expression);
    if (this.checkedConditions.has(e)) return;
    this.checkedConditions.add(e);
    if (isLogical(e)) {
      if (e.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken || inTest) this.checkCondition(e.left, inTest);
      if (inTest) this.checkCondition(e.right, inTest);
      return;
    }
    if (!mayBeThenableValue(e) || this.namesNever(e, 'thenable') || this.declaredNeverThenable(e)) return;
    if (!this.isAlwaysThenableValue(e)) return;
    this.ctx.report({
      node: e,
      message: `${describe(e)} is a promise, which is always truthy: this condition does not wait for its result and tests the promise object instead. Did you mean \`await ${e.getText().length > 40 ? '...' : e.getText()}\`?`,
    });
  }

  private isAlwaysThenableValue(e: ts.Expression): boolean {
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      const returns = candidateReturnTypes(this.types, e);
      if (returns && returns.every((t) => t.flags & PRIMITIVE_TYPE_FLAGS || !isAlwaysThenable(this.checker, e, t))) return false;
    }
    return isAlwaysThenable(this.checker, e, this.typeOf(e));
  }

  private checkArrayPredicate(call: ts.CallExpression): void {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ARRAY_PREDICATES.has(callee.name.text)) return;
    const callback = call.arguments[0];
    if (!callback || !mayReturnThenable(callback)) return;
    const objectType = this.typeOf(callee.expression);
    const isArray = unionParts(objectType).some((part) =>
      (part.isIntersection() ? part.types : [part]).some((t) => this.checker.isArrayType(t) || this.checker.isTupleType(t)),
    );
    if (!isArray) return;
    if (!this.returnsThenableValue(callback)) return;
    this.ctx.report({
      node: callback,
      message: `This callback returns a promise, which \`.${callee.name.text}()\` treats as a truthy result for every element without waiting for it. Compute the results first (\`await Promise.all(...)\`), then use a synchronous predicate.`,
    });
  }

  // ----- void returns

  private visitVoidReturn(node: ts.Node): void {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        this.checkArguments(node as ts.CallExpression | ts.NewExpression);
        break;
      case ts.SyntaxKind.JsxAttribute:
        this.checkJsxAttribute(node as ts.JsxAttribute);
        break;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.InterfaceDeclaration:
        this.checkHeritage(node as ts.ClassLikeDeclaration | ts.InterfaceDeclaration);
        break;
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.ShorthandPropertyAssignment:
      case ts.SyntaxKind.MethodDeclaration:
        this.checkProperty(node as ts.PropertyAssignment | ts.ShorthandPropertyAssignment | ts.MethodDeclaration);
        break;
      case ts.SyntaxKind.ReturnStatement:
        this.checkReturn(node as ts.ReturnStatement);
        break;
      case ts.SyntaxKind.VariableDeclaration:
        this.checkVariable(node as ts.VariableDeclaration);
        break;
      case ts.SyntaxKind.BinaryExpression:
        this.checkAssignment(node as ts.BinaryExpression);
        break;
    }
  }

  private checkArguments(call: ts.CallExpression | ts.NewExpression): void {
    const args = call.arguments;
    if (!args || args.length === 0) return;
    const candidates = new Set<number>();
    args.forEach((a, i) => {
      // A spread argument's type is its element type: `f(...callbacks)` passes each callback.
      if (ts.isSpreadElement(a) ? mayReturnThenable(a.expression) : mayReturnThenable(a) && !this.namesNever(a, 'callable') && !this.nameNeverReturnsThenable(a)) candidates.add(i);
    });
    if (candidates.size === 0) return;
    const answers = new Map<number, boolean>();
    const returns = (i: number): boolean => {
      let answer = answers.get(i);
      if (answer === undefined) {
        answer = this.returnsThenableValue(args[i]);
        answers.set(i, answer);
      }
      return answer;
    };
    // Which to ask first, the callee's parameter types or the arguments' types? A callee named by
    // a plain path (`f`, `this.emitter.on`) is cheap to type, and most callees take no callback
    // where these arguments are, so it goes first and arguments are typed only where it expects a
    // void function: even the cheaper answers of cannotReturnThenable type the callee of an
    // argument that is a call (`log(this.describe(x))`), which may cost more than the plain path.
    // A callee at the end of a chain of calls (`expect(x).toBe(y)`) may cost more than the
    // arguments, so there the arguments go first. Either way a synchronous function literal waits
    // for the callee (its type needs the call resolved) unless what it returns tells.
    const calleeFirst = isPlainPath(call.expression);
    const wanted = new Set<number>();
    for (const i of candidates) {
      const arg = skipParens(args[i]);
      if (calleeFirst) {
        if (!isFunctionExpressionLike(arg) || !syncFunctionReturnsNoThenable(arg)) wanted.add(i);
      } else if (isFunctionExpressionLike(arg) && !isAsync(arg) ? !this.cannotReturnThenable(arg) : returns(i)) wanted.add(i);
    }
    if (wanted.size === 0) return;
    const returning = this.voidFunctionArguments(call, wanted, returns);
    if (returning.length === 0) return;
    if (ts.isCallExpression(call) && this.isPromiseFinally(call)) return;
    for (const i of returning) {
      const arg = args[i];
      const executor = ts.isNewExpression(call) && i === 0 && ts.isIdentifier(call.expression) && call.expression.text === 'Promise';
      this.ctx.report({
        node: arg,
        message: executor
          ? `An async Promise executor: \`new Promise\` ignores the promise it returns, so an error thrown after its first \`await\` never reaches \`reject\` and goes unhandled, and the new promise may never settle. Make the executor synchronous, or drop \`new Promise\` and write an async function.`
          : `${describe(arg)} returns a promise, but ${describe(call.expression)} expects a function that returns nothing: ${DROPPED}.`,
        suggestions: this.forEachSuggestions(call, arg),
      });
    }
  }

  private isPromiseFinally(call: ts.CallExpression): boolean {
    const callee = skipParens(call.expression);
    if (!(ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) || staticMemberName(callee, this.checker) !== 'finally') return false;
    return isPromiseType(this.checker, this.ctx.program, callee, this.typeOf(callee.expression), { promiseShaped: false, anyThenable: false });
  }

  /**
   * The argument positions, in order, where the callee expects a void-returning function and the
   * argument returns a thenable (`returns`). A position expects one when some signature declares a
   * void-returning function type there and none accepts a thenable-returning one (all signatures
   * count, not just the resolved one: TypeScript picks an early `() => void` overload over a later
   * `() => Promise<void>`), also after the call's type arguments are inferred.
   *
   * The parameter types come from the callee's type alone. Only a generic signature's parameter
   * can become a different function type once the call is resolved (`(cb: () => T)` with `T`
   * inferred as `void`), so only then is the argument's contextual type asked, which resolves the
   * call and checks all its arguments; and only for an argument that returns a thenable, asked
   * first since its type is usually part of that work anyway.
   */
  private voidFunctionArguments(call: ts.CallExpression | ts.NewExpression, wanted: ReadonlySet<number>, returns: (index: number) => boolean): number[] {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const declared = new Set<number>();
    const thenableIndices = new Set<number>();
    const voidIndices = new Set<number>();
    const classify = (type: ts.Type | undefined, index: number): void => {
      if (!type || !wanted.has(index) || thenableIndices.has(index)) return;
      // Accepting a promise-returning function settles this position whatever else it accepts.
      if (isThenableReturningFunctionType(this.checker, call.expression, type)) thenableIndices.add(index);
      else if (isVoidReturningFunctionType(this.checker, call.expression, type)) voidIndices.add(index);
    };
    const classifyDeclared = (type: ts.Type, index: number): void => {
      declared.add(index);
      classify(type, index);
    };
    const calleeType = this.typeOf(call.expression);
    // Positions whose parameter a generic signature declares with a type that mentions its type
    // parameters: only there can the resolved call expect another function type than declared.
    const open = new Set<number>();
    const selfInferred = new Set<number>();
    let lastWanted = -1;
    for (const i of wanted) lastWanted = Math.max(lastWanted, i);
    for (const part of unionParts(calleeType)) {
      const signatures = ts.isCallExpression(call) ? part.getCallSignatures() : part.getConstructSignatures();
      for (const signature of signatures) {
        const typeParameterNames = signature.typeParameters?.length ? declaredTypeParameterNames(signature) : undefined;
        signature.parameters.forEach((parameter, index) => {
          const decl = parameter.valueDeclaration;
          const rest = !!decl && ts.isParameter(decl) && !!decl.dotDotDotToken;
          // Only the positions of arguments that may return a thenable are worth a type.
          if (rest ? index > lastWanted : !wanted.has(index)) return;
          let type = this.checker.getTypeOfSymbolAtLocation(parameter, call.expression);
          let openness = signature.typeParameters?.length ? parameterOpenness(signature, decl, typeParameterNames) : 'closed';
          // Inferring the type arguments gives a parameter a function type only if its declared
          // type can become one (`ServiceIdentifier<T>`, `Iterable<T>` never do; `T` can).
          if (openness === 'open') {
            const expected = !rest ? type : this.checker.isArrayType(type) ? this.checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
            if (expected && neverCallableWhateverTypeArguments(expected)) openness = 'closed';
          }
          if (openness === 'self' && !call.typeArguments) selfInferred.add(index);
          else if (openness !== 'closed') {
            if (rest) for (let i = index; i < args.length; i++) open.add(i);
            else open.add(index);
          }
          if (rest) {
            if (this.checker.isArrayType(type)) {
              type = this.checker.getTypeArguments(type as ts.TypeReference)[0];
              for (let i = index; i < args.length; i++) classifyDeclared(type, i);
            } else if (this.checker.isTupleType(type)) {
              const elements = this.checker.getTypeArguments(type as ts.TypeReference);
              for (let i = index; i < args.length && i - index < elements.length; i++) classifyDeclared(elements[i - index], i);
            }
          } else {
            classifyDeclared(type, index);
          }
        });
      }
    }
    // A function literal at a position whose type its own return type decides expects what it
    // returns, unless another signature declares a void function there (that one may be resolved).
    for (const i of selfInferred) {
      const arg = skipParens(args[i]);
      if (!isFunctionExpressionLike(arg) || arg.typeParameters || voidIndices.has(i)) open.add(i);
    }
    const out: number[] = [];
    for (let i = 0; i < args.length; i++) {
      if (!declared.has(i) || !wanted.has(i) || thenableIndices.has(i)) continue;
      if (!open.has(i) && !voidIndices.has(i)) continue;
      if (!returns(i)) continue;
      if (open.has(i)) {
        const checker = this.checker as ts.TypeChecker & { getContextualTypeForArgumentAtIndex?(call: ts.CallLikeExpression, index: number): ts.Type | undefined };
        classify(checker.getContextualTypeForArgumentAtIndex?.(call, i) ?? this.checker.getContextualType(args[i]), i);
      }
      if (voidIndices.has(i) && !thenableIndices.has(i)) out.push(i);
    }
    return out;
  }

  private checkJsxAttribute(attr: ts.JsxAttribute): void {
    const init = attr.initializer;
    if (!init || !ts.isJsxExpression(init) || !init.expression || !mayReturnThenable(init.expression)) return;
    // An attribute's contextual type resolves the element (its props, overloads included), as
    // an argument's resolves a call: the value is asked about first.
    if (!this.returnsThenableValue(init.expression)) return;
    const contextual = this.checker.getContextualType(init);
    if (!contextual || !isVoidReturningFunctionType(this.checker, init, contextual)) return;
    this.ctx.report({
      node: init,
      message: `${describe(init.expression)} returns a promise, but the \`${attr.name.getText()}\` attribute expects a function that returns nothing: ${DROPPED}.`,
    });
  }

  private checkHeritage(node: ts.ClassLikeDeclaration | ts.InterfaceDeclaration): void {
    if (!node.heritageClauses?.length) return;
    const members = (node.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>).filter((m) => {
      if (!m.name) return false;
      if (ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((mod) => mod.kind === ts.SyntaxKind.StaticKeyword)) return false;
      return ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isMethodSignature(m) || ts.isPropertySignature(m) || ts.isGetAccessor(m);
    });
    if (members.length === 0) return;
    // The bases' declared member types are asked first: a member's own type infers its return
    // type from its body, which is worth checking only where a base expects nothing back.
    let heritage: ts.Type[] | undefined;
    for (const member of members) {
      if (ts.isMethodDeclaration(member) && member.body && !isAsync(member) && !member.type && !returnsAValue(member)) continue;
      heritage ??= node.heritageClauses.flatMap((c) => c.types).map((t) => this.typeOf(t));
      const name = member.name!.getText();
      const voidBases = heritage.filter((base) => {
        const symbol = base.getSymbol()?.members?.get(ts.escapeLeadingUnderscores(name)) ?? this.checker.getPropertyOfType(base, name);
        return !!symbol && isVoidReturningFunctionType(this.checker, member, this.checker.getTypeOfSymbolAtLocation(symbol, member));
      });
      if (voidBases.length === 0) continue;
      if (!returnsThenable(this.checker, member, this.typeOf(member))) continue;
      for (const base of voidBases) {
        this.ctx.report({
          node: member,
          message: `\`${name}\` returns a promise, but \`${this.checker.typeToString(base)}\` declares it to return nothing: callers through that type drop the promise, so nothing waits for it (calls overlap and race) and its rejections go unhandled.`,
        });
      }
    }
  }

  private reportFunctionValue(fn: ts.Node, where: string): void {
    const sf = this.ctx.sourceFile;
    let start: number;
    let end: number;
    const f = ts.isPropertyAssignment(fn) ? skipParens(fn.initializer) : fn;
    if (isFunctionExpressionLike(f) || ts.isMethodDeclaration(f)) {
      if (f.type) {
        start = f.type.getStart(sf);
        end = f.type.getEnd();
      } else {
        start = fn.getStart(sf);
        const open = f.parameters.pos - 1;
        end = Math.max(start, ts.isArrowFunction(f) && f.parameters.length === 1 && sf.text[open] !== '(' ? f.parameters[0].getStart(sf) : open);
      }
    } else {
      start = fn.getStart(sf);
      end = fn.getEnd();
    }
    this.ctx.report({
      start,
      end,
      message: `This function returns a promise, but ${where} expects a function that returns nothing: ${DROPPED}.`,
    });
  }

  private checkProperty(node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment | ts.MethodDeclaration): void {
    if (!ts.isObjectLiteralExpression(node.parent)) return;
    if (ts.isPropertyAssignment(node)) {
      if (!mayReturnThenable(node.initializer)) return;
      // The contextual type of a property in an argument resolves the whole call, so there the
      // value is asked about first; elsewhere (a declared variable, a return) the context is the
      // cheaper question. A function literal's type needs its context anyway, unless what it
      // returns already tells.
      const valueFirst = isFunctionExpressionLike(skipParens(node.initializer)) || contextResolvesACall(node.parent);
      if (valueFirst && !this.returnsThenableValue(node.initializer)) return;
      const contextual = this.checker.getContextualType(node.initializer);
      if (!contextual || !isVoidReturningFunctionType(this.checker, node.initializer, contextual)) return;
      if (!valueFirst && !this.returnsThenableValue(node.initializer)) return;
      const where = `property \`${node.name.getText()}\``;
      if (isFunctionExpressionLike(skipParens(node.initializer))) this.reportFunctionValue(node, where);
      else this.reportValue(node.initializer, where);
    } else if (ts.isShorthandPropertyAssignment(node)) {
      const value = this.checker.getShorthandAssignmentValueSymbol(node);
      if (value && this.declaredNever(value, 'callable')) return;
      const contextual = this.checker.getContextualType(node.name);
      if (!contextual || !isVoidReturningFunctionType(this.checker, node.name, contextual)) return;
      if (!returnsThenable(this.checker, node.name, this.typeOf(node.name))) return;
      this.reportValue(node.name, `property \`${node.name.text}\``);
    } else {
      if (ts.isComputedPropertyName(node.name)) return;
      // An async method returns a promise without asking (object literal methods have no overloads).
      if (!isAsync(node) && (!syncFunctionMayReturnThenable(node) || !returnsThenable(this.checker, node, this.typeOf(node)))) return;
      const objectType = this.checker.getContextualType(node.parent);
      if (!objectType) return;
      const name = node.name.getText();
      const property = unionParts(objectType)
        .map((t) => this.checker.getPropertyOfType(t, name))
        .find((p) => p);
      if (!property) return;
      const expected = this.checker.getTypeOfSymbolAtLocation(property, node.name);
      if (!isVoidReturningFunctionType(this.checker, node.name, expected)) return;
      this.reportFunctionValue(node, `property \`${name}\``);
    }
  }

  private reportValue(node: ts.Node, where: string): void {
    this.ctx.report({ node, message: `${describe(node)} returns a promise, but ${where} expects a function that returns nothing: ${DROPPED}.` });
  }

  private checkReturn(node: ts.ReturnStatement): void {
    if (!node.expression || !mayReturnThenable(node.expression)) return;
    let fn: ts.Node | undefined = node.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    if (!fn) return;
    const declared = (fn as ts.SignatureDeclaration).type;
    if (declared && !isPossiblyFunctionType(declared)) return;
    const contextual = this.checker.getContextualType(node.expression);
    if (!contextual || !isVoidReturningFunctionType(this.checker, node.expression, contextual)) return;
    if (!this.returnsThenableValue(node.expression)) return;
    this.reportValue(node.expression, 'the declared return type');
  }

  private checkVariable(decl: ts.VariableDeclaration): void {
    const init = decl.initializer;
    if (!init) return;
    const list = decl.parent;
    if (ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Using) {
      const dispose = this.wellKnownSymbolReturn(this.typeOf(init), 'dispose', init);
      if (dispose === 'thenable') {
        this.ctx.report({
          node: init,
          message: `${describe(init)} has a \`[Symbol.dispose]\` that returns a promise, but \`using\` does not await it: ${DROPPED}. Use \`await using\` with \`[Symbol.asyncDispose]\`.`,
        });
      }
    }
    if (!decl.type) return;
    if (ts.isTypeReferenceNode(decl.type) || ts.isIntersectionTypeNode(decl.type) || ts.isTypeLiteralNode(decl.type)) {
      // `const d: Disposable = { async [Symbol.dispose]() {} }`: whoever disposes `d` drops the promise.
      const declaredType = this.typeOf(decl.name);
      if (this.wellKnownSymbolReturn(declaredType, 'dispose', decl.name) === 'void' && this.wellKnownSymbolReturn(this.typeOf(init), 'dispose', init) === 'thenable') {
        this.ctx.report({
          node: init,
          message: `${describe(init)} has a \`[Symbol.dispose]\` that returns a promise, but \`${decl.name.getText()}\`'s type expects it to return nothing: ${DROPPED}.`,
        });
      }
    }
    if (!mayReturnThenable(init) || !isPossiblyFunctionType(decl.type)) return;
    const declared = this.typeOf(decl.name);
    if (!isVoidReturningFunctionType(this.checker, init, declared)) return;
    if (!this.returnsThenableValue(init)) return;
    this.reportValue(init, `the type of \`${decl.name.getText()}\``);
  }

  private wellKnownSymbolReturn(type: ts.Type, name: string, at: ts.Node): 'thenable' | 'void' | undefined {
    let result: 'thenable' | 'void' | undefined;
    for (const part of unionParts(this.checker.getApparentType(type))) {
      const symbol = part.getProperties().find((p) => (p.escapedName as string).startsWith(`__@${name}@`));
      if (!symbol) continue;
      const t = this.checker.getTypeOfSymbolAtLocation(symbol, at);
      if (isThenableReturningFunctionType(this.checker, at, t)) return 'thenable';
      if (isVoidReturningFunctionType(this.checker, at, t)) result = 'void';
    }
    return result;
  }

  private checkAssignment(node: ts.BinaryExpression): void {
    const op = node.operatorToken.kind;
    if (op < ts.SyntaxKind.FirstAssignment || op > ts.SyntaxKind.LastAssignment) return;
    if (!mayReturnThenable(node.right)) return;
    const target = this.typeOf(node.left);
    if (!isVoidReturningFunctionType(this.checker, node.left, target)) return;
    if (!this.returnsThenableValue(node.right)) return;
    this.reportValue(node.right, `the type of ${describe(node.left)}`);
  }

  // ----- spreads

  private checkSpread(node: ts.SpreadAssignment | ts.SpreadElement): void {
    const e = node.expression;
    if (!mayBeThenableValue(e) || ts.isArrayLiteralExpression(skipParens(e))) return;
    if (!isSometimesThenable(this.checker, e, this.typeOf(e))) return;
    this.ctx.report({
      node: e,
      message: `${describe(e)} may be a promise, and spreading a promise copies none of its result (it has no own properties). Await it first: \`...(await ${e.getText().length > 30 ? '...' : e.getText()})\`.`,
    });
  }

  // ----- arr.forEach(async ...) suggestions

  /**
   * In an async function, `arr.forEach(async (x) => {...});` can become a loop that awaits each
   * element in turn, or `await Promise.all(arr.map(...))` that runs them together but waits for
   * all. Both change timing, so they are suggestions.
   */
  private forEachSuggestions(call: ts.CallExpression | ts.NewExpression, arg: ts.Expression): Fix[] | undefined {
    if (!ts.isCallExpression(call) || ts.isOptionalChain(call)) return undefined;
    const stmt = call.parent;
    if (!ts.isExpressionStatement(stmt) || call.arguments.length !== 1 || call.arguments[0] !== arg) return undefined;
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'forEach' || callee.questionDotToken) return undefined;
    const fn = skipParens(arg);
    if (!isFunctionExpressionLike(fn) || !isAsync(fn)) return undefined;
    if (!isInAsyncFunction(stmt)) return undefined;
    const objectType = this.checker.getApparentType(this.typeOf(callee.expression));
    if (!this.checker.isArrayType(objectType) && !this.checker.isTupleType(objectType)) return undefined;
    const sf = this.ctx.sourceFile;
    const out: Fix[] = [];
    const start = call.getStart(sf);
    out.push({
      description: 'Run the callbacks together and wait for all of them: `await Promise.all(arr.map(async ...))`',
      edits: [
        { start, end: start, text: 'await Promise.all(' },
        { start: callee.name.getStart(sf), end: callee.name.getEnd(), text: 'map' },
        { start: call.getEnd(), end: call.getEnd(), text: ')' },
      ],
    });
    const loop = this.forOfText(callee.expression, fn);
    if (loop) {
      out.push({
        description: 'Await each element in turn: `for (const x of arr) { ... }`',
        edits: [{ start: stmt.getStart(sf), end: stmt.getEnd(), text: loop }],
      });
    }
    return out;
  }

  private forOfText(array: ts.Expression, fn: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
    // A function expression has its own `this` and `arguments`; a loop body would not.
    if (!ts.isArrowFunction(fn) || fn.parameters.length !== 1) return undefined;
    const param = fn.parameters[0];
    if (param.dotDotDotToken || param.initializer) return undefined;
    const sf = this.ctx.sourceFile;
    const binding = param.name.getText(sf);
    // `for (const x of x)` would read the loop variable before it exists.
    const names = new Set<string>();
    const collect = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) names.add(n.text);
      ts.forEachChild(n, collect);
    };
    collect(param.name);
    let clash = false;
    const scan = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && names.has(n.text)) clash = true;
      ts.forEachChild(n, scan);
    };
    scan(array);
    if (clash) return undefined;
    if (ts.isBlock(fn.body)) {
      // `return` would leave the enclosing function and `var` would hoist into it.
      let unsafe = false;
      const visit = (n: ts.Node): void => {
        if (unsafe || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
        if (ts.isReturnStatement(n)) unsafe = true;
        else if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) unsafe = true;
        else ts.forEachChild(n, visit);
      };
      fn.body.statements.forEach(visit);
      if (unsafe) return undefined;
      return `for (const ${binding} of ${array.getText(sf)}) ${fn.body.getText(sf)}`;
    }
    return `for (const ${binding} of ${array.getText(sf)}) {\n${indentOf(sf, fn.getStart(sf))}  ${fn.body.getText(sf)};\n${indentOf(sf, fn.getStart(sf))}}`;
  }
}

function indentOf(sf: ts.SourceFile, pos: number): string {
  const line = sf.getLineAndCharacterOfPosition(pos).line;
  const lineStart = sf.getPositionOfLineAndCharacter(line, 0);
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

function isInAsyncFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return isAsync(n);
    if (ts.isClassStaticBlockDeclaration(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

const parse = objectOptions<MisusedPromiseOptions>('misused-promise', SPEC as never);

export const misusedPromise: RuleDefinition<MisusedPromiseOptions> = {
  id: 'misused-promise',
  description: 'A promise, or an async function, where a boolean or a void callback is expected: always truthy, or dropped by its caller.',
  defaultLevel: 'error',
  requiresTypes: true,
  optionsSchema: schemaOf(SPEC),
  parseOptions: parse,
  // Conditions, callbacks and spreads all need one of these; type-only modules have none.
  mayApply: (text) => /[(`!?]|\.\.\.|&&|\|\|/.test(text),
  check(ctx) {
    new MisusedPromiseCheck(ctx).run();
  },
};
