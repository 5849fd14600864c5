// Whether an index names memory that belongs to the current thread alone: each worker writing
// `results[workerData.index]`, `counts[threadId]`, a range `[start, end)` computed from its own
// id, or a slot it claimed with `Atomics.add`. Plain access there does not race.
import { ts } from 'ts-morph';
import { patternOwner } from '../async/scopes';
import { atomicsOp, type SharedBufferModel } from './sharedBuffers';
import { skipOuter } from '../syntax';

const THREAD_ID_NAME = /^((worker|thread|lane|shard|rank|partition|chunk|part)(Id|Index|Idx|No|Num|Number)?|(w|t)id|myIndex|myId|selfIndex)$/i;
const THREAD_ID_SUFFIX = /(Worker|Thread)(Id|Index|Idx|No|Num|Number)$/;
// Fields of received data that differ per worker (its id, its range), unlike shared settings
// such as `n` or `size` that every worker gets the same.
const IDENTITY_WORDS = 'id|index|idx|rank|slot|start|end|offset|from|to|begin|lo|hi|first|last|base|shard|lane|part|chunk|range|me|self|tid|wid';
const IDENTITY_FIELD = new RegExp(
  `^(${IDENTITY_WORDS})$|[a-z0-9](${IDENTITY_WORDS.replace(/(^|\|)(\w)/g, (_m, sep: string, c: string) => sep + c.toUpperCase())}|ID)$|_(${IDENTITY_WORDS})$`,
);

export class ThreadOwnership {
  private readonly memo = new Map<ts.Node, boolean>();

  constructor(
    private readonly model: SharedBufferModel,
    private readonly checker: ts.TypeChecker,
  ) {}

  /** Whether the index expression depends on this thread's identity. */
  isOwnedIndex(index: ts.Expression): boolean {
    return this.dependsOnIdentity(index, 0);
  }

  /** Whether a value names this thread (`threadId`, its workerData id, a slot it claimed): what a thread stores to claim a word. */
  isThreadIdentity(value: ts.Expression): boolean {
    return this.dependsOnIdentity(value, 0);
  }

  private dependsOnIdentity(expr: ts.Node, depth: number): boolean {
    if (depth > 4) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isExpression(n) && this.isIdentity(n as ts.Expression, depth)) {
        found = true;
        return;
      }
      // A field of received data that is not an identity (`workerData.n`) is the same for every worker.
      if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && this.model.isReceivedData(n)) return;
      // Only the object of a property access names a value; its `.name` does not.
      if (ts.isPropertyAccessExpression(n)) visit(n.expression);
      else ts.forEachChild(n, visit);
    };
    visit(expr);
    return found;
  }

  private isIdentity(e: ts.Expression, depth: number): boolean {
    const x = skipOuter(e);
    if (ts.isIdentifier(x) && x.text === 'threadId') return true;
    if (ts.isPropertyAccessExpression(x) && x.name.text === 'threadId') return true;
    if (this.model.isWorkerDataRef(x)) return true;
    if (ts.isPropertyAccessExpression(x) && IDENTITY_FIELD.test(x.name.text) && this.model.isReceivedData(x)) return true;
    if (!ts.isIdentifier(x)) return false;
    const decl = this.checker.getSymbolAtLocation(x)?.declarations?.[0];
    if (!decl || decl.getSourceFile() !== x.getSourceFile()) return false;
    const cached = this.memo.get(decl);
    if (cached !== undefined) return cached;
    this.memo.set(decl, false);
    const result = this.declIsIdentity(decl, depth);
    this.memo.set(decl, result);
    return result;
  }

  private declIsIdentity(decl: ts.Declaration, depth: number): boolean {
    if (ts.isBindingElement(decl)) {
      // `const { index } = workerData`
      const d = patternOwner(decl);
      const field = decl.propertyName ?? decl.name;
      const fieldName = ts.isIdentifier(field) || ts.isStringLiteralLike(field) ? field.text : '';
      if (ts.isVariableDeclaration(d) && d.initializer) {
        if (this.model.isReceivedData(d.initializer)) return IDENTITY_FIELD.test(fieldName);
        return this.dependsOnIdentity(d.initializer, depth + 1);
      }
      if (ts.isParameter(d)) return this.parameterIsIdentity(d, depth);
      return false;
    }
    if (ts.isParameter(decl)) return this.parameterIsIdentity(decl, depth);
    if (!ts.isVariableDeclaration(decl)) return false;
    const name = ts.isIdentifier(decl.name) ? decl.name.text : '';
    if (THREAD_ID_NAME.test(name) || THREAD_ID_SUFFIX.test(name)) return true;
    const list = decl.parent;
    const loop = ts.isVariableDeclarationList(list) ? list.parent : undefined;
    if (loop && ts.isForStatement(loop) && loop.initializer === list) {
      // `for (let i = start; i < end; i += stride)` over this thread's range.
      if (decl.initializer && this.dependsOnIdentity(decl.initializer, depth + 1)) return true;
      if (loop.condition && this.dependsOnIdentity(loop.condition, depth + 1)) return true;
      return false;
    }
    if (!decl.initializer) return false;
    const init = skipOuter(decl.initializer);
    // A slot claimed with `Atomics.add(next, 0, 1)` is this thread's alone.
    const op = atomicsOp(init);
    if (op === 'add' || op === 'sub' || op === 'exchange' || op === 'compareExchange') return true;
    return this.dependsOnIdentity(init, depth + 1);
  }

  private parameterIsIdentity(p: ts.ParameterDeclaration, depth: number): boolean {
    const name = ts.isIdentifier(p.name) ? p.name.text : '';
    if (THREAD_ID_NAME.test(name) || THREAD_ID_SUFFIX.test(name)) return true;
    const fn = p.parent;
    const index = fn.parameters.indexOf(p);
    const sites = this.model.callSitesOf(fn);
    return sites.length > 0 && sites.every((s) => {
      const arg = s.arguments?.[index];
      return !!arg && this.dependsOnIdentity(arg, depth + 1);
    });
  }
}
