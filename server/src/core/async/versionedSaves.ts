// Saves of a fetched record that the store makes conditional on the version read (optimistic
// concurrency): a mongoose model whose schema sets `optimisticConcurrency` or uses the
// update-if-current plugin, a sequelize model defined with `version: true`, and a save whose
// version conflict the code itself catches (`VersionError`, `OptimisticLockError`). Such a
// `doc.save()` is a compare-and-set: when another run changed the record since this run read it,
// the save fails instead of overwriting that change, so it is neither a lost update nor an act on
// a stale check.
//
// Only what the file shows: a model imported from another module is not known to be versioned
// (a false "versioned" would hide a real lost update), and only the model a record is fetched
// from, directly (`await Order.findById(id)`) or through a finder of the file that returns it.
import { ts } from 'ts-morph';
import { skipParens } from './flow';
import { calleeName } from './safeIdioms';
import { isFunctionLike, type Scopes } from './scopes';

/** Errors a store throws when a conditional save finds the record changed. */
const VERSION_CONFLICT = /\b(VersionError|OptimisticLock\w*|StaleObjectState\w*|VersionMismatch\w*)\b/;
/** Plugins that make mongoose's `save()` conditional on the version (mongoose-update-if-current). */
const VERSIONING_PLUGIN = /^(updateIfCurrentPlugin|versionOccPlugin|optimisticConcurrencyPlugin)$/;
/** Calls of a query chain that keep the record the inner finder returns. */
const CHAIN_METHODS = new Set(['exec', 'lean', 'orFail', 'populate', 'select', 'sort', 'session', 'setOptions']);
const FINDERS = /^find/;

function unwrap(e: ts.Expression): ts.Expression {
  let x = skipParens(e);
  while (ts.isAwaitExpression(x) || ts.isNonNullExpression(x) || ts.isAsExpression(x)) x = skipParens(x.expression);
  return x;
}

/** The value of a property of an object literal (`{ optimisticConcurrency: true }`), if it is set there. */
function optionValue(options: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const o = options && skipParens(options);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return skipParens(p.initializer);
  }
  return undefined;
}

/** `true`, a list of fields, or a column name: set and not `false`. */
function isOn(value: ts.Expression | undefined): boolean {
  return !!value && value.kind !== ts.SyntaxKind.FalseKeyword && value.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(value) && value.text === 'undefined');
}

