// Syntactic name resolution: which declaration an identifier refers to, and in which function it
// lives. The race model needs this on every shared-state candidate (is `total` a module binding, a
// local, or a variable captured from an enclosing function?), so it is done without the type
// checker: scopes are read off the AST once per scope and cached.
import { ts } from 'ts-morph';

export type BindingKind = 'var' | 'let' | 'const' | 'parameter' | 'function' | 'class' | 'enum' | 'import' | 'catch';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The declaring node (VariableDeclaration, ParameterDeclaration, FunctionDeclaration, import specifier...). */
  declaration: ts.Node;
  /** The function whose activation owns the binding, or the source file for module bindings. */
  owner: FunctionLike | ts.SourceFile;
  /** The initializer of a variable declaration, when it has one. */
  initializer?: ts.Expression;
}

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/** Per syntax kind, whether it is a FunctionLike: the race rules ask this of nearly every node they walk (one load, not seven `ts.is…` calls). */
const FUNCTION_LIKE_KINDS = kindTable([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

function kindTable(kinds: readonly ts.SyntaxKind[]): boolean[] {
  const table = new Array<boolean>(ts.SyntaxKind.Count).fill(false);
  for (const k of kinds) table[k] = true;
  return table;
}

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return FUNCTION_LIKE_KINDS[node.kind];
}

/** Whether a function is declared `async`. (Here, next to FunctionLike, so that flow.ts can use it without importing segments.ts, which imports flow.ts.) */
export function isAsyncFunction(fn: FunctionLike): boolean {
  return !!(ts.canHaveModifiers(fn) && ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword));
}

/** The nearest function enclosing `node` (not `node` itself), or the source file. */
export function enclosingFunction(node: ts.Node): FunctionLike | ts.SourceFile {
  let n = node.parent;
  while (n && !isFunctionLike(n) && !ts.isSourceFile(n)) n = n.parent;
  return (n ?? node.getSourceFile()) as FunctionLike | ts.SourceFile;
}

/** The module a `require('…')` call names (`e` with its parentheses already taken off), else undefined. */
export function requiredModule(e: ts.Expression): string | undefined {
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require') return undefined;
  const arg = e.arguments[0];
  return arg && ts.isStringLiteral(arg) ? arg.text : undefined;
}

/**
 * The declaration a name of a destructuring pattern belongs to (`const { a: [b] } = x` gives the
 * variable declaration for `b`); any other declaration is its own.
 */
export function patternOwner(declaration: ts.Node): ts.Node {
  let d = declaration;
  while (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d)) d = d.parent;
  return d;
}

