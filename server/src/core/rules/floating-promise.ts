// A promise that nobody awaits, returns, or handles. If it rejects, the rejection is unhandled
// (Node ends the process by default), and the code after it runs before it settles, racing with
// it. Found: promise-valued expression statements (also inside `,`, `?:`, `&&`/`||`/`??`,
// optional calls and async IIFEs), arrays of promises dropped on the floor, `.then(onFulfilled)`
// with no rejection handler, `.finally()` on an unhandled promise, and, beyond
// typescript-eslint's no-floating-promises, a promise stored in a function's local variable that
// is never read again. Deliberately left alone: `void promise` (the explicit "fire and forget"),
// `.catch(handler)` and `.then(a, onRejected)`, promises assigned to anything other than an
// unread local, node:test's `test`/`describe`/`it`/`suite` (the runner tracks them) and VS Code's
// `window.show*Message` notifications, plus whatever the user allow-lists.
import { ts } from 'ts-morph';
import type { Fix } from '../findings';
import {
  arrayElementTypes,
  calleeSignatures,
  hasClosedReturnType,
  isPromiseType,
  LITERAL_VALUE_EXPRESSIONS,
  NEVER_PROMISE_TYPE_NODES,
  NODE_TYPES_KEY,
  NodeTypes,
  PRIMITIVE_TYPE_FLAGS,
  referencedDeclaredType,
  staticMemberName,
  type PromiseTypeOptions,
  unionParts,
} from '../promiseTypes';
import type { RuleContext, RuleDefinition } from '../rule';
import { objectOptions, schemaOf } from './options';

export interface FloatingPromiseOptions extends Record<string, unknown> {
  ignoreVoid: boolean;
  ignoreIIFE: boolean;
  checkThenables: boolean;
  checkUnusedLocals: boolean;
  allowForKnownSafeCalls: string[];
  allowForKnownSafePromises: string[];
  builtinSafeCalls: boolean;
}

const SPEC: Parameters<typeof schemaOf>[0] = {
  ignoreVoid: { type: 'boolean', default: true, description: 'Accept `void promise` as a deliberate "fire and forget".' },
  ignoreIIFE: { type: 'boolean', default: false, description: 'Accept async immediately-invoked function expressions as statements.' },
  checkThenables: {
    type: 'boolean',
    default: false,
    description: 'Also report any object whose `then` takes two callbacks, not only promises, PromiseLike and VS Code Thenable.',
  },
  checkUnusedLocals: {
    type: 'boolean',
    default: true,
    description: "Report a promise stored in a function's local variable that is never read again.",
  },
  allowForKnownSafeCalls: {
    type: 'string[]',
    default: [],
    description: 'Functions whose returned promise may float: "name", "Namespace.name" or "module#name" (e.g. "node:test#test").',
  },
  allowForKnownSafePromises: {
    type: 'string[]',
    default: [],
    description: 'Promise types that may float: "TypeName" or "module#TypeName".',
  },
  builtinSafeCalls: {
    type: 'boolean',
    default: true,
    description: "Also allow racelint's built-in list: node:test's test/describe/it/suite and VS Code's window.show*Message.",
  },
};

/**
 * Calls whose promise is fine to drop: node:test registers every test with its runner and reports
 * failures itself (the returned promise exists for `await`ing subtests), and VS Code's
 * notification calls resolve when the user dismisses them, if ever.
 */
export const BUILTIN_SAFE_CALLS: readonly string[] = [
  'node:test#test',
  'node:test#suite',
  'node:test#describe',
  'node:test#it',
  'node:test#test.skip',
  'node:test#test.todo',
  'node:test#test.only',
  'node:test#suite.skip',
  'node:test#suite.todo',
  'node:test#suite.only',
  'vscode#window.showInformationMessage',
  'vscode#window.showWarningMessage',
  'vscode#window.showErrorMessage',
];

// ---------------------------------------------------------------------------------------------
// Allow-list specifiers: "name", "A.b.name", "module#A.name"

interface Specifier {
  module?: string;
  path: string;
}

function parseSpecifier(text: string): Specifier {
  const hash = text.lastIndexOf('#');
  return hash > 0 ? { module: normalizeModule(text.slice(0, hash)), path: text.slice(hash + 1) } : { path: text };
}

