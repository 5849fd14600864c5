// Updates of one shared element split into a read and a later write that depends on it: the
// value written is computed from the value read (`const n = Atomics.load(c, 0); Atomics.store(c, 0, n + 1)`),
// or the write happens only because of what was read (`if (Atomics.load(s, 0) === IDLE) Atomics.store(s, 0, BUSY)`).
// Another thread can change the element between the two, so both threads act on the same
// stale value. Only pairs in one function are considered; a compare-exchange between them, or
// a `while (...) Atomics.wait(...)` hand-off, is a protocol and not a split update.
import { ts } from 'ts-morph';
import { locationId, type AtomicAccess, type MemoryAccesses, type PlainAccess } from './memoryAccesses';
import { atomicsOp, exits, isFunctionNode } from './sharedBuffers';
import { skipOuter } from '../syntax';

export type ReadSide = { kind: 'plain'; access: PlainAccess; node: ts.Expression } | { kind: 'atomic'; access: AtomicAccess; node: ts.Expression };
export type WriteSide = { kind: 'plain'; access: PlainAccess; node: ts.Expression; value: ts.Expression | undefined } | { kind: 'atomic'; access: AtomicAccess; node: ts.Expression; value: ts.Expression | undefined };

export interface SplitUpdate {
  read: ReadSide;
  write: WriteSide;
  /**
   * How the write depends on the read: it stores a value computed from it, it runs because of
   * it, it runs after a loop waiting on it, or it resets the element right after reading it
   * (`const n = Atomics.load(c, 0); Atomics.store(c, 0, 0)`: what others add in between is lost).
   */
  via: 'value' | 'condition' | 'wait-loop' | 'reset';
  /** The condition (if/loop test) that holds the read, for 'condition' and 'wait-loop'. */
  condition?: ts.Expression;
}

const BOUNDED_WRITES = new Set(['add', 'sub', 'and', 'or', 'xor']);

function isInside(node: ts.Node, outer: ts.Node): boolean {
  return outer.getStart() <= node.getStart() && node.getEnd() <= outer.getEnd();
}

function conditionOf(n: ts.Node): ts.Expression | undefined {
  if (ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) return n.expression;
  if (ts.isForStatement(n)) return n.condition;
  if (ts.isConditionalExpression(n)) return n.condition;
  return undefined;
}

/** Whether a loop's body sleeps with Atomics.wait (a hand-off protocol, not a busy check). */
function waitsInBody(loop: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionNode(n)) return;
    const op = atomicsOp(n);
    if (op === 'wait' || op === 'waitAsync') found = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(loop, visit);
  return found;
}

export class SplitUpdateFinder {
  private readonly reads = new Map<string, ReadSide[]>();

  constructor(
    private readonly accesses: MemoryAccesses,
    private readonly checker: ts.TypeChecker,
  ) {
    for (const p of accesses.plain) if (p.kind === 'read') this.addRead({ kind: 'plain', access: p, node: p.element });
    for (const a of accesses.atomic) if (a.op === 'load') this.addRead({ kind: 'atomic', access: a, node: a.call });
  }

  private addRead(r: ReadSide): void {
    const id = locationId(r.access.location);
    this.reads.set(id, [...(this.reads.get(id) ?? []), r]);
  }

  /** Writes that could complete a split update: plain writes, Atomics.store, and bounded Atomics RMWs. */
  writes(): WriteSide[] {
    const out: WriteSide[] = [];
    for (const p of this.accesses.plain) if (p.kind === 'write' && p.writer) out.push({ kind: 'plain', access: p, node: p.writer, value: p.value });
    for (const a of this.accesses.atomic) {
      if (a.op === 'store') out.push({ kind: 'atomic', access: a, node: a.call, value: a.call.arguments[2] });
      else if (BOUNDED_WRITES.has(a.op)) out.push({ kind: 'atomic', access: a, node: a.call, value: undefined });
    }
    return out;
  }

