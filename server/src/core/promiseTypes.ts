// What counts as a promise, for the two promise rules. Two notions, kept apart on purpose:
//
// - A *promise* is the built-in Promise (or a class or interface derived from it), plus the
//   types that exist only to describe one: the standard library's PromiseLike and VS Code's
//   Thenable. Rejections of these become unhandled rejections when nobody listens, so
//   floating-promise reports them. Arbitrary objects with a `then` method (query builders,
//   lazy thenables) are *not* promises here: flagging every `qb.where(...)` statement would be
//   noise.
// - A *thenable* is anything whose `then` takes a callback first: what `await` and `if`
//   treat specially. misused-promise asks this, since a thenable in a condition is always
//   truthy and a thenable returned to a void callback is dropped, whoever made it.
//
// Every function here takes types the caller already has; none asks the checker for the type of
// a node it was not given, so rules stay in control of what gets checked.
import { ts } from 'ts-morph';

export function unionParts(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function isFromDefaultLibrary(program: ts.Program, symbol: ts.Symbol): boolean {
  return !!symbol.declarations?.some((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** Whether `symbol` is VS Code's global `Thenable` (declared next to `declare module 'vscode'`). */
function isVscodeThenable(symbol: ts.Symbol): boolean {
  if (symbol.getName() !== 'Thenable') return false;
  return !!symbol.declarations?.some((d) => /[\\/]@types[\\/]vscode[\\/]/.test(d.getSourceFile().fileName) || /[\\/]vscode\.d\.ts$/.test(d.getSourceFile().fileName));
}

type SymbolTest = (symbol: ts.Symbol) => boolean;

/**
 * Whether a type is, or derives from, a symbol that passes `test`. Intersections need one such
 * part, unions need every member to be one, type parameters answer for their constraint.
 */
function derivesFrom(checker: ts.TypeChecker, type: ts.Type, test: SymbolTest, depth = 0): boolean {
  if (depth > 20) return false;
  if (type.isIntersection()) return type.types.some((t) => derivesFrom(checker, t, test, depth + 1));
  if (type.isUnion()) return type.types.every((t) => derivesFrom(checker, t, test, depth + 1));
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = type.getConstraint();
    return constraint ? derivesFrom(checker, constraint, test, depth + 1) : false;
  }
  const symbol = type.getSymbol();
  if (!symbol) return false;
  if (test(symbol)) return true;
  if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    if (declared.flags & ts.TypeFlags.Object && (declared as ts.ObjectType).objectFlags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) {
      for (const base of checker.getBaseTypes(declared as ts.InterfaceType)) {
        if (derivesFrom(checker, base, test, depth + 1)) return true;
      }
    }
  }
  return false;
}

export interface PromiseTypeOptions {
  /** Also count PromiseLike and VS Code's Thenable (racelint's default). */
  promiseShaped: boolean;
  /** Count every thenable whose `then` takes two callbacks (typescript-eslint's checkThenables). */
  anyThenable: boolean;
}

/**
 * Whether some member of the (apparent) type is a promise in the sense above. `node` is only the
 * location for resolving property types.
 */
export function isPromiseType(checker: ts.TypeChecker, program: ts.Program, node: ts.Node, type: ts.Type, options: PromiseTypeOptions): boolean {
  const parts = unionParts(checker.getApparentType(type));
  const test: SymbolTest = options.promiseShaped
    ? (s) => {
        const name = s.getName();
        if (name === 'Promise' || name === 'PromiseLike') return isFromDefaultLibrary(program, s);
        return isVscodeThenable(s);
      }
    : (s) => s.getName() === 'Promise' && isFromDefaultLibrary(program, s);
  if (parts.some((t) => derivesFrom(checker, t, test))) return true;
  if (!options.anyThenable) return false;
  return parts.some((t) => thenTakesCallbacks(checker, node, t, 2));
}

/** Whether `param`'s type is callable. */
function isCallableParameter(checker: ts.TypeChecker, param: ts.Symbol, node: ts.Node): boolean {
  const type = checker.getApparentType(checker.getTypeOfSymbolAtLocation(param, node));
  return unionParts(type).some((t) => t.getCallSignatures().length > 0);
}

/** Whether `type` has a `then` method whose first `count` parameters are all callbacks. */
function thenTakesCallbacks(checker: ts.TypeChecker, node: ts.Node, type: ts.Type, count: number): boolean {
  const then = type.getProperty('then');
  if (!then) return false;
  const thenType = checker.getTypeOfSymbolAtLocation(then, node);
  for (const part of unionParts(thenType)) {
    for (const signature of part.getCallSignatures()) {
      if (signature.parameters.length < count) continue;
      let ok = true;
      for (let i = 0; i < count && ok; i++) ok = isCallableParameter(checker, signature.parameters[i], node);
      if (ok) return true;
    }
  }
  return false;
}

/** Whether some member of the type is a thenable (its `then` takes a callback first). */
export function isSometimesThenable(checker: ts.TypeChecker, node: ts.Node, type: ts.Type): boolean {
  return unionParts(checker.getApparentType(type)).some((t) => thenTakesCallbacks(checker, node, t, 1));
}

/**
 * Whether every member of the type is a thenable. A condition on `T | undefined` where T is a
 * promise is a presence check, not a mistake, so one non-thenable member clears it.
 */
export function isAlwaysThenable(checker: ts.TypeChecker, node: ts.Node, type: ts.Type): boolean {
  return unionParts(checker.getApparentType(type)).every((t) => thenTakesCallbacks(checker, node, t, 1));
}

/** Whether some call signature of some member of `type` returns a thenable. */
export function returnsThenable(checker: ts.TypeChecker, node: ts.Node, type: ts.Type): boolean {
  for (const part of unionParts(checker.getApparentType(type))) {
    for (const signature of part.getCallSignatures()) {
      if (isSometimesThenable(checker, node, signature.getReturnType())) return true;
    }
  }
  return false;
}

/**
 * Whether `type` is a function type expected to return void: some signature returns void and
 * none returns a thenable (a parameter typed `() => void | Promise<void>` accepts async code).
 */
export function isVoidReturningFunctionType(checker: ts.TypeChecker, node: ts.Node, type: ts.Type): boolean {
  let sawVoid = false;
  for (const part of unionParts(type)) {
    for (const signature of part.getCallSignatures()) {
      const returnType = signature.getReturnType();
      if (isSometimesThenable(checker, node, returnType)) return false;
      if (returnType.flags & ts.TypeFlags.Void) sawVoid = true;
    }
  }
  return sawVoid;
}

/** Whether any call signature of any member of `type` returns a thenable (no apparent type). */
export function isThenableReturningFunctionType(checker: ts.TypeChecker, node: ts.Node, type: ts.Type): boolean {
  for (const part of unionParts(type)) {
    for (const signature of part.getCallSignatures()) {
      if (isSometimesThenable(checker, node, signature.getReturnType())) return true;
    }
  }
  return false;
}

/** The element types of an array or tuple member of `type`, for "array of promises" checks. */
export function arrayElementTypes(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const out: ts.Type[] = [];
  for (const part of unionParts(type)) {
    const apparent = checker.getApparentType(part);
    if (checker.isArrayType(apparent) || checker.isTupleType(apparent)) out.push(...checker.getTypeArguments(apparent as ts.TypeReference));
  }
  return out;
}

/**
 * The checker's getTypeAtLocation, remembered per node for one file and shared by the promise
 * rules (RuleContext.shared): both ask the types of many of the same callees and values, and the
 * checker works an expression's type out again on every request (it keeps the resolved symbol and
 * signature, not the walk back through the control flow that narrows a reference).
 */
export class NodeTypes {
  private readonly types = new Map<ts.Node, ts.Type>();

  constructor(readonly checker: ts.TypeChecker) {}

  of(node: ts.Node): ts.Type {
    let type = this.types.get(node);
    if (type === undefined) {
      type = this.checker.getTypeAtLocation(node);
      this.types.set(node, type);
    }
    return type;
  }
}

/**
 * What a type reference names, looked through import aliases: 'enum', the declared type of a class
 * or interface (its type arguments change the types of its members, never which members it has),
 * or undefined for anything else (a type alias, a type parameter, a name that does not resolve).
 */
export function referencedDeclaredType(checker: ts.TypeChecker, name: ts.EntityName): ts.Type | 'enum' | undefined {
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Enum) return 'enum';
  if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) || symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.TypeParameter)) return undefined;
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** The key of the per-file NodeTypes the promise rules share. */
export const NODE_TYPES_KEY = 'promise-rules:node-types';