function normalizeModule(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

/** A name a declaration is known by: its dotted path inside its module, and the module. */
interface DeclaredName {
  module?: string;
  path: string;
}

function pathMatches(spec: Specifier, name: DeclaredName): boolean {
  if (spec.module !== undefined && spec.module !== name.module) return false;
  return name.path === spec.path || name.path.endsWith('.' + spec.path);
}

/** The module a declaration belongs to: an ambient `declare module "m"`, or the npm package of its file. */
function moduleOfDeclaration(decl: ts.Node): { module?: string; path: string[] } {
  const path: string[] = [];
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n)) {
      if (ts.isStringLiteral(n.name)) return { module: normalizeModule(n.name.text), path };
      path.unshift(n.name.text);
    } else if ((ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isEnumDeclaration(n)) && n.name) {
      path.unshift(n.name.text);
    } else if (ts.isSourceFile(n)) {
      const m = /[\\/]node_modules[\\/](?:@types[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(n.fileName);
      if (m) {
        let pkg = m[1].replace(/\\/g, '/');
        // @types/scope__pkg names @scope/pkg.
        if (n.fileName.includes('@types') && pkg.includes('__')) pkg = '@' + pkg.replace('__', '/');
        return { module: pkg, path };
      }
      return { path };
    }
  }
  return { path };
}