  /** The read this write depends on, if any (the nearest one before it in the same function). */
  find(write: WriteSide): SplitUpdate | undefined {
    if (this.elected(write)) return undefined;
    const candidates = (this.reads.get(locationId(write.access.location)) ?? []).filter((r) => {
      if (r.access.fn !== write.access.fn) return false;
      // `v[i] = v[i] + 1` is a one-expression read-modify-write, reported as such elsewhere.
      if (write.value && isInside(r.node, write.value)) return !(r.kind === 'plain' && write.kind === 'plain');
      return r.node.getStart() < write.node.getStart() && !isInside(r.node, write.node);
    });
    const bounded = write.kind === 'atomic' && write.access.op !== 'store';
    for (const read of candidates.sort((a, b) => b.node.getStart() - a.node.getStart())) {
      if (this.compareExchangeBetween(read, write)) continue;
      const derived = this.derivedSymbols(read);
      const uses = (e: ts.Node | undefined) => !!e && (isInside(read.node, e) || this.mentions(e, derived));
      if (!bounded && uses(write.value)) return { read, write, via: 'value' };
      const control = this.controllingCondition(write.node, read, uses);
      if (control) return { read, write, via: control.waitLoop ? 'wait-loop' : 'condition', condition: control.condition };
    }
    // Read, then overwrite: only the nearest read before the write, kept in a variable.
    const nearest = candidates.filter((r) => !(write.value && isInside(r.node, write.value))).sort((a, b) => b.node.getStart() - a.node.getStart())[0];
    if (nearest && !bounded && this.isKept(nearest) && !this.writtenBetween(nearest, write)) return { read: nearest, write, via: 'reset' };
    return undefined;
  }