/** Whether `inner` is `outer` or nested (at any depth) inside it. */
export function isWithin(inner: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Per syntax kind, whether it opens a scope (besides functions). */
const SCOPE_KINDS = kindTable([
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
]);

function isScopeNode(node: ts.Node): boolean {
  return SCOPE_KINDS[node.kind] || FUNCTION_LIKE_KINDS[node.kind];
}

function bindingNames(name: ts.BindingName, out: ts.Identifier[]): void {
  if (ts.isIdentifier(name)) {
    out.push(name);
    return;
  }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function declKind(list: ts.VariableDeclarationList): BindingKind {
  if (list.flags & ts.NodeFlags.Const) return 'const';
  if (list.flags & ts.NodeFlags.Let) return 'let';
  if (list.flags & (ts.NodeFlags as unknown as { Using: number }).Using) return 'const';
  return 'var';
}

/** Resolves identifiers to bindings, one cached table per scope. */
export class Scopes {
  private readonly tables = new Map<ts.Node, Map<string, Binding>>();
  private readonly resolved = new Map<ts.Identifier, Binding | null>();
  /**
   * Per file, whether its text has the word `var` anywhere (comments and strings included):
   * without it there is no `var` declaration to hoist, and a scope's table needs no walk of its body.
   */
  private readonly mentionsVar = new Map<ts.SourceFile, boolean>();
  /** `walkOrder`: the file's nodes as nodes() lists them, when a walk has already listed them. */
  constructor(
    readonly sourceFile: ts.SourceFile,
    private walkOrder?: ts.Node[],
  ) {}

  /**
   * Every node of the file, parents before children, in the order a walk with ts.forEachChild
   * visits them (listed on first use). The race model's passes over the whole file loop over
   * this list instead of each walking the tree again.
   */
  nodes(): readonly ts.Node[] {
    if (this.walkOrder) return this.walkOrder;
    const out: ts.Node[] = [];
    const visit = (n: ts.Node): void => {
      out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(this.sourceFile);
    return (this.walkOrder = out);
  }

  /**
   * Calls `look` for every node of the file, in nodes()' order. (The loop is kept in this small
   * method: a loop over thousands of nodes written inside a big method makes V8 compile that whole
   * method with its optimizing compiler, which on theia-core cost more than the walks saved.)
   */
  forEachNode(look: (n: ts.Node) => void): void {
    for (const n of this.nodes()) look(n);
  }

  /** The binding an identifier (used as a value) refers to; undefined for globals and unknown names. */
  resolve(id: ts.Identifier): Binding | undefined {
    const cached = this.resolved.get(id);
    if (cached !== undefined) return cached ?? undefined;
    let found: Binding | undefined;
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (!isScopeNode(n)) continue;
      // A parameter's default value cannot see the function body's declarations; close enough to ignore.
      const b = this.table(n).get(name);
      if (b) {
        found = b;
        break;
      }
    }
    this.resolved.set(id, found ?? null);
    return found;
  }

  /** Resolves a name as seen from `at` (for names that are not identifiers in the tree, e.g. fix text). */
  resolveName(name: string, at: ts.Node): Binding | undefined {
    for (let n: ts.Node | undefined = at; n; n = n.parent) {
      if (!isScopeNode(n)) continue;
      const b = this.table(n).get(name);
      if (b) return b;
    }
    return undefined;
  }

  private table(scope: ts.Node): Map<string, Binding> {
    let t = this.tables.get(scope);
    if (!t) {
      t = new Map();
      this.fill(scope, t);
      this.tables.set(scope, t);
    }
    return t;
  }

  private ownerOf(scope: ts.Node): FunctionLike | ts.SourceFile {
    if (isFunctionLike(scope) || ts.isSourceFile(scope)) return scope;
    return enclosingFunction(scope);
  }

  private fill(scope: ts.Node, t: Map<string, Binding>): void {
    const owner = this.ownerOf(scope);
    const add = (id: ts.Identifier, kind: BindingKind, declaration: ts.Node, initializer?: ts.Expression) => {
      if (!t.has(id.text)) t.set(id.text, { name: id.text, kind, declaration, owner, initializer });
    };
    const addList = (list: ts.VariableDeclarationList, only?: 'block') => {
      const kind = declKind(list);
      if (only === 'block' && kind === 'var') return;
      for (const d of list.declarations) {
        const ids: ts.Identifier[] = [];
        bindingNames(d.name, ids);
        for (const id of ids) add(id, kind, d, ts.isIdentifier(d.name) ? d.initializer : undefined);
      }
    };
    const addStatements = (statements: readonly ts.Statement[], blockOnly: boolean) => {
      for (const s of statements) {
        if (ts.isVariableStatement(s)) addList(s.declarationList, blockOnly ? 'block' : undefined);
        else if (ts.isFunctionDeclaration(s) && s.name) add(s.name, 'function', s);
        else if (ts.isClassDeclaration(s) && s.name) add(s.name, 'class', s);
        else if (ts.isEnumDeclaration(s)) add(s.name, 'enum', s);
        else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) add(s.name, 'const', s);
        else if (ts.isImportDeclaration(s) && s.importClause) {
          const c = s.importClause;
          if (c.name) add(c.name, 'import', c);
          if (c.namedBindings) {
            if (ts.isNamespaceImport(c.namedBindings)) add(c.namedBindings.name, 'import', c.namedBindings);
            else for (const el of c.namedBindings.elements) add(el.name, 'import', el);
          }
        } else if (ts.isImportEqualsDeclaration(s)) add(s.name, 'import', s);
      }
    };
    // `var` declarations hoist to the function (or file) from any nested block.
    const addHoistedVars = (node: ts.Node) => {
      const sf = node.getSourceFile();
      let mentioned = this.mentionsVar.get(sf);
      if (mentioned === undefined) this.mentionsVar.set(sf, (mentioned = /\bvar\b/.test(sf.text)));
      if (!mentioned) return;
      const visit = (n: ts.Node): void => {
        if (isFunctionLike(n) || ts.isClassLike(n)) return;
        if (ts.isVariableDeclarationList(n) && declKind(n) === 'var') addList(n);
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(node, visit);
    };

    if (ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      addStatements(scope.statements, false);
      addHoistedVars(scope);
    } else if (isFunctionLike(scope)) {
      if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name) add(scope.name, 'function', scope);
      for (const p of scope.parameters) {
        const ids: ts.Identifier[] = [];
        bindingNames(p.name, ids);
        for (const id of ids) add(id, 'parameter', p);
      }
      if (scope.body && ts.isBlock(scope.body)) {
        addStatements(scope.body.statements, false);
        addHoistedVars(scope.body);
      }
    } else if (ts.isBlock(scope)) {
      // A function body's block is filled through its function.
      if (!(scope.parent && isFunctionLike(scope.parent) && scope.parent.body === scope)) addStatements(scope.statements, true);
    } else if (ts.isCaseBlock(scope)) {
      for (const clause of scope.clauses) addStatements(clause.statements, true);
    } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init)) addList(init, 'block');
    } else if (ts.isCatchClause(scope)) {
      const d = scope.variableDeclaration;
      if (d) {
        const ids: ts.Identifier[] = [];
        bindingNames(d.name, ids);
        for (const id of ids) add(id, 'catch', d);
      }
    } else if (ts.isClassExpression(scope) && scope.name) {
      add(scope.name, 'class', scope);
    }
  }
}