function declaredNamesOf(checker: ts.TypeChecker, symbol: ts.Symbol): DeclaredName[] {
  const out: DeclaredName[] = [];
  const add = (s: ts.Symbol) => {
    for (const decl of s.declarations ?? []) {
      if (ts.isImportSpecifier(decl)) {
        const from = decl.parent.parent.parent.moduleSpecifier;
        if (ts.isStringLiteral(from)) out.push({ module: normalizeModule(from.text), path: (decl.propertyName ?? decl.name).text });
        continue;
      }
      const where = moduleOfDeclaration(decl);
      out.push({ module: where.module, path: [...where.path, s.getName()].join('.') });
    }
  };
  add(symbol);
  if (symbol.flags & ts.SymbolFlags.Alias) {
    try {
      add(checker.getAliasedSymbol(symbol));
    } catch {
      // An alias to nothing (a broken import): only its own name counts.
    }
  }
  return out;
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

// ---------------------------------------------------------------------------------------------
// The analysis

type Verdict =
  | { unhandled: false }
  | { unhandled: true; kind: 'promise' | 'array' | 'then-without-rejection' | 'bad-rejection-handler'; what: ts.Expression };

const HANDLED: Verdict = { unhandled: false };

class FloatingPromiseCheck {
  private readonly checker: ts.TypeChecker;
  private readonly types: NodeTypes;
  private readonly program: ts.Program;
  private readonly typeOptions: PromiseTypeOptions;
  private readonly safeCalls: Specifier[];
  private readonly safePromises: Specifier[];

  constructor(private readonly ctx: RuleContext<FloatingPromiseOptions>) {
    this.checker = ctx.checker;
    this.types = ctx.shared(NODE_TYPES_KEY, () => new NodeTypes(this.checker));
    this.program = ctx.program;
    const o = ctx.options;
    this.typeOptions = { promiseShaped: true, anyThenable: o.checkThenables };
    this.safeCalls = [...(o.builtinSafeCalls ? BUILTIN_SAFE_CALLS : []), ...o.allowForKnownSafeCalls].map(parseSpecifier);
    this.safePromises = o.allowForKnownSafePromises.map(parseSpecifier);
  }

  run(): void {
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node)) this.checkStatement(node);
      else if (ts.isArrowFunction(node) && !this.ctx.options.ignoreVoid && ts.isVoidExpression(node.body)) this.checkExpression(node.body, node.body);
      else if (ts.isVariableStatement(node) && this.ctx.options.checkUnusedLocals) this.checkUnusedLocal(node);
      ts.forEachChild(node, visit);
    };
    visit(this.ctx.sourceFile);
  }

  private checkStatement(stmt: ts.ExpressionStatement): void {
    if (this.ctx.options.ignoreIIFE && isAsyncIIFE(stmt.expression)) return;
    this.checkExpression(stmt, stmt.expression);
  }

  private checkExpression(node: ts.Node, expression: ts.Expression): void {
    const e = skipParens(expression);
    const verdict = this.verdict(e);
    if (!verdict.unhandled) return;
    // Asked last: only calls that would be reported pay for resolving the callee's symbol.
    if (ts.isCallExpression(e) && this.isKnownSafeCall(e)) return;
    this.ctx.report({
      node,
      message: this.message(verdict),
      suggestions: this.suggestions(node, expression),
    });
  }

  // ----- verdicts

  private isAssignment(e: ts.Expression): boolean {
    return ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }

  /** Whether `e` is a floating promise; ordered like typescript-eslint so verdicts agree. */
  private verdict(expression: ts.Expression): Verdict {
    const e = skipParens(expression);
    if (this.isAssignment(e)) return HANDLED;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      const left = this.verdict(e.left);
      return left.unhandled ? left : this.verdict(e.right);
    }
    if (ts.isVoidExpression(e)) return this.ctx.options.ignoreVoid ? HANDLED : this.verdict(e.expression);
    if (isSyntacticallyNeverPromise(e)) return HANDLED;
    if (ts.isAwaitExpression(e)) {
      // `await` handles a promise but not an array of them. Asking the type of `await call()`
      // would resolve the call for nothing: an awaited call is almost never an array of promises.
      const operand = skipParens(e.expression);
      if (ts.isCallExpression(operand) || ts.isNewExpression(operand)) return HANDLED;
      return this.isPromiseArray(this.types.of(e), e) ? { unhandled: true, kind: 'array', what: e } : HANDLED;
    }
    const type = this.typeOf(e);
    if (type === 'not-promise') return HANDLED;
    if (type !== 'promise') {
      if (this.isPromiseArray(type, e)) return { unhandled: true, kind: 'array', what: e };
      if (!this.isPromise(type, e)) return HANDLED;
    }
    if (ts.isCallExpression(e)) {
      const member = staticMemberName(skipParens(e.expression), this.checker);
      const object = ts.isPropertyAccessExpression(e.expression) || ts.isElementAccessExpression(e.expression) ? e.expression.expression : undefined;
      if (object && (member === 'then' || member === 'catch')) {
        const rejectionIndex = member === 'then' ? 1 : 0;
        const spreadAt = e.arguments.findIndex((a) => ts.isSpreadElement(a));
        const onRejected = spreadAt >= 0 && spreadAt <= rejectionIndex ? undefined : e.arguments[rejectionIndex];
        if (!onRejected) return { unhandled: true, kind: member === 'then' ? 'then-without-rejection' : 'promise', what: e };
        const handlerType = this.types.of(onRejected);
        if (handlerType.getCallSignatures().length > 0) return HANDLED;
        return { unhandled: true, kind: 'bad-rejection-handler', what: e };
      }
      if (object && member === 'finally') return this.verdict(object);
      return { unhandled: true, kind: 'promise', what: e };
    }
    if (ts.isConditionalExpression(e)) {
      const alternate = this.verdict(e.whenFalse);
      return alternate.unhandled ? alternate : this.verdict(e.whenTrue);
    }
    if (ts.isBinaryExpression(e) && isLogicalOperator(e.operatorToken.kind)) {
      const left = this.verdict(e.left);
      return left.unhandled ? left : this.verdict(e.right);
    }
    return { unhandled: true, kind: 'promise', what: e };
  }

  /**
   * The type of an expression, or 'not-promise' when the callee's signatures already show it cannot
   * be one, or 'promise' when they show it is a promise (and no array) whichever the call resolves
   * to: resolving a call checks its arguments, callbacks included (`p.then(v => ...)`). An
   * allow-list of promise types needs the resolved type's own name, so it always resolves.
   */
  private typeOf(e: ts.Expression): ts.Type | 'not-promise' | 'promise' {
    try {
      if (ts.isCallExpression(e) || ts.isNewExpression(e) || ts.isTaggedTemplateExpression(e)) {
        const { calleeType, signatures } = calleeSignatures(this.types, e);
        if (calleeType.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'not-promise';
        if (signatures.length > 0 && signatures.every((s) => this.neverReturnsPromise(s, e))) return 'not-promise';
        if (signatures.length > 0 && this.safePromises.length === 0 && !(e.flags & ts.NodeFlags.JavaScriptFile) && signatures.every((s) => this.alwaysReturnsPromise(s, e))) return 'promise';
      }
      return this.types.of(e);
    } catch (err) {
      // Some recursive generic code overflows the checker's stack on first contact
      // (microsoft/TypeScript#63441); the second request finds the work cached and answers.
      if (!(err instanceof RangeError)) throw err;
      return this.types.of(e);
    }
  }

  /**
   * Whether a signature returns no promise whatever its type arguments. A generic signature
   * whose return type mentions its type parameters is judged by its declared return type: a
   * class or interface that is neither a promise nor an array stays one whatever its type
   * arguments (Hono's `app.get<P, ...>(...)` returns a `Hono<...>`), since promise-ness follows
   * the declaration and its bases.
   */
  private neverReturnsPromise(signature: ts.Signature, at: ts.Node): boolean {
    if (!signature.typeParameters?.length || hasClosedReturnType(signature)) return this.neverPromiseReturn(signature.getReturnType(), at);
    const declared = (signature.getDeclaration() as ts.SignatureDeclaration | undefined)?.type;
    return !!declared && this.neverPromiseTypeNode(declared, at);
  }

  /**
   * Whether a signature returns a promise that is no array whatever its type arguments: its return
   * type when no type argument can change it (and it names no type parameter, `this` included),
   * else a declared return type naming a promise class or interface (`then<R1, R2>(...):
   * Promise<R1 | R2>`), since promise-ness follows the declaration and its bases.
   */
  private alwaysReturnsPromise(signature: ts.Signature, at: ts.Node): boolean {
    if (!signature.typeParameters?.length || hasClosedReturnType(signature)) {
      const type = signature.getReturnType();
      if (unionParts(type).some((t) => t.flags & (ts.TypeFlags.TypeParameter | ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return false;
      return this.isPromise(type, at) && !this.isPromiseArray(type, at);
    }
    let declared = (signature.getDeclaration() as ts.SignatureDeclaration | undefined)?.type;
    while (declared && ts.isParenthesizedTypeNode(declared)) declared = declared.type;
    if (!declared || !ts.isTypeReferenceNode(declared)) return false;
    const type = referencedDeclaredType(this.checker, declared.typeName);
    if (type === undefined || type === 'enum') return false;
    return !this.checker.isArrayType(type) && !this.checker.isTupleType(type) && this.isPromise(type, at);
  }

  private neverPromiseTypeNode(node: ts.TypeNode, at: ts.Node): boolean {
    if (ts.isParenthesizedTypeNode(node)) return this.neverPromiseTypeNode(node.type, at);
    if (ts.isUnionTypeNode(node)) return node.types.every((t) => this.neverPromiseTypeNode(t, at));
    if (NEVER_PROMISE_TYPE_NODES.has(node.kind)) return true;
    if (!ts.isTypeReferenceNode(node)) return false;
    const type = referencedDeclaredType(this.checker, node.typeName);
    if (type === 'enum') return true;
    if (type === undefined) return false;
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) return false;
    // A `then` whose type depends on the type arguments might take callbacks once instantiated.
    if (this.typeOptions.anyThenable && type.getProperty('then')) return false;
    return !this.isPromise(type, at);
  }

  private neverPromiseReturn(type: ts.Type, at: ts.Node): boolean {
    if (type.flags & PRIMITIVE_TYPE_FLAGS) return true;
    if (type.flags & ts.TypeFlags.TypeParameter) return false;
    return !this.isPromise(type, at) && !this.isPromiseArray(type, at);
  }

  private isPromise(type: ts.Type, at: ts.Node): boolean {
    if (this.safePromises.length > 0 && this.isKnownSafePromiseType(type)) return false;
    return isPromiseType(this.checker, this.program, at, type, this.typeOptions);
  }

  private isPromiseArray(type: ts.Type, at: ts.Node): boolean {
    return arrayElementTypes(this.checker, type).some((t) => this.isPromise(t, at));
  }

  private isKnownSafePromiseType(type: ts.Type): boolean {
    const symbols = [type.aliasSymbol, type.getSymbol()].filter((s): s is ts.Symbol => !!s);
    return symbols.some((s) => declaredNamesOf(this.checker, s).some((n) => this.safePromises.some((spec) => pathMatches(spec, n))));
  }

  private isKnownSafeCall(call: ts.CallExpression): boolean {
    if (this.safeCalls.length === 0) return false;
    const callee = skipParens(call.expression);
    const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (!nameNode) return false;
    const symbol = this.checker.getSymbolAtLocation(nameNode);
    if (!symbol) return false;
    const names = declaredNamesOf(this.checker, symbol);
    return names.some((n) => this.safeCalls.some((spec) => pathMatches(spec, n)));
  }

  // ----- the local-variable extension

  private checkUnusedLocal(stmt: ts.VariableStatement): void {
    const list = stmt.declarationList;
    if (!(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) || list.flags & ts.NodeFlags.Using) return;
    // let/const in a `case` belong to the whole switch block.
    const scope = ts.isCaseClause(stmt.parent) || ts.isDefaultClause(stmt.parent) ? stmt.parent.parent : stmt.parent;
    if (!ts.isBlock(scope) && !ts.isCaseBlock(scope)) return;
    if (!enclosingFunction(stmt)) return;
    for (const decl of list.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer || decl.name.text.startsWith('_')) continue;
      const init = skipParens(decl.initializer);
      if (isSyntacticallyNeverPromise(init) || ts.isAwaitExpression(init)) continue;
      if (isNameUsedIn(scope, decl.name)) continue;
      const verdict = this.verdict(init);
      if (!verdict.unhandled) continue;
      if (ts.isCallExpression(init) && this.isKnownSafeCall(init)) continue;
      this.ctx.report({
        node: decl.name,
        message: this.unusedLocalMessage(decl.name.text, verdict),
        suggestions: this.unusedLocalSuggestions(stmt, decl),
      });
    }
  }

  // ----- messages and suggestions

  private message(v: Extract<Verdict, { unhandled: true }>): string {
    const what = describe(v.what);
    const orVoid = this.ctx.options.ignoreVoid ? ', or mark it as deliberately ignored with `void`' : '';
    switch (v.kind) {
      case 'array':
        return `${what} is an array of promises that nobody waits for: their rejections go unhandled and the code after it runs before they settle. Wrap it in \`await Promise.all(...)\` (or \`Promise.allSettled\`)${orVoid}.`;
      case 'then-without-rejection':
        return `${what} has no rejection handler: if the promise rejects or the callback throws, nobody handles the rejection (Node ends the process on an unhandled rejection by default). Await it, add a \`.catch(...)\` or a second argument to \`.then\`${orVoid}.`;
      case 'bad-rejection-handler':
        return `${what} passes a rejection handler that is not a function, so it is ignored and a rejection goes unhandled. Pass a function${orVoid}.`;
      default:
        return `${what} is a promise that nobody awaits, returns or handles: if it rejects, nobody handles the rejection (Node ends the process on an unhandled rejection by default), and the code after it runs before it settles. Await it, return it, add a \`.catch(...)\`${orVoid}.`;
    }
  }

  private unusedLocalMessage(name: string, v: Extract<Verdict, { unhandled: true }>): string {
    const held = v.kind === 'array' ? 'an array of promises' : 'a promise';
    return `\`${name}\` holds ${held} (${describe(v.what)}) that is never awaited, returned or passed on: if it rejects, nobody handles the rejection (Node ends the process on an unhandled rejection by default), and nothing waits for it to finish.`;
  }

  private suggestions(node: ts.Node, expression: ts.Expression): Fix[] {
    const sf = this.ctx.sourceFile;
    const out: Fix[] = [];
    const start = node.getStart(sf);
    const inner = skipParens(expression);
    const bare = expression !== inner || binds(inner);
    const wrap = (keyword: string): Fix['edits'] =>
      bare ? [{ start, end: start, text: `${keyword} ` }] : [{ start, end: start, text: `${keyword} (` }, { start: expression.getEnd(), end: expression.getEnd(), text: ')' }];
    if (this.ctx.options.ignoreVoid && !ts.isVoidExpression(inner)) {
      out.push({ description: 'Mark the promise as deliberately not awaited with `void`', edits: wrap('void') });
    }
    if (isInAsyncFunction(node)) {
      if (ts.isVoidExpression(inner)) {
        const at = inner.getStart(sf);
        out.push({ description: 'Await the promise (the code after it will wait for it)', edits: [{ start: at, end: at + 4, text: 'await' }] });
      } else {
        out.push({ description: 'Await the promise (the code after it will wait for it)', edits: wrap('await') });
      }
    }
    return out;
  }

  private unusedLocalSuggestions(stmt: ts.VariableStatement, decl: ts.VariableDeclaration): Fix[] {
    const sf = this.ctx.sourceFile;
    const init = decl.initializer!;
    const out: Fix[] = [];
    const tight = binds(skipParens(init)) || ts.isParenthesizedExpression(init);
    if (isInAsyncFunction(stmt)) {
      const at = init.getStart(sf);
      out.push({
        description: 'Await the promise where it is created',
        edits: tight ? [{ start: at, end: at, text: 'await ' }] : [{ start: at, end: at, text: 'await (' }, { start: init.getEnd(), end: init.getEnd(), text: ')' }],
      });
    }
    if (stmt.declarationList.declarations.length === 1 && this.ctx.options.ignoreVoid && !stmt.modifiers?.length) {
      const start = stmt.getStart(sf);
      const at = init.getStart(sf);
      out.push({
        description: 'Drop the variable and mark the promise as deliberately not awaited with `void`',
        edits: tight ? [{ start, end: at, text: 'void ' }] : [{ start, end: at, text: 'void (' }, { start: init.getEnd(), end: init.getEnd(), text: ')' }],
      });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax

function isLogicalOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** Expressions whose value can never be a promise, whatever the types say: no need to ask. */
function isSyntacticallyNeverPromise(e: ts.Expression): boolean {
  if (LITERAL_VALUE_EXPRESSIONS.has(e.kind)) return true;
  switch (e.kind) {
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.MetaProperty:
      return true;
    case ts.SyntaxKind.BinaryExpression: {
      const op = (e as ts.BinaryExpression).operatorToken.kind;
      return op !== ts.SyntaxKind.CommaToken && !isLogicalOperator(op) && !(op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment);
    }
    default:
      return false;
  }
}

/** Whether `keyword e` parses as `keyword (e)`: true for member, call and primary expressions. */
function binds(e: ts.Expression): boolean {
  return (
    ts.isIdentifier(e) ||
    ts.isCallExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isPropertyAccessExpression(e) ||
    ts.isElementAccessExpression(e) ||
    ts.isTaggedTemplateExpression(e) ||
    ts.isParenthesizedExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    e.kind === ts.SyntaxKind.ThisKeyword ||
    e.kind === ts.SyntaxKind.SuperKeyword ||
    ts.isLiteralExpression(e)
  );
}

function isAsyncIIFE(expression: ts.Expression): boolean {
  const e = skipParens(expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipParens(e.expression);
  return ts.isArrowFunction(callee) || ts.isFunctionExpression(callee);
}

export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return n;
    if (ts.isClassStaticBlockDeclaration(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

export function isInAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !!fn && ts.canHaveModifiers(fn) && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/**
 * Whether an identifier named like `name` appears anywhere in `scope` besides `name` itself.
 * Textual on purpose: any same-named use (even a shadowing one) counts as a use, so the rule
 * never reports a variable that might be read.
 */
function isNameUsedIn(scope: ts.Node, name: ts.Identifier): boolean {
  const text = name.text;
  const scopeText = scope.getSourceFile().text.slice(scope.pos, scope.end);
  let from = 0;
  let count = 0;
  for (;;) {
    const i = scopeText.indexOf(text, from);
    if (i < 0) break;
    count++;
    from = i + text.length;
    if (count > 1) break;
  }
  if (count <= 1) return false;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n !== name && n.text === text && !isNonReferenceName(n)) {
      used = true;
      return;
    }
    // Shorthand `{ p }` is a read; `{ p: 1 }` is not.
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(scope, visit);
  return used;
}

/** Identifiers that name a property rather than read a variable: `a.p`, `{ p: 1 }`, `p() {}`. */
function isNonReferenceName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return true;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === id) return true;
  if (ts.isQualifiedName(p) && p.right === id) return true;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  return false;
}

/** A short quote of an expression for messages. */
function describe(e: ts.Expression): string {
  const text = e.getText().replace(/\s+/g, ' ');
  return '`' + (text.length > 60 ? text.slice(0, 57) + '...' : text) + '`';
}

// ---------------------------------------------------------------------------------------------

const parse = objectOptions<FloatingPromiseOptions>('floating-promise', SPEC as never);

export const floatingPromise: RuleDefinition<FloatingPromiseOptions> = {
  id: 'floating-promise',
  description: 'A promise that nobody awaits, returns, or handles: its rejection goes unhandled and the code after it races with it.',
  defaultLevel: 'error',
  requiresTypes: true,
  optionsSchema: schemaOf(SPEC),
  parseOptions: parse,
  // A promise comes from a call, a `new` or a tagged template, or is named by its type: a file
  // with none of these (type-only modules, constant tables) has nothing to report.
  mayApply: (text) => /[(`]|Promise|Thenable|then/.test(text),
  check(ctx) {
    new FloatingPromiseCheck(ctx).run();
  },
};