  /**
   * Whether the write runs only in the thread an atomic read-modify-write elected: it sits in the
   * branch where that operation's own answer equals one value (`const arrived = Atomics.add(v, N, 1)
   * + 1; if (arrived === parties) { … }`, the last one into a barrier; `Atomics.sub(v, REFS, 1) ===
   * 1`, the last one out; `Atomics.exchange(v, F, 1) === 0`, the first one in). Each run gets a
   * different answer from the operation, so one thread at a time enters that branch and its read
   * and write are not interleaved by another's. (An ordering test, `>= limit`, elects no one.)
   */
  private elected(write: WriteSide): boolean {
    const fn = write.access.fn;
    for (let n: ts.Node = write.node; n.parent && n !== fn; n = n.parent) {
      const p = n.parent;
      if (!ts.isIfStatement(p) || p.thenStatement !== n) continue;
      const c = skipOuter(p.expression);
      if (!ts.isBinaryExpression(c)) continue;
      const op = c.operatorToken.kind;
      if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) continue;
      if (this.isRmwAnswer(c.left) || this.isRmwAnswer(c.right)) return true;
    }
    return false;
  }

  /** `Atomics.add(v, i, 1)`, `Atomics.add(v, i, 1) + 1`, or a const holding one. */
  private isRmwAnswer(e: ts.Expression, depth = 0): boolean {
    const x = skipOuter(e);
    const op = atomicsOp(x);
    if (op) return op === 'exchange' || op === 'compareExchange' || BOUNDED_WRITES.has(op);
    if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.PlusToken || x.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
      return (ts.isNumericLiteral(skipOuter(x.right)) && this.isRmwAnswer(x.left, depth)) || (ts.isNumericLiteral(skipOuter(x.left)) && this.isRmwAnswer(x.right, depth));
    }
    if (!ts.isIdentifier(x) || depth > 0) return false;
    const d = this.checker.getSymbolAtLocation(x)?.valueDeclaration;
    return !!d && ts.isVariableDeclaration(d) && !!(d.parent.flags & ts.NodeFlags.Const) && !!d.initializer && this.isRmwAnswer(d.initializer, depth + 1);
  }

  /** Whether a read's value is kept (`const n = Atomics.load(...)`, `total += v[i]`), not just compared. */
  private isKept(read: ReadSide): boolean {
    let n: ts.Node = read.node;
    while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
    const p = n.parent;
    return (ts.isVariableDeclaration(p) && p.initializer === n) || (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) || ts.isReturnStatement(p);
  }

  /** Whether the element is written between the read and the write (then the read is not the one reset). */
  private writtenBetween(read: ReadSide, write: WriteSide): boolean {
    const id = locationId(write.access.location);
    const between = (n: ts.Node) => n.getStart() > read.node.getEnd() && n.getStart() < write.node.getStart();
    return (
      this.accesses.atomic.some((a) => a.op !== 'load' && a.op !== 'wait' && a.op !== 'notify' && locationId(a.location) === id && between(a.call)) ||
      this.accesses.plain.some((p) => p.kind !== 'read' && locationId(p.location) === id && between(p.element))
    );
  }

  /** A compare-exchange on the same element between the read and the write makes it a CAS protocol. */
  private compareExchangeBetween(read: ReadSide, write: WriteSide): boolean {
    const id = locationId(write.access.location);
    return this.accesses.atomic.some(
      (a) => a.op === 'compareExchange' && locationId(a.location) === id && a.fn === write.access.fn && a.call.getStart() > read.node.getStart() && a.call.getStart() < write.node.getStart(),
    );
  }

  /** Variables of the function assigned from the read (one step, and one more through them). */
  private derivedSymbols(read: ReadSide): Set<ts.Symbol> {
    const out = new Set<ts.Symbol>();
    const body = read.access.fn ?? read.node.getSourceFile();
    for (let round = 0; round < 2; round++) {
      const visit = (n: ts.Node): void => {
        if (n !== body && isFunctionNode(n)) return;
        let target: ts.Node | undefined;
        let source: ts.Node | undefined;
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
          target = n.name;
          source = n.initializer;
        } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(n.left))) {
          target = skipOuter(n.left);
          source = n.right;
        }
        if (target && source && (isInside(read.node, source) || this.mentions(source, out))) {
          const sym = this.checker.getSymbolAtLocation(target);
          if (sym) out.add(sym);
        }
        ts.forEachChild(n, visit);
      };
      visit(body);
    }
    return out;
  }

  private mentions(node: ts.Node, symbols: Set<ts.Symbol>): boolean {
    if (symbols.size === 0) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n)) {
        const sym = this.checker.getSymbolAtLocation(n);
        if (sym && symbols.has(sym)) found = true;
        return;
      }
      if (ts.isPropertyAccessExpression(n)) {
        visit(n.expression);
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  /**
   * The condition the write is under that uses the read: an enclosing if/loop/ternary test, or a
   * guard before it (`if (cond) return;`, or a loop that waits until the condition is false).
   */
  /**
   * An `if` in a loop that otherwise sleeps on the element it read: `for (;;) { const s =
   * Atomics.load(ctrl, 0); if (s === WORK) { work(); Atomics.store(ctrl, 0, DONE); continue }
   * Atomics.wait(ctrl, 0, s) }`. The same hand-off as `while (Atomics.load(ctrl, 0) !== WORK)
   * Atomics.wait(…)` followed by the act: the loop reads the word afresh each time round and waits
   * on it (outside the branch) until the other side moves it on. (A wait on another word, or none,
   * is a busy check, which stays a condition.)
   */
  private parksOnRead(n: ts.IfStatement, read: ReadSide): boolean {
    const id = locationId(read.access.location);
    for (let p: ts.Node | undefined = n.parent; p && p !== read.access.fn && !isFunctionNode(p); p = p.parent) {
      if (!ts.isForStatement(p) && !ts.isWhileStatement(p) && !ts.isDoStatement(p)) continue;
      return isInside(read.node, p) && this.accesses.atomic.some((a) => (a.op === 'wait' || a.op === 'waitAsync') && a.fn === read.access.fn && locationId(a.location) === id && isInside(a.call, p) && !isInside(a.call, n.thenStatement));
    }
    return false;
  }

  private controllingCondition(write: ts.Node, read: ReadSide, uses: (e: ts.Node | undefined) => boolean): { condition: ts.Expression; waitLoop: boolean } | undefined {
    const fn = read.access.fn;
    let child: ts.Node = write;
    for (let n: ts.Node | undefined = write.parent; n && n !== fn && !ts.isSourceFile(n); child = n, n = n.parent) {
      if (isFunctionNode(n)) return undefined;
      const cond = conditionOf(n);
      if (cond && child !== cond && !isInside(write, cond) && uses(cond)) return { condition: cond, waitLoop: ts.isIfStatement(n) && this.parksOnRead(n, read) };
      if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
        const statements = n.statements as ts.NodeArray<ts.Statement>;
        const at = statements.indexOf(child as ts.Statement);
        for (let i = at - 1; i >= 0; i--) {
          const s = statements[i];
          if (ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement) && uses(s.expression)) return { condition: s.expression, waitLoop: false };
          if ((ts.isWhileStatement(s) || ts.isDoStatement(s)) && uses(s.expression)) return { condition: s.expression, waitLoop: waitsInBody(s) };
        }
      }
    }
    if (fn === undefined) {
      // Top-level guards.
      const sf = write.getSourceFile();
      const top = sf.statements.find((s) => isInside(write, s));
      if (top) {
        for (const s of sf.statements) {
          if (s.getStart() >= top.getStart()) break;
          if (ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement) && uses(s.expression)) return { condition: s.expression, waitLoop: false };
          if ((ts.isWhileStatement(s) || ts.isDoStatement(s)) && uses(s.expression)) return { condition: s.expression, waitLoop: waitsInBody(s) };
        }
      }
    }
    return undefined;
  }
}
