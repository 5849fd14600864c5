// Writes made after a hand-over. In a protocol over shared words, storing a state value that the
// other thread waits for (`Atomics.store(ctl, STATE, AWAIT)`) hands the channel over: from then
// on the other thread writes the words that belong to the next step. A write this thread still
// makes to one of those words after the hand-over (`Atomics.store(ctl, SIZE, 0)` right after
// the state) can land after the other thread's write and erase it. Every access may be atomic:
// the race is in the order of two stores. Only a hand-over both sides show is judged: a store of
// a constant state value, a loop in another function that spins or waits until the word has
// that value, and a write of the same other word by that function after its loop.
import { ts } from 'ts-morph';
import { constantNumber, locationId, type AtomicAccess, type MemoryAccesses, type PlainAccess } from './memoryAccesses';
import { atomicsOp, enclosingFunction, isLoop, typeNameOf } from './sharedBuffers';
import { skipOuter } from '../syntax';

export interface WriteAfterHandOver {
  /** The store that hands the channel over (`Atomics.store(ctl, STATE, AWAIT)`). */
  publish: AtomicAccess;
  /** The write after it to a word the other side writes next. */
  write: AtomicAccess | PlainAccess;
  /** The other side's loop that waits for the published value. */
  waitLoop: ts.IterationStatement;
  /** The other side's write to the same word, after its wait. */
  otherWrite: AtomicAccess | PlainAccess;
}

const WRITING_OPS = new Set(['store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange']);

type Access = AtomicAccess | PlainAccess;

function nodeOf(a: Access): ts.Node {
  return 'call' in a ? a.call : a.element;
}

/** The declaration a named index refers to (`STATE_IDX`, `Slot.SIZE`): the protocol's name for the word. */
function indexDeclaration(index: ts.Expression, checker: ts.TypeChecker): ts.Node | undefined {
  const e = skipOuter(index);
  const name = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
  return name ? checker.getSymbolAtLocation(name)?.valueDeclaration : undefined;
}

/**
 * Whether two accesses are to the same protocol word: the same location, or the same named
 * index into views of the same type (the two sides of a protocol written as two classes, each
 * with its own field for the control array).
 */
function sameWord(a: Access, b: Access, checker: ts.TypeChecker): boolean {
  if (locationId(a.location) === locationId(b.location)) return true;
  const da = indexDeclaration(a.index, checker);
  return !!da && da === indexDeclaration(b.index, checker) && typeNameOf(a.view, checker) === typeNameOf(b.view, checker);
}

/** The statement that holds `node` directly in a block (or source file), and that block's statements. */
function statementIn(node: ts.Node): { statement: ts.Statement; list: ts.NodeArray<ts.Statement> } | undefined {
  let n: ts.Node = node;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !ts.isCaseClause(n.parent)) {
    if (ts.isFunctionLike(n.parent)) return undefined;
    n = n.parent;
  }
  const p = n.parent;
  if (!p || !(ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p))) return undefined;
  return { statement: n as ts.Statement, list: p.statements };
}

/** Whether a loop's condition keeps it going until the word `word` holds `value` (`while (Atomics.load(c, S) !== V)`). */
function waitsFor(loop: ts.IterationStatement, word: AtomicAccess, value: number, accesses: MemoryAccesses, checker: ts.TypeChecker): boolean {
  const condition = ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : ts.isForStatement(loop) ? loop.condition : undefined;
  if (!condition) return false;
  // The loads of the word in the condition, and the names they are assigned to there (`(s = Atomics.load(c, S)) !== V`).
  const loads = accesses.atomic.filter((a) => a.op === 'load' && a.call.getStart() >= condition.getStart() && a.call.getEnd() <= condition.getEnd() && sameWord(a, word, checker));
  if (loads.length === 0) return false;
  const names = new Set<string>();
  for (const l of loads) {
    const p = l.call.parent;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === l.call && ts.isIdentifier(p.left)) names.add(p.left.text);
  }
  const isWord = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    if (loads.some((l) => l.call === x)) return true;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken) return isWord(x.right);
    return ts.isIdentifier(x) && names.has(x.text);
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)) {
      const other = isWord(n.left) ? n.right : isWord(n.right) ? n.left : undefined;
      if (other && constantNumber(other, checker) === value) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(condition);
  return found;
}

/** Whether `write` (in the same function as `loop`) can run after the loop ends: later in the function, or anywhere in a loop around it. */
function runsAfter(write: ts.Node, loop: ts.Node, fn: ts.Node): boolean {
  if (write.getStart() >= loop.getEnd()) return true;
  for (let n: ts.Node | undefined = loop.parent; n && n !== fn; n = n.parent) {
    if (isLoop(n) && write.getStart() >= n.getStart() && write.getEnd() <= n.getEnd()) return true;
  }
  return false;
}

export function findWritesAfterHandOver(accesses: MemoryAccesses, checker: ts.TypeChecker): WriteAfterHandOver[] {
  const out: WriteAfterHandOver[] = [];
  const stores = accesses.atomic.filter((a) => a.op === 'store' && a.fn && a.call.arguments.length >= 3);
  if (stores.length === 0) return out;
  const writes: Access[] = [...accesses.atomic.filter((a) => WRITING_OPS.has(a.op)), ...accesses.plain.filter((p) => p.kind !== 'read')];
  // Loops of the file that contain an Atomics.load in their condition: the candidates for "waits until".
  const waitLoops = new Set<ts.IterationStatement>();
  for (const a of accesses.atomic) {
    if (a.op !== 'load') continue;
    for (let n: ts.Node | undefined = a.call.parent; n && !ts.isFunctionLike(n); n = n.parent) {
      if (isLoop(n)) {
        waitLoops.add(n);
        break;
      }
    }
  }
  if (waitLoops.size === 0) return out;
  for (const publish of stores) {
    const value = constantNumber(publish.call.arguments[2], checker);
    if (value === undefined) continue;
    const place = statementIn(publish.call);
    if (!place || !ts.isExpressionStatement(place.statement) || skipOuter(place.statement.expression) !== publish.call) continue;
    // The statements right after the hand-over, up to the first one that waits or branches.
    const i = place.list.indexOf(place.statement);
    const after: ts.Statement[] = [];
    for (const st of place.list.slice(i + 1)) {
      if (!ts.isExpressionStatement(st)) break;
      const op = atomicsOp(skipOuter(st.expression));
      if (op === 'wait' || op === 'waitAsync' || op === 'load') break;
      after.push(st);
    }
    if (after.length === 0) continue;
    const laterWrites = writes.filter((w) => w.fn === publish.fn && after.some((st) => nodeOf(w).getStart() >= st.getStart() && nodeOf(w).getEnd() <= st.getEnd()) && !sameWord(w, publish, checker));
    if (laterWrites.length === 0) continue;
    // The other side: a loop in another function that waits for this value, then writes the same word.
    for (const loop of waitLoops) {
      const fn = enclosingFunction(loop);
      if (!fn || fn === publish.fn || !waitsFor(loop, publish, value, accesses, checker)) continue;
      let match: WriteAfterHandOver | undefined;
      for (const w of laterWrites) {
        const other = writes.find((o) => o.fn === fn && sameWord(o, w, checker) && runsAfter(nodeOf(o), loop, fn));
        if (other) {
          match = { publish, write: w, waitLoop: loop, otherWrite: other };
          break;
        }
      }
      if (match) {
        out.push(match);
        break;
      }
    }
  }
  return out;
}