/**
 * The return types of every signature a call could resolve to, when no type argument can change
 * them (the signatures are not generic, or their declared return types mention none of their
 * type parameters: Node's `setTimeout<TArgs>` always returns a `Timeout`), or undefined when only
 * resolving the call can tell. Resolving a call checks all its arguments, callback bodies
 * included; reading the callee's signatures does not, so rules ask this first and resolve only
 * calls that may matter. Generic signatures are judged by their declarations before any return
 * type is computed: the return types of a generic overload set can cost more than the call
 * (`querySelector`'s tag-name maps).
 */
export function candidateReturnTypes(types: NodeTypes, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): ts.Type[] | undefined {
  const { calleeType, signatures } = calleeSignatures(types, call);
  if (calleeType.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [calleeType];
  if (signatures.length === 0 || signatures.some((s) => s.typeParameters?.length && !hasClosedReturnType(s))) return undefined;
  return signatures.map((s) => s.getReturnType());
}

/** The callee's type and the signatures a call may resolve to (construct signatures for `new`), from the callee alone. */
export function calleeSignatures(types: NodeTypes, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): { calleeType: ts.Type; signatures: readonly ts.Signature[] } {
  const callee = ts.isTaggedTemplateExpression(call) ? call.tag : call.expression;
  const calleeType = types.of(callee);
  return { calleeType, signatures: ts.isNewExpression(call) ? calleeType.getConstructSignatures() : calleeType.getCallSignatures() };
}

/** Whether a generic signature declares a return type that mentions none of its own type parameters (nor `this` or `typeof`). */
export function hasClosedReturnType(signature: ts.Signature): boolean {
  const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
  const returnType = declaration?.type;
  if (!returnType || !declaration.typeParameters) return false;
  const names = new Set(declaration.typeParameters.map((p) => p.name.text));
  if (names.size !== signature.typeParameters!.length) return false;
  let open = false;
  const visit = (n: ts.Node): void => {
    if (open) return;
    if ((ts.isIdentifier(n) && names.has(n.text)) || n.kind === ts.SyntaxKind.ThisType || n.kind === ts.SyntaxKind.TypeQuery || n.kind === ts.SyntaxKind.InferType) open = true;
    else ts.forEachChild(n, visit);
  };
  visit(returnType);
  return !open;
}

/**
 * Type annotations that never denote a promise nor an array, whatever the type arguments around
 * them (`void`, `string`, a literal, `x is T`): the syntactic twin of PRIMITIVE_TYPE_FLAGS.
 */
export const NEVER_PROMISE_TYPE_NODES: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.VoidKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.NeverKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.AnyKeyword,
  ts.SyntaxKind.UnknownKeyword,
  ts.SyntaxKind.LiteralType,
  ts.SyntaxKind.TypePredicate,
]);