export class VersionedSaves {
  /** Declarations of the file's models whose save checks the version. */
  private versionedModels?: Set<ts.Node>;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly scopes: Scopes,
  ) {}

  /** Whether `record.save()` writes only if the record is still the version this run read. */
  isVersioned(save: ts.CallExpression, record: ts.Identifier): boolean {
    if (this.catchesVersionConflict(save)) return true;
    const models = this.modelsOf(record);
    const versioned = this.models();
    return models.length > 0 && models.every((m) => {
      const b = this.scopes.resolve(m);
      return !!b && versioned.has(b.declaration);
    });
  }

  /** A save in a `try` whose `catch` handles a version conflict, or with such a `.catch` handler. */
  private catchesVersionConflict(save: ts.CallExpression): boolean {
    let n: ts.Node = save;
    while (n.parent && !isFunctionLike(n.parent) && !ts.isSourceFile(n.parent)) {
      const p = n.parent;
      if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause && VERSION_CONFLICT.test(p.catchClause.getText(this.sourceFile))) return true;
      if (ts.isPropertyAccessExpression(p) && p.name.text === 'catch' && ts.isCallExpression(p.parent) && p.parent.arguments.some((a) => VERSION_CONFLICT.test(a.getText(this.sourceFile)))) return true;
      n = p;
    }
    return false;
  }

  /**
   * The models a record local was fetched from: the receivers of the finders in its initializer
   * (`await Order.findById(id).exec()`), or in the return statements of a function or method of
   * this file it was fetched through (`await this.getSupply(id)`). Empty when any path is unknown.
   */
  private modelsOf(record: ts.Identifier): ts.Identifier[] {
    const b = this.scopes.resolve(record);
    if (!b?.initializer) return [];
    const out: ts.Identifier[] = [];
    return this.collect(b.initializer, 0, out) ? out : [];
  }

  private collect(e: ts.Expression, depth: number, out: ts.Identifier[]): boolean {
    const x = unwrap(e);
    if (!ts.isCallExpression(x)) return false;
    const callee = skipParens(x.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const receiver = skipParens(callee.expression);
      if (CHAIN_METHODS.has(name) && ts.isCallExpression(receiver)) return this.collect(receiver, depth, out);
      if (FINDERS.test(name) && ts.isIdentifier(receiver)) {
        out.push(receiver);
        return true;
      }
      if (receiver.kind === ts.SyntaxKind.ThisKeyword) return this.collectReturns(this.methodOf(x, name), depth, out);
      return false;
    }
    if (ts.isIdentifier(callee)) {
      const b = this.scopes.resolve(callee);
      const decl = b?.kind === 'function' ? b.declaration : b?.initializer && (ts.isArrowFunction(b.initializer) || ts.isFunctionExpression(b.initializer)) ? b.initializer : undefined;
      return this.collectReturns(decl, depth, out);
    }
    return false;
  }

  /** A method of the class the call is made in, by name. */
  private methodOf(call: ts.Node, name: string): ts.Node | undefined {
    let c: ts.Node | undefined = call.parent;
    while (c && !ts.isClassLike(c)) c = c.parent;
    return c && (c as ts.ClassLikeDeclaration).members.find((m) => (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && m.name && ts.isIdentifier(m.name) && m.name.text === name);
  }

  /** The finders every return of a helper reaches (one level of helpers: a finder's own wrapper). */
  private collectReturns(decl: ts.Node | undefined, depth: number, out: ts.Identifier[]): boolean {
    if (!decl || depth > 0) return false;
    const fn = ts.isPropertyDeclaration(decl) ? decl.initializer && skipParens(decl.initializer) : decl;
    if (!fn || !isFunctionLike(fn) || !fn.body) return false;
    if (!ts.isBlock(fn.body)) return this.collect(fn.body, depth + 1, out);
    const returns: ts.Expression[] = [];
    let unknown = false;
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n)) return;
      if (ts.isReturnStatement(n)) {
        if (n.expression) returns.push(n.expression);
        else unknown = true;
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn.body, visit);
    return !unknown && returns.length > 0 && returns.every((r) => this.collect(r, depth + 1, out));
  }

  /** The file's versioned models, found once. */
  private models(): Set<ts.Node> {
    if (this.versionedModels) return this.versionedModels;
    const found = new Set<ts.Node>();
    // Schemas switched on after they are made: `schema.plugin(updateIfCurrentPlugin)`,
    // `schema.set('optimisticConcurrency', true)`.
    const switchedOn = new Set<ts.Node>();
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) calls.push(n);
      ts.forEachChild(n, visit);
    };
    visit(this.sourceFile);
    for (const call of calls) {
      const callee = skipParens(call.expression);
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(skipParens(callee.expression))) continue;
      const schema = this.scopes.resolve(skipParens(callee.expression) as ts.Identifier);
      if (!schema) continue;
      const [first, second] = call.arguments;
      if (callee.name.text === 'plugin' && first && VERSIONING_PLUGIN.test(calleeName(first) ?? '')) switchedOn.add(schema.declaration);
      if (callee.name.text === 'set' && first && ts.isStringLiteralLike(first) && first.text === 'optimisticConcurrency' && isOn(second && skipParens(second))) switchedOn.add(schema.declaration);
    }
    const versionedSchema = (e: ts.Expression | undefined): boolean => {
      const x = e && skipParens(e);
      if (!x) return false;
      if (ts.isNewExpression(x)) return /Schema$/.test(calleeName(x.expression) ?? '') && isOn(optionValue(x.arguments?.[1], 'optimisticConcurrency'));
      if (!ts.isIdentifier(x)) return false;
      const b = this.scopes.resolve(x);
      return !!b && (switchedOn.has(b.declaration) || (!!b.initializer && b.initializer !== x && versionedSchema(b.initializer)));
    };
    for (const call of calls) {
      const name = calleeName(call.expression);
      const args = call.arguments;
      // mongoose: `model('Order', orderSchema)`; sequelize: `define('order', attributes, { version: true })`,
      // `Order.init(attributes, { sequelize, version: true })`.
      const versioned =
        (name === 'model' && args.length >= 2 && ts.isStringLiteralLike(skipParens(args[0])) && versionedSchema(args[1])) ||
        (name === 'define' && args.length >= 3 && isOn(optionValue(args[2], 'version'))) ||
        (name === 'init' && args.length >= 2 && isOn(optionValue(args[1], 'version')));
      if (!versioned) continue;
      if (name === 'init') {
        const callee = skipParens(call.expression);
        const owner = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(skipParens(callee.expression)) ? this.scopes.resolve(skipParens(callee.expression) as ts.Identifier) : undefined;
        if (owner) found.add(owner.declaration);
        continue;
      }
      // The binding the model is kept in: `const Order = model(…)`, `export const Order = …`.
      const p = call.parent;
      if (ts.isVariableDeclaration(p) && p.initializer === call && ts.isIdentifier(p.name)) {
        const b = this.scopes.resolve(p.name);
        if (b) found.add(b.declaration);
      }
    }
    this.versionedModels = found;
    return found;
  }
}