/**
 * Expressions whose value is a primitive or a regular expression whatever the types say: literals,
 * templates, `typeof`, `delete` and the unary operators. Never a promise, a thenable or a
 * function: the promise rules answer these from syntax alone, without asking for types.
 */
export const LITERAL_VALUE_EXPRESSIONS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.TypeOfExpression,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.PostfixUnaryExpression,
  ts.SyntaxKind.DeleteExpression,
]);

/** Types that are never thenables nor arrays, whatever else they are. */
export const PRIMITIVE_TYPE_FLAGS =
  ts.TypeFlags.Void |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Null |
  ts.TypeFlags.Never |
  ts.TypeFlags.StringLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.ESSymbolLike |
  ts.TypeFlags.Any |
  ts.TypeFlags.Unknown;

/**
 * The static name of a member access: `a.b`, `a['b']`, and `a[k]` where `k` has a single
 * string literal type (`const k = 'then'`). The checker is asked only in that last case.
 */
export function staticMemberName(e: ts.Expression, checker?: ts.TypeChecker): string | undefined {
  if (ts.isPropertyAccessExpression(e)) return ts.isIdentifier(e.name) ? e.name.text : undefined;
  if (ts.isElementAccessExpression(e)) {
    let arg = e.argumentExpression;
    while (ts.isParenthesizedExpression(arg)) arg = arg.expression;
    if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
    if (checker && ts.isIdentifier(arg)) {
      const t = checker.getTypeAtLocation(arg);
      if (t.isStringLiteral()) return t.value;
    }
  }
  return undefined;
}
