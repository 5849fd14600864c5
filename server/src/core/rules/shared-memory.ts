// shared-memory: races on memory that several threads hold at once. It finds, on typed-array
// views of a SharedArrayBuffer that another thread can touch (handed to a Worker through
// workerData or postMessage, received from one, or declared `Int32Array<SharedArrayBuffer>`):
// plain read-modify-writes (`view[i]++`, `view[i] += n`, `view[i] = view[i] + n`) that lose
// updates; plain reads and writes of an element that other code accesses with Atomics, under
// whatever name each half of a file gives it (the plain side is unordered: stale reads, spin
// loops that never end, wake-ups that miss the write), including the word a thread waited on,
// which Atomics.wait never hands over;
// check-then-act across threads (`Atomics.load`, compare, `Atomics.store` on one element, which
// must be one `Atomics.compareExchange`; reported here rather than by check-then-act, whose
// model is async tasks on one thread); a single Atomics.wait on a word that goes back to the
// awaited value every round (a stale notify or the timeout wakes it early); Atomics.notify on a
// word the notifying code never changes, or changes on one branch only (lost when it comes
// before the wait); plain resets of memory a worker writes right after an un-awaited
// `worker.terminate()`, which does not wait for the worker to stop; ArrayBuffers or ports used
// after `postMessage(msg, [buf])` (also in a listener registered before the transfer) (or a same-file
// helper that transfers its argument, the buffer under it, or memory reached from it such as
// `job.pixels.buffer`; in plain JavaScript also a function assigned to a property or a method of
// the one class an untyped array holds) transferred them away, or
// transferred while a long-lived cache, collection or field still holds them; and transfers of
// `view.buffer` that take memory other views share (a window cut from a larger buffer, also when
// the buffer is chosen among several views', a Node Buffer from the shared pool, a library's
// pooled result sent bare).
// It deliberately leaves alone: Atomics read-modify-writes and compare-exchange loops;
// Atomics.wait/notify hand-offs and the payload they guard (unless another function updates it
// without ever waiting: the wait orders only its partners), also a worker loop that acts when its
// word says so and otherwise parks on it (`if (s === WORK) { …; store(DONE) } Atomics.wait(w, 0, s)`); plain reads of memory nobody updates
// atomically; plain access to an element the thread owns (indexed by its workerData id,
// threadId, its own range, or a slot claimed with Atomics.add); code under a lock
// (mutex.runExclusive, navigator.locks, a compare-exchange spinlock) or in the thread an atomic
// operation elected (`if (Atomics.sub(n, 0, 1) === 1)`); initialization before the memory is
// shared; reads after the workers are done (in 'exit' handlers, after awaiting them) and reads
// that only feed an error message or a log; wake-up helpers whose callers write the word; and
// plain ArrayBuffers, which are copied, not shared; and transfers of views allocated whole
// (`new Uint8Array(n)`, `slice()`, `TextEncoder.encode()`, a window into a buffer the function
// just made).
import { ts } from 'ts-morph';
import type { Fix } from '../findings';
import type { ReportDescriptor, RuleContext, RuleDefinition } from '../rule';
import { atomicsTarget, compareExchangeRewrite, exchangeRewrite, loadRewrite, rmwRewrite, storeRewrite, type AtomicsTarget } from '../threads/atomicsFixes';
import { collectMemoryAccesses, constInitializer, constantNumber, indexKeyOf, isConstantNumber, locationId, mayBeSameWord, type AtomicAccess, type Location, type MemoryAccesses, type PlainAccess } from '../threads/memoryAccesses';
import { atomicsOp, calleeName, enclosingFunction, isLoop, lineOf, SharedBufferModel, type SharingPoint, type TrackedValue } from '../threads/sharedBuffers';
import { SplitUpdateFinder, type SplitUpdate } from '../threads/splitUpdates';
import { skipOuter } from '../syntax';
import { callsInBody, isAfterHandOver, isLockProtected, otherThreadAt } from '../threads/synchronization';
import { ThreadOwnership } from '../threads/threadOwnership';
import { findRepeatedTransfers } from '../threads/repeatedTransfers';
import { isDecode, isHandedBack, isMappedList, servesOneCaller } from '../threads/transferSites';
import { findUsesAfterTransfer } from '../threads/usesAfterTransfer';
import { findSharedViewTransfers } from '../threads/sharedViewTransfers';
import { findSharedObjectUpdates } from '../threads/sharedObjectUpdates';
import { findWritesAfterHandOver } from '../threads/handOvers';
import { findCopiedMemory } from '../threads/copiedMemory';
import { findWritesAfterTerminate } from '../threads/terminations';
import { noOptions } from './options';

/** Operators of a value computed from a number: what a split load/store update may do to it. */
const ARITHMETIC = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
]);

// `transfer` covers structuredClone(x, { transfer }), transferList and ArrayBuffer#transfer().

// (`.buffer]`: a transfer list handed to a messaging wrapper, which ends in a buffer. Not
// `.buffer,`, common in binary parsers' `new Uint8Array(x.buffer, offset)`.)
// (`Transfer`: threads.js' marker; `piscina`/`tinypool`: their `move` marker. A worker script
// may name nothing but its message handler: `self.onmessage`, `parentPort.on('message', ...)`,
// `self.addEventListener('message', ...)`, `once(port, 'message')`. Only a listener for
// 'message' counts, not any 'message' string: chat and logging code is full of those.)
const RELEVANT_TEXT =
  /SharedArrayBuffer|Atomics|workerData|postMessage|Worker|[Tt]ransfer|decodeAudioData|\.buffer\s*\]|piscina|tinypool|parentPort|onmessage|(?:addEventListener|addListener|prependListener|on|once)\(\s*(?:[\w$.]+\s*,\s*)?['"]message['"]/;
const LOCK_NAME = /lock|mutex|sem(aphore)?\b|busy|owner/i;

type Context = RuleContext<Record<string, never>>;

const ELECTING_OPS = new Set(['add', 'sub', 'exchange', 'compareExchange']);
const WRITING_OPS = new Set(['store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange']);

/** The value an Atomics write puts into the element (the replacement of a compare-exchange). */
function writtenValue(a: AtomicAccess): ts.Expression | undefined {
  return a.op === 'compareExchange' ? a.call.arguments[3] : a.call.arguments[2];
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** The arithmetic direction of a plain write: '+' for `++`/`+=`, '-' for `--`/`-=`, else 'any'. */
function plainOperator(p: PlainAccess): string {
  const w = p.writer;
  if (!w) return 'any';
  if (ts.isPrefixUnaryExpression(w) || ts.isPostfixUnaryExpression(w)) return w.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-';
  if (ts.isBinaryExpression(w)) return w.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken ? '+' : w.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken ? '-' : 'any';
  return 'any';
}

function atomicsName(call: ts.CallExpression): string {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : 'operation';
}

/**
 * Whether a read only feeds an error message or a log line (`throw new Error(\`... ${flag[0]}\`)`,
 * `console.log(flag[0])`): a stale value there misleads nobody's control flow.
 */
function isDiagnosticRead(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isFunctionLike(n) && !ts.isBlock(n); n = n.parent) {
    if (ts.isThrowStatement(n)) return true;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'console') return true;
  }
  return false;
}

/** Whether two calls are statements (or in statements) of the same block, so one runs right after the other. */
function sameStatementList(a: ts.Node, b: ts.Node): boolean {
  const statementOf = (n: ts.Node): ts.Node => {
    let x = n;
    while (x.parent && !ts.isBlock(x.parent) && !ts.isSourceFile(x.parent) && !ts.isCaseClause(x.parent)) x = x.parent;
    return x;
  };
  return statementOf(a).parent === statementOf(b).parent;
}

/** The names of the function and class around a node (`Mutex lock`), which say what a protocol is for. */
function namesAround(node: ts.Node): string {
  const names: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isClassLike(n)) && n.name && ts.isIdentifier(n.name)) names.push(n.name.text);
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) names.push(n.parent.name.text);
  }
  return names.join(' ');
}

interface SharedView {
  values: TrackedValue[];
  elementType: string | undefined;
}

class SharedMemoryCheck {
  private readonly views = new Map<ts.Node, SharedView>();
  private readonly reported = new Set<ts.Node>();
  private readonly ownership: ThreadOwnership;
  private readonly sf: ts.SourceFile;

  constructor(
    private readonly ctx: Context,
    private readonly model: SharedBufferModel,
    private readonly accesses: MemoryAccesses,
  ) {
    this.sf = ctx.sourceFile;
    this.ownership = new ThreadOwnership(model, ctx.checker);
  }

  run(): void {
    this.checkSplitUpdates();
    this.checkPlainAccesses();
    this.checkNotifyBeforeStore();
    this.checkNotifyWithoutChange();
    this.checkSingleWait();
    this.checkCopiedMemory();
    this.checkSharedObjectUpdates();
    this.checkWritesAfterHandOver();
    this.checkWritesAfterTerminate();
    this.checkTransfers();
  }

  // ------------------------------------------------------------------------------------------
  // Memory reset right after an un-awaited worker.terminate(), while the worker may still write it.

  private checkWritesAfterTerminate(): void {
    for (const w of findWritesAfterTerminate(this.sf, this.model, this.accesses, this.ctx.checker)) {
      if (this.reported.has(w.write)) continue;
      const race = this.raceWitness(w.view, w.viewKey, w.index ?? w.write, w.write);
      if (!race) continue;
      const worker = skipOuter((skipOuter(w.terminate.expression) as ts.PropertyAccessExpression).expression).getText(this.sf);
      const viewText = w.view.getText(this.sf);
      const evidence = atomicsName(w.evidence);
      const message =
        `Write to shared memory right after terminate(): \`${w.write.getText(this.sf).split('\n')[0]}\` resets ${viewText}, but \`${worker}.terminate()\` (line ${lineOf(w.terminate)}) only asks the worker to stop: ` +
        `it runs on until the engine interrupts it, and ${this.describeView(w.view, race.point)}, which another thread writes (it is used with Atomics.${evidence}, line ${lineOf(w.evidence)}). ` +
        `The old worker's last writes can land after this reset, or between its halves, and the next run starts from them. Give the next run a fresh SharedArrayBuffer the old worker never saw, or wait for the worker to stop first (in Node, \`await ${worker}.terminate()\`).`;
      this.reported.add(w.write);
      this.ctx.report({
        node: w.write,
        message,
        related: this.related(race.point, [
          { node: w.terminate, message: 'terminate() returns before the worker has stopped' },
          { node: w.evidence, message: `${viewText} accessed with Atomics here` },
        ]),
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // A write to a word the other side writes next, made after handing the channel over.

  private checkWritesAfterHandOver(): void {
    for (const h of findWritesAfterHandOver(this.accesses, this.ctx.checker)) {
      const node = 'call' in h.write ? h.write.call : (h.write.writer ?? h.write.element);
      if (this.reported.has(node)) continue;
      this.reported.add(node);
      const text = (n: ts.Node) => n.getText(this.sf);
      const word = text(h.write.index);
      const state = text(h.publish.index);
      const value = text(h.publish.call.arguments[2]);
      const otherNode = 'call' in h.otherWrite ? h.otherWrite.call : h.otherWrite.element;
      const message =
        `Write after hand-over: \`${text(h.publish.call)}\` (line ${lineOf(h.publish.call)}) hands the channel to the other side, which waits for ${state} to become ${value} (line ${lineOf(h.waitLoop)}) and then writes ${word} itself (line ${lineOf(otherNode)}). ` +
        `This write to ${word} comes after the hand-over, so it can land after the other side's write and erase it. Write ${word} before publishing ${value}.`;
      this.ctx.report({
        node,
        message,
        related: [
          { node: h.publish.call, message: `hands the channel over here` },
          { node: h.waitLoop, message: `the other side waits for ${value} here` },
          { node: otherNode, message: `and then writes ${word} here` },
        ],
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Read-modify-writes through the API of an object in shared memory.

  private checkSharedObjectUpdates(): void {
    for (const u of findSharedObjectUpdates(this.sf, this.model, this.ctx.checker)) {
      const object = skipOuter(u.object).getText(this.sf);
      const key = u.write.arguments[0].getText(this.sf);
      const readName = (u.read.expression as ts.PropertyAccessExpression).name.text;
      const writeName = (u.write.expression as ts.PropertyAccessExpression).name.text;
      const lock = u.lock
        ? `Take \`${object}.${u.lock.acquire}()\` before the ${readName} and release it (\`${object}.${u.lock.release}()\`, in a finally) after the ${writeName}.`
        : 'Hold a lock that every thread takes around both.';
      const from = u.receivedAt ? `it comes from \`${u.receivedAt.getText(this.sf)}\`, line ${lineOf(u.receivedAt)}` : 'received from another thread';
      const message =
        `Lost update across threads: \`${object}\` is shared memory (${from}), and \`${object}.${readName}(${key})\` (line ${lineOf(u.read)}) and this \`${object}.${writeName}(${key}, …)\` are each atomic, but the pair is not: ` +
        `another thread running the same update can ${writeName} ${key} between them, and this ${writeName} overwrites its change with a value computed from the old one. ${lock}`;
      this.ctx.report({ node: u.write, message, related: [{ node: u.read, message: `${key} read here; another thread may change it before the ${writeName}` }] });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Memory that is used as shared but copied.

  private checkCopiedMemory(): void {
    for (const c of findCopiedMemory(this.sf, this.ctx.checker, this.accesses.atomic.map((a) => a.call))) {
      const name = c.sent.getText(this.sf);
      const how = ts.isNewExpression(c.send) ? `as workerData of the Worker created at line ${lineOf(c.send)}` : `with postMessage at line ${lineOf(c.send)}`;
      const message =
        `Copied, not shared: \`${name}\` is sent ${how}, but it is allocated on a plain ArrayBuffer (line ${lineOf(c.allocation)}), which structured clone copies: ` +
        `the other thread gets its own copy, so Atomics.${atomicsName(c.atomics)} at line ${lineOf(c.atomics)} works on this thread's bytes only: neither side sees the other's updates or wake-ups. ` +
        `Allocate it on a SharedArrayBuffer (\`new ${c.allocation.getText(this.sf).startsWith('new ArrayBuffer') ? 'SharedArrayBuffer' : 'Int32Array(new SharedArrayBuffer(...))'}\`).`;
      this.ctx.report({
        node: c.sent,
        message,
        related: [
          { node: c.allocation, message: 'allocated on a plain ArrayBuffer here' },
          { node: c.atomics, message: 'used with Atomics here' },
        ],
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Atomics.wait used once on a word that is reset to the awaited value every round.

  private checkSingleWait(): void {
    const simple = (e: ts.Expression): boolean => {
      const x = skipOuter(e);
      return ts.isIdentifier(x) || ts.isNumericLiteral(x) || x.kind === ts.SyntaxKind.ThisKeyword || (ts.isPropertyAccessExpression(x) && simple(x.expression)) || (ts.isPrefixUnaryExpression(x) && ts.isNumericLiteral(x.operand));
    };
    for (const wait of this.accesses.atomic) {
      if ((wait.op === 'wait' || wait.op === 'waitAsync') && wait.call.arguments.length >= 3 && !this.resetTo(wait, wait.call.arguments[2])) this.checkWaitNeverRearmed(wait);
    }
    for (const wait of this.accesses.atomic) {
      if (wait.op === 'wait' && wait.fn && wait.call.arguments.length >= 3 && !this.resetTo(wait, wait.call.arguments[2])) this.checkCollectiveWait(wait, simple);
    }
    for (const wait of this.accesses.atomic) {
      if ((wait.op !== 'wait' && wait.op !== 'waitAsync') || !wait.fn || wait.call.arguments.length < 3) continue;
      const id = locationId(wait.location);
      const expectedArg = wait.call.arguments[2];
      const expected = skipOuter(expectedArg).getText(this.sf);
      const reset = this.resetTo(wait, expectedArg);
      if (!reset || !this.reusedAcrossRounds(wait, reset)) continue;
      // A loop around the wait that reads the word again re-checks the condition.
      let rechecked = false;
      for (let n: ts.Node | undefined = wait.call.parent; n && n !== wait.fn; n = n.parent) {
        if (!isLoop(n)) continue;
        // `while (...)`, `do ... while`, `for (;;)`: a retry loop, which goes round until its own
        // exit condition holds. A loop over jobs or a counter starts a new round each time.
        if (ts.isWhileStatement(n) || ts.isDoStatement(n) || (ts.isForStatement(n) && !n.incrementor)) {
          rechecked = true;
          break;
        }
        const loop = n;
        // Another view of the same buffer may be the word too: any such read counts as a re-check.
        const reads = (a: { location: Location }) => mayBeSameWord(a.location, wait.location);
        if (
          this.accesses.atomic.some((a) => a !== wait && a.op !== 'store' && a.op !== 'notify' && reads(a) && a.call.getStart() >= loop.getStart() && a.call.getEnd() <= loop.getEnd() && !(a.call.getStart() < reset.getEnd() && a.call.getEnd() > reset.getStart())) ||
          this.accesses.plain.some((p) => p.kind !== 'write' && reads(p) && p.element.getStart() >= loop.getStart() && p.element.getEnd() <= loop.getEnd())
        ) {
          rechecked = true;
          break;
        }
      }
      if (rechecked || this.retriesByRecursion(wait)) continue;
      // Evidence that another thread changes the word: a notify or a different value stored in this file, or a read of the outcome after the wait.
      const changedElsewhere = this.accesses.atomic.some(
        (a) => locationId(a.location) === id && (a.op === 'notify' || ((a.op === 'store' || a.op === 'exchange' || a.op === 'compareExchange') && a.call !== reset && writtenValue(a) && skipOuter(writtenValue(a)!).getText(this.sf) !== expected)),
      );
      const readAfter =
        this.accesses.atomic.some((a) => a.op === 'load' && a.fn === wait.fn && locationId(a.location) === id && a.call.getStart() >= wait.call.getEnd()) ||
        this.accesses.plain.some((p) => p.kind === 'read' && p.fn === wait.fn && locationId(p.location) === id && p.element.getStart() >= wait.call.getEnd());
      // Or the word is handed to another thread here (a Worker's workerData, a message): the other side changes it.
      if (!changedElsewhere && !readAfter && !this.raceWitness(wait.view, wait.location.viewKey, wait.index, wait.call)) continue;
      const element = `${wait.view.getText(this.sf)}[${wait.index.getText(this.sf)}]`;
      const message =
        `Atomics.${wait.op} without a re-check: the wait on ${element} returns once and the code goes on as if ${element} had left ${expected}, but ${element} is reset to ${expected} (line ${lineOf(reset)}) for every round, ` +
        `so ${wait.call.arguments.length > 3 ? 'the timeout, or ' : ''}a notify left over from an earlier round (or meant for another waiter on the same word) can wake this one before the new value is written. ` +
        `Wait in a loop that re-reads the word: \`while (Atomics.load(${wait.view.getText(this.sf)}, ${wait.index.getText(this.sf)}) === ${expected}) ${wait.op === 'wait' ? 'Atomics.wait(...)' : 'await Atomics.waitAsync(...).value'}\`.`;
      const suggestions: Fix[] = [];
      const statement = wait.call.parent;
      if (wait.op === 'wait' && ts.isExpressionStatement(statement) && wait.call.arguments.length === 3 && wait.call.arguments.every(simple)) {
        const [v, i, x] = wait.call.arguments.map((a) => a.getText(this.sf));
        suggestions.push({
          description: `Wait until ${element} is no longer ${expected}`,
          edits: [{ start: statement.getStart(this.sf), end: statement.getEnd(), text: `while (Atomics.load(${v}, ${i}) === ${x}) ${wait.call.getText(this.sf)};` }],
        });
      }
      this.ctx.report({ node: wait.call, message, related: [{ node: reset, message: `${element} reset to ${expected} here` }], suggestions });
    }
  }

  /**
   * A single wait in a collective: a function that every thread runs (a barrier, a phase
   * counter) reads the word (`const gen = Atomics.load(v, GEN)`), and then either advances and
   * notifies it (the thread that arrives last) or waits once for it to move past the value read.
   * The function runs round after round, so a notify of an earlier round (or a wake-up meant for
   * another waiter) can return the wait while the word still holds the value read: the thread
   * leaves the barrier early. Needs: the awaited value read from the same word in the same
   * function, a notify of that word and a write of it in the same function, the result of the wait
   * ignored, no loop around it, and the function run more than once (two call sites, or one in a loop).
   */
  private checkCollectiveWait(wait: AtomicAccess, simple: (e: ts.Expression) => boolean): void {
    const fn = wait.fn!;
    const id = locationId(wait.location);
    if (!ts.isExpressionStatement(wait.call.parent)) return;
    for (let n: ts.Node | undefined = wait.call.parent; n && n !== fn; n = n.parent) if (isLoop(n)) return;
    const expectedArg = skipOuter(wait.call.arguments[2]);
    const init = constInitializer(expectedArg, this.ctx.checker);
    const read = init && ts.isCallExpression(skipOuter(init)) ? this.accesses.atomic.find((a) => a.call === skipOuter(init) && a.op === 'load' && locationId(a.location) === id && a.fn === fn) : undefined;
    if (!read || read.call.getStart() > wait.call.getStart()) return;
    const inFn = this.accesses.atomic.filter((a) => a.fn === fn && locationId(a.location) === id);
    const notify = inFn.find((a) => a.op === 'notify');
    const advance = inFn.find((a) => WRITING_OPS.has(a.op));
    if (!notify || !advance) return;
    const sites = this.model.callSitesOf(fn);
    if (!(sites.length >= 2 || sites.some((site) => ts.findAncestor(site, (x) => (x === fn ? 'quit' : isLoop(x)))))) return;
    const element = `${wait.view.getText(this.sf)}[${wait.index.getText(this.sf)}]`;
    const expected = expectedArg.getText(this.sf);
    const message =
      `Atomics.wait without a re-check: the wait on ${element} returns once and the code goes on as if ${element} had moved past \`${expected}\` (read at line ${lineOf(read.call)}), ` +
      `but this same function also changes ${element} (line ${lineOf(advance.call)}) and notifies it (line ${lineOf(notify.call)}) in whichever thread arrives last, round after round: ` +
      `${wait.call.arguments.length > 3 ? 'the timeout, or ' : ''}a notify of an earlier round (or one meant for another waiter on the same word) can wake this thread while ${element} still holds \`${expected}\`, and it leaves before the others have arrived. ` +
      `Wait in a loop that re-reads the word: \`while (Atomics.load(${wait.view.getText(this.sf)}, ${wait.index.getText(this.sf)}) === ${expected}) Atomics.wait(...)\`.`;
    const suggestions: Fix[] = [];
    if (wait.call.arguments.length === 3 && wait.call.arguments.every(simple)) {
      const [v, i, x] = wait.call.arguments.map((a) => a.getText(this.sf));
      const statement = wait.call.parent;
      suggestions.push({
        description: `Wait until ${element} is no longer ${expected}`,
        edits: [{ start: statement.getStart(this.sf), end: statement.getEnd(), text: `while (Atomics.load(${v}, ${i}) === ${x}) ${wait.call.getText(this.sf)};` }],
      });
    }
    this.ctx.report({
      node: wait.call,
      message,
      related: [
        { node: read.call, message: `${element} read here` },
        { node: notify.call, message: `${element} notified here, by the same function in another thread` },
      ],
      suggestions,
    });
  }

  /**
   * A wait that runs once per round (in a loop over jobs, or in a 'message' handler) on a word
   * that the other side sets to a new value and nothing in the file ever puts back to the awaited
   * one: from the second round on the word no longer holds the awaited value, the wait returns
   * 'not-equal' at once and this thread runs ahead of the other. Only with a constant awaited
   * value, a constant other value stored to the same index, and no add/sub on it (a counter or
   * generation word is waited on with the value last seen).
   */
  private checkWaitNeverRearmed(wait: AtomicAccess): void {
    const expectedArg = wait.call.arguments[2];
    if (!isConstantNumber(expectedArg, this.ctx.checker)) return;
    const expected = indexKeyOf(expectedArg, this.ctx.checker);
    const index = wait.location.indexKey;
    if (!index.startsWith('#')) return;
    const round = this.roundOf(wait);
    if (!round) return;
    if (this.inRetryLoop(wait) || this.retriesByRecursion(wait)) return;
    // Every write to that index in the file, through any view (the two sides name the view differently).
    // A view over the same buffer at another offset or element type may reach the word at another index.
    const atIndex = (l: Location) => l.indexKey === index || mayBeSameWord(l, wait.location);
    const writesAtIndex = this.accesses.atomic.filter((a) => atIndex(a.location) && WRITING_OPS.has(a.op));
    const plainWrites = this.accesses.plain.filter((p) => atIndex(p.location) && p.kind !== 'read');
    if (plainWrites.some((p) => p.kind === 'rmw' || !p.value || !isConstantNumber(p.value, this.ctx.checker) || indexKeyOf(p.value, this.ctx.checker) === expected)) return;
    if (writesAtIndex.some((a) => a.op !== 'store' || !writtenValue(a) || !isConstantNumber(writtenValue(a)!, this.ctx.checker) || indexKeyOf(writtenValue(a)!, this.ctx.checker) === expected)) return;
    const release = writesAtIndex.find((a) => a.fn !== wait.fn && (a.location.indexKey === index || locationId(a.location) === locationId(wait.location)));
    if (!release) return;
    const race = this.raceWitness(wait.view, wait.location.viewKey, wait.index, wait.call);
    if (!race) return;
    const element = `${wait.view.getText(this.sf)}[${wait.index.getText(this.sf)}]`;
    const value = skipOuter(expectedArg).getText(this.sf);
    const where = ts.isFunctionLike(round) ? `on every message (the handler at line ${lineOf(round)})` : `on every run of the loop at line ${lineOf(round)}`;
    const message =
      `Atomics.${wait.op} on a word nothing re-arms: the wait on ${element} runs ${where}, but once \`${release.call.getText(this.sf)}\` (line ${lineOf(release.call)}) has moved ${element} off ${value}, ` +
      `nothing in this file puts it back to ${value}: from the second round on the wait returns 'not-equal' at once and this thread runs ahead of the other. ` +
      `Take the signal and re-arm the word in one step when it is consumed (\`Atomics.exchange(${wait.view.getText(this.sf)}, ${wait.index.getText(this.sf)}, ${value})\`), and wait in a loop until it changes.`;
    this.ctx.report({ node: wait.call, message, related: this.related(race.point, [{ node: release.call, message: `${element} moved off ${value} here, never put back` }]) });
  }

  /** The loop over rounds or the message handler that runs a wait again and again, if any. */
  private roundOf(wait: AtomicAccess): ts.Node | undefined {
    for (let n: ts.Node | undefined = wait.call.parent; n && n !== wait.fn; n = n.parent) if (isLoop(n)) return n;
    const fn = wait.fn;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
    const parent = fn.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)) {
      const event = parent.arguments[0];
      const name = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : '';
      if (/^(on|addListener|addEventListener)$/.test(name) && event && ts.isStringLiteralLike(event) && event.text === 'message') return fn;
    }
    if (ts.isBinaryExpression(parent) && parent.right === fn && /onmessage$/.test(parent.left.getText(this.sf))) return fn;
    return undefined;
  }

  /** Whether a retry loop (`while`, `do`, `for (;;)`) holds the wait, or any loop that reads the word again. */
  private inRetryLoop(wait: AtomicAccess): boolean {
    for (let n: ts.Node | undefined = wait.call.parent; n && n !== wait.fn; n = n.parent) {
      if (ts.isWhileStatement(n) || ts.isDoStatement(n) || (ts.isForStatement(n) && !n.incrementor)) return true;
    }
    return false;
  }

  /** Whether the waiting function calls itself after the wait (a retry written as recursion). */
  private retriesByRecursion(wait: AtomicAccess): boolean {
    const fn = wait.fn;
    if (!fn) return false;
    const nameNode = ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn) ? fn.name : (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
    if (!nameNode || !ts.isIdentifier(nameNode)) return false;
    const self = this.ctx.checker.getSymbolAtLocation(nameNode);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && n.getStart() > wait.call.getEnd()) {
        const callee = skipOuter(n.expression);
        const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
        if (ts.isIdentifier(name) && name.text === nameNode.text && this.ctx.checker.getSymbolAtLocation(name) === self) found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return found;
  }

  /**
   * A write that puts the awaited value back into the word, so that every round waits on the same
   * value: `Atomics.store(v, i, expected)`, an exchange, a compare-exchange whose replacement is
   * `expected`, or a plain write of it. In the waiting function (before or after the wait: after
   * it, it resets the word for the next call), or anywhere in the file when the awaited value is
   * a constant (the other side of the protocol resetting the word).
   */
  private resetTo(wait: AtomicAccess, expectedArg: ts.Expression): ts.Node | undefined {
    const id = locationId(wait.location);
    const expectedText = skipOuter(expectedArg).getText(this.sf);
    const constant = isConstantNumber(expectedArg, this.ctx.checker) ? indexKeyOf(expectedArg, this.ctx.checker) : undefined;
    const sameValue = (value: ts.Expression | undefined, fn: ts.Node | undefined): boolean => {
      if (!value) return false;
      if (fn === wait.fn && skipOuter(value).getText(this.sf) === expectedText) return true;
      return constant !== undefined && isConstantNumber(value, this.ctx.checker) && indexKeyOf(value, this.ctx.checker) === constant;
    };
    const inWait = (n: ts.Node) => n.getStart() >= wait.call.getStart() && n.getEnd() <= wait.call.getEnd();
    const candidates: ts.Node[] = [];
    for (const a of this.accesses.atomicAt.get(id) ?? []) {
      const value = a.op === 'store' || a.op === 'exchange' ? a.call.arguments[2] : a.op === 'compareExchange' ? a.call.arguments[3] : undefined;
      if (sameValue(value, a.fn) && !inWait(a.call)) candidates.push(a.call);
    }
    for (const p of this.accesses.plain) {
      if (p.kind === 'write' && locationId(p.location) === id && sameValue(p.value, p.fn) && p.writer) candidates.push(p.writer);
    }
    // Prefer the reset in the waiting function, the one before the wait first.
    const rank = (n: ts.Node) => (enclosingFunction(n) === wait.fn ? (n.getEnd() <= wait.call.getStart() ? 0 : 1) : 2);
    return candidates.sort((a, b) => rank(a) - rank(b))[0];
  }

  /**
   * Whether the word a reset-then-wait uses lives on from one round to the next: a field of a
   * long-lived object, a module variable, a parameter of a named function (its callers keep
   * passing their word), or any word declared outside a loop that holds both the reset and the
   * wait. A view made or received fresh for one run of an anonymous callback (a test body, a
   * pool task) starts no second round on the same word.
   */
  private reusedAcrossRounds(wait: AtomicAccess, reset: ts.Node): boolean {
    let root: ts.Expression = skipOuter(wait.view);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isNonNullExpression(root)) root = skipOuter(root.expression);
    if (root.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (!ts.isIdentifier(root)) return false;
    const decl = this.ctx.checker.getSymbolAtLocation(root)?.valueDeclaration;
    if (!decl || decl.getSourceFile() !== this.sf) return false;
    // Rounds inside one run: a loop around reset and wait, with the word declared outside it.
    for (let n: ts.Node | undefined = wait.call.parent; n && n !== wait.fn; n = n.parent) {
      if (isLoop(n) && reset.getStart() >= n.getStart() && reset.getEnd() <= n.getEnd() && !(decl.getStart() >= n.getStart() && decl.getEnd() <= n.getEnd())) return true;
    }
    if (ts.isParameter(decl)) {
      const fn = decl.parent;
      if (fn !== wait.fn) return false;
      if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return !!fn.name;
      return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isVariableDeclaration(fn.parent) || ts.isPropertyDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent));
    }
    // A variable outlives the function only when it is declared outside it.
    return !(wait.fn && decl.getStart() >= wait.fn.getStart() && decl.getEnd() <= wait.fn.getEnd());
  }

  // ------------------------------------------------------------------------------------------
  // Atomics.notify with no change of the word it announces.

  /**
   * `Atomics.notify(v, i)` in code that never writes v[i]: the waiter decides whether to sleep by
   * comparing v[i] with the value it expects, so a wake-up that changes nothing is lost when it
   * comes before the waiter sleeps (it sleeps on the unchanged word), and a waiter it does wake
   * cannot tell it from a stale one. Left alone: wake-up helpers (the function only notifies, or
   * its callers write the word first), and code that writes the word
   * anywhere in the same function (a write after the notify is reported as a wake-up before the
   * write).
   */
  private checkNotifyWithoutChange(): void {
    for (const notify of this.accesses.atomic) {
      if (notify.op !== 'notify' || !notify.fn) continue;
      const writes = (fn: ts.Node | undefined) =>
        this.accesses.atomic.some((a) => isOwnCode(a.fn, fn) && WRITING_OPS.has(a.op) && mayBeSameWord(a.location, notify.location)) ||
        this.accesses.plain.some((p) => isOwnCode(p.fn, fn) && p.kind !== 'read' && mayBeSameWord(p.location, notify.location));
      if (this.bulkWrites(notify)) continue;
      if (writes(notify.fn)) {
        this.checkNotifyOnSomePaths(notify);
        continue;
      }
      if (this.isWakeHelper(notify, writes)) continue;
      const waiter = this.waiterFor(notify);
      if (!waiter) continue;
      const race = this.raceWitness(notify.view, notify.location.viewKey, notify.index, notify.call);
      if (!race) continue;
      const element = `${notify.view.getText(this.sf)}[${notify.index.getText(this.sf)}]`;
      const expected = waiter.call.arguments[2] ? skipOuter(waiter.call.arguments[2]).getText(this.sf) : 'its expected value';
      const message =
        `Wake-up without a change: Atomics.notify wakes the threads waiting on ${element}, but this code never writes ${element} ` +
        `(no Atomics.store, add, exchange or compareExchange of it before the notify); the waiter (Atomics.${waiter.op} at line ${lineOf(waiter.call)}) sleeps only while the word still holds ${expected}, ` +
        `so a notify that comes before it starts waiting is lost and it sleeps on, and a waiter that is woken cannot tell this notify from a stale one. ` +
        `Write the new state first (Atomics.store(${notify.view.getText(this.sf)}, ${notify.index.getText(this.sf)}, ...)), then notify, and have the waiter loop until the word changes.`;
      this.ctx.report({ node: notify.call, message, related: this.related(race.point, [{ node: waiter.call, message: `waits on ${element} here` }]) });
    }
  }

  /**
   * `if (result) { v[i] = n; } Atomics.notify(v, i)`: the word changes only on one path, and on the
   * other the notify announces nothing. A waiter that has not started waiting yet sleeps on the
   * unchanged word (the notify is lost). Quiet when every path writes (both branches, or the
   * other branch leaves the function), or a write follows the notify (a wake-up before the write).
   */
  private checkNotifyOnSomePaths(notify: AtomicAccess): void {
    const fn = notify.fn!;
    const sameWord = (loc: Location) => mayBeSameWord(loc, notify.location);
    const writesOf: ts.Node[] = [
      ...this.accesses.atomic.filter((a) => isOwnCode(a.fn, fn) && WRITING_OPS.has(a.op) && sameWord(a.location)).map((a) => a.call),
      ...this.accesses.plain.filter((p) => isOwnCode(p.fn, fn) && p.kind !== 'read' && sameWord(p.location)).map((p) => p.writer ?? p.element),
    ];
    if (writesOf.some((w) => w.getStart() >= notify.call.getEnd())) return;
    const before = writesOf.filter((w) => w.getEnd() <= notify.call.getStart());
    if (before.length === 0) return;
    // The `if` that decides each write, when the notify is outside it.
    const guards = new Set<ts.IfStatement>();
    for (const w of before) {
      const guard = this.guardOf(w, notify.call, fn);
      if (!guard) return;
      guards.add(guard);
    }
    for (const guard of guards) {
      const branches = [guard.thenStatement, guard.elseStatement];
      const covered = branches.every((b) => !!b && (before.some((w) => w.getStart() >= b.getStart() && w.getEnd() <= b.getEnd()) || leaves(b)));
      if (covered) return;
    }
    const waiter = this.waiterFor(notify);
    if (!waiter || (waiter.op === 'wait' && waiter.call.arguments.length > 3)) return;
    const race = this.raceWitness(notify.view, notify.location.viewKey, notify.index, notify.call);
    if (!race) return;
    const guard = [...guards][0];
    const element = `${notify.view.getText(this.sf)}[${notify.index.getText(this.sf)}]`;
    const condition = guard.expression.getText(this.sf);
    const message =
      `Wake-up without a change on some paths: Atomics.notify wakes the threads waiting on ${element}, but ${element} is written only when \`${condition.length > 60 ? `${condition.slice(0, 57)}...` : condition}\` holds (line ${lineOf(guard)}; the write at line ${lineOf(before[0])}). ` +
      `On the other path this notify changes nothing: the waiter (Atomics.${waiter.op} at line ${lineOf(waiter.call)}) sleeps only while the word still holds the value it expects, so a notify that comes before it starts waiting is lost and it sleeps on. ` +
      `Write a value on every path (a marker for "nothing" too) with Atomics.store before notifying, and have the waiter loop until the word changes.`;
    this.ctx.report({
      node: notify.call,
      message,
      related: this.related(race.point, [
        { node: before[0], message: `${element} written here, only on one path` },
        { node: waiter.call, message: `waits on ${element} here` },
      ]),
    });
  }

  /** The wait a notify is meant for: one on the same location, else one at the same index in another function (the other side names the view differently). */
  private waiterFor(notify: AtomicAccess): AtomicAccess | undefined {
    const id = locationId(notify.location);
    return (
      this.accesses.atomic.find((a) => (a.op === 'wait' || a.op === 'waitAsync') && locationId(a.location) === id) ??
      this.accesses.atomic.find((a) => (a.op === 'wait' || a.op === 'waitAsync') && a.location.indexKey === notify.location.indexKey && a.fn !== notify.fn)
    );
  }

  /** The `if` statement that decides whether `write` runs, when `notify` is after it and outside it; undefined when the write runs on every path to the notify. */
  private guardOf(write: ts.Node, notify: ts.Node, fn: ts.Node): ts.IfStatement | undefined {
    let guard: ts.IfStatement | undefined;
    for (let n: ts.Node | undefined = write.parent; n && n !== fn; n = n.parent) {
      if (notify.getStart() >= n.getStart() && notify.getEnd() <= n.getEnd()) break;
      if (ts.isIfStatement(n) && n.expression !== write && !(write.getStart() >= n.expression.getStart() && write.getEnd() <= n.expression.getEnd())) guard = n;
      // Loops, switches, short-circuits and callbacks: paths this check does not follow.
      else if (isLoop(n) || ts.isSwitchStatement(n) || ts.isConditionalExpression(n) || ts.isBinaryExpression(n) || ts.isTryStatement(n) || ts.isFunctionLike(n)) return undefined;
    }
    return guard;
  }

  /** Whether the notifying function writes the view in bulk (`view.set(...)`, `view.fill(...)`), which may cover the word. */
  private bulkWrites(notify: AtomicAccess): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found || (n !== notify.fn && ts.isFunctionLike(n))) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(set|fill|copyWithin)$/.test(n.expression.name.text) && this.model.locationKeyOf(n.expression.expression) === notify.location.viewKey) found = true;
      ts.forEachChild(n, visit);
    };
    visit(notify.fn!);
    return found;
  }

  /** Whether a notify only wakes on behalf of other code: the function does nothing else, or it calls or is called by code that writes the word. */
  private isWakeHelper(notify: AtomicAccess, writes: (fn: ts.Node | undefined) => boolean): boolean {
    const fn = notify.fn!;
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (body && ts.isBlock(body) && body.statements.every((st) => ts.isExpressionStatement(st) && ts.isCallExpression(skipOuter(st.expression)) && !!atomicsOp(skipOuter(st.expression) as ts.CallExpression))) return true;
    if (body && !ts.isBlock(body)) return true;
    // Callers that write the word and then call this function to wake the waiters.
    if (this.model.callSitesOf(fn).some((site) => writes(enclosingFunction(site)))) return true;
    // Same-file functions called here that write the word (`this.setState(DONE); Atomics.notify(...)`).
    let callsWriter = false;
    const visit = (n: ts.Node): void => {
      if (callsWriter || (n !== fn && ts.isFunctionLike(n))) return;
      if (ts.isCallExpression(n) && !atomicsOp(n)) {
        const callee = skipOuter(n.expression);
        const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
        const target = nameNode && this.ctx.checker.getSymbolAtLocation(nameNode)?.valueDeclaration;
        const targetFn = target && (ts.isVariableDeclaration(target) || ts.isPropertyDeclaration(target)) ? target.initializer : target;
        if (targetFn && targetFn.getSourceFile() === this.sf && ts.isFunctionLike(targetFn) && writes(targetFn)) callsWriter = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return callsWriter;
  }

  // ------------------------------------------------------------------------------------------
  // Atomics.notify before the store it announces.

  private checkNotifyBeforeStore(): void {
    for (const notify of this.accesses.atomic) {
      if (notify.op !== 'notify') continue;
      const id = locationId(notify.location);
      const store = this.accesses.atomic.find(
        (a) => (a.op === 'store' || a.op === 'add' || a.op === 'sub' || a.op === 'exchange' || a.op === 'or' || a.op === 'and' || a.op === 'xor') && a.fn === notify.fn && locationId(a.location) === id && a.call.getStart() > notify.call.getEnd() && sameStatementList(notify.call, a.call),
      );
      if (!store) continue;
      const hasStoreBefore = this.accesses.atomic.some((a) => a !== store && a.op !== 'notify' && a.op !== 'load' && a.op !== 'wait' && a.fn === notify.fn && mayBeSameWord(a.location, notify.location) && a.call.getEnd() <= notify.call.getStart());
      const plainBefore = this.accesses.plain.some((p) => p.kind !== 'read' && p.fn === notify.fn && mayBeSameWord(p.location, notify.location) && p.element.getEnd() <= notify.call.getStart());
      if (hasStoreBefore || plainBefore) continue;
      const race = this.raceWitness(notify.view, notify.location.viewKey, notify.index, notify.call);
      if (!race) continue;
      const element = `${notify.view.getText(this.sf)}[${notify.index.getText(this.sf)}]`;
      const message =
        `Wake-up before the write: Atomics.notify wakes the threads waiting on ${element} before Atomics.${store.op} (line ${lineOf(store.call)}) changes it; ` +
        `a woken thread re-checks ${element}, still sees the old value and waits again, possibly forever. Write first, then notify.`;
      this.ctx.report({ node: notify.call, message, related: this.related(race.point, [{ node: store.call, message: `${element} written here, after the wake-up` }]) });
    }
  }

  // ------------------------------------------------------------------------------------------

  private viewOf(view: ts.Expression, viewKey: string): SharedView {
    let v = this.views.get(view);
    if (!v) {
      let values = this.model.sharedViewsOf(view, this.accesses.atomicViews.has(viewKey));
      const firstAtomic = this.accesses.atomic.find((a) => a.location.viewKey === viewKey);
      if (values.length === 0 && firstAtomic) values = this.model.atomicsEvidenceView(view, firstAtomic.call);
      v = { values, elementType: values.length > 0 ? this.model.elementTypeOf(view, values) : undefined };
      this.views.set(view, v);
    }
    return v;
  }

  /** The other thread an access can race with, or undefined when it cannot. */
  private raceWitness(view: ts.Expression, viewKey: string, index: ts.Expression, node: ts.Node): { point: SharingPoint; shared: SharedView } | undefined {
    const shared = this.viewOf(view, viewKey);
    if (shared.values.length === 0) return undefined;
    const point = otherThreadAt(shared.values, node, (fn) => this.model.callSitesOf(fn));
    if (!point) return undefined;
    if (this.ownership.isOwnedIndex(index)) return undefined;
    // A compare-exchange on this very element is an update of it, not a lock around it.
    const indexKey = indexKeyOf(index, this.ctx.checker);
    const sameElement = (call: ts.CallExpression) =>
      call.arguments.length >= 2 && this.model.locationKeyOf(call.arguments[0]) === viewKey && indexKeyOf(call.arguments[1], this.ctx.checker) === indexKey;
    if (isLockProtected(node, sameElement)) return undefined;
    return { point, shared };
  }

  private target(view: ts.Expression, viewKey: string, shared: SharedView): AtomicsTarget {
    return atomicsTarget(view, shared.elementType, this.accesses.atomicViews.has(viewKey), this.ctx.checker);
  }

  private related(point: SharingPoint, extra: ReportDescriptor['related'] = []): ReportDescriptor['related'] {
    const where = point.kind === 'worker' ? 'shared with a worker here' : point.kind === 'post' ? 'posted to another thread here' : point.kind === 'escape' ? 'leaves this module here' : point.kind === 'declared' ? 'declared shared here' : 'received from another thread here';
    return [{ node: point.node, message: where }, ...(extra ?? [])];
  }

  private describeView(view: ts.Expression, point: SharingPoint): string {
    return `\`${view.getText(this.sf)}\` is ${point.description}`;
  }

  // ------------------------------------------------------------------------------------------
  // Split updates: load → (compare) → store on one element.

  private checkSplitUpdates(): void {
    const finder = new SplitUpdateFinder(this.accesses, this.ctx.checker);
    for (const write of finder.writes()) {
      const split = finder.find(write);
      if (!split) continue;
      const { view, index } = write.access;
      const race = this.raceWitness(view, write.access.location.viewKey, index, write.node);
      if (!race) continue;
      if (split.via === 'wait-loop' && !LOCK_NAME.test(`${view.getText(this.sf)} ${index.getText(this.sf)} ${namesAround(write.node)}`)) {
        // `while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0); Atomics.store(flag, 0, 0)`:
        // a consumer resetting a hand-off flag. Correct with one consumer; only a lock is assumed to have several.
        continue;
      }
      const writer = this.concurrentWriter(split, race.shared);
      if (!writer) continue;
      // A flip has no other writer than the same code on another thread, which its design rules out;
      // a turn's other writer is its partner, which writes only in the other turn.
      if ((writer === 'self' && this.flipsOwnValue(split)) || this.takesTurns(split, finder)) continue;
      this.reportSplit(split, race.point, race.shared, writer);
    }
  }

  /**
   * A flip of the value read (`const back = 1 - front; … Atomics.store(ctrl, FRONT, back)`,
   * `turn ^ 1`): double buffering's front index, a parity bit. It has one writer by design: two
   * threads flipping it would undo each other however atomic each flip is, so the same code is
   * not assumed to run on another thread. (A counter, `n + 1`, is: every worker may bump it.)
   */
  private flipsOwnValue(split: SplitUpdate): boolean {
    if (split.via !== 'value' || !split.write.value) return false;
    const value = this.throughConst(skipOuter(split.write.value));
    if (!ts.isBinaryExpression(value)) return false;
    const [left, right] = [isConstantNumber(value.left, this.ctx.checker), isConstantNumber(value.right, this.ctx.checker)];
    if (value.operatorToken.kind === ts.SyntaxKind.MinusToken) return left && !right;
    return value.operatorToken.kind === ts.SyntaxKind.CaretToken && left !== right;
  }

  /**
   * Turn-taking on one word polled without a wait: this function acts only while the word holds
   * X and then stores Y, and another function acts only while it holds Y and stores X (a mailbox
   * the main thread fills when `TURN === MAIN` and the worker empties when `TURN === WORKER`).
   * Each value hands the word to one party and only that party moves it on, as in the wait-loop
   * hand-off above; only a lock (or a busy/owner word) is assumed to have several contenders.
   * Every write of the word elsewhere must be such a mirror: a third writer still races. And the
   * two parties must be two threads: when both only have memory they received (worker code, of
   * which several copies may run), each turn may be taken by several workers at once.
   */
  private takesTurns(split: SplitUpdate, finder: SplitUpdateFinder): boolean {
    const turn = this.turnOf(split);
    if (!turn) return false;
    const { view, index } = split.write.access;
    if (LOCK_NAME.test(`${view.getText(this.sf)} ${index.getText(this.sf)} ${split.write.value?.getText(this.sf)} ${namesAround(split.write.node)}`)) return false;
    const id = locationId(split.write.access.location);
    const elsewhere = (fn: ts.Node | undefined, location: Location) => fn !== split.write.access.fn && locationId(location) === id;
    if (this.accesses.atomic.some((a) => (a.op === 'exchange' || a.op === 'compareExchange') && elsewhere(a.fn, a.location))) return false;
    const others = finder.writes().filter((w) => elsewhere(w.access.fn, w.access.location));
    const workerOnly = (w: { view: ts.Expression; location: Location }) => this.viewOf(w.view, w.location.viewKey).values.every((v) => v.root.kind === 'received');
    return (
      others.length > 0 &&
      others.every((w) => {
        const other = finder.find(w);
        const mirror = other && this.turnOf(other);
        return !!mirror && mirror.from === turn.to && mirror.to === turn.from && !(workerOnly(split.write.access) && workerOnly(w.access));
      })
    );
  }

  /** For a constant stored under a test of the word against another constant: the value the test requires and the value stored. */
  private turnOf(split: SplitUpdate): { from: number; to: number } | undefined {
    if (split.via !== 'condition' || !split.condition || !split.write.value) return undefined;
    const to = constantNumber(split.write.value, this.ctx.checker);
    const c = skipOuter(split.condition);
    if (to === undefined || !ts.isBinaryExpression(c)) return undefined;
    const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken];
    if (!equality.includes(c.operatorToken.kind)) return undefined;
    const from = constantNumber(c.right, this.ctx.checker) ?? constantNumber(c.left, this.ctx.checker);
    return from !== undefined && from !== to ? { from, to } : undefined;
  }

  /**
   * Whether another thread can write the element between the read and the write. A split
   * update races only with another writer:
   * - code of another role: a function of this file that writes the element and a different set
   *   of elements (a producer that also moves the consumer's READ, against the consumer that
   *   moves READ). Functions that write the same set play one role, on one thread: a ring
   *   buffer's `push` and `pushCallback` both advance WRITE, and only the producer calls them;
   * - or the same code on several threads: worker code (memory it received) and views any thread
   *   may hold (declared shared, or only known from Atomics use), when the update is a counter or
   *   a state change and the function does not read a partner's position (a ring protocol).
   * A guarded Atomics.add/sub conflicts only with updates in its own direction, and a reset only
   * with increments.
   */
  private concurrentWriter(split: SplitUpdate, shared: SharedView): ts.Node | 'self' | undefined {
    const { write } = split;
    const id = locationId(write.access.location);
    const direction = (op: string): string => (op === 'add' || op === '+' ? 'up' : op === 'sub' || op === '-' ? 'down' : 'any');
    const bounded = write.kind === 'atomic' && write.access.op !== 'store';
    const mine = bounded ? direction(write.access.op) : 'any';
    const conflicts = (dir: string) => (split.via === 'reset' ? dir !== 'any' : !bounded || dir === 'any' || dir === mine);
    const myRole = this.writeSet(write.access.fn);
    const otherRole = (fn: ts.Node | undefined) => split.via === 'reset' || bounded || !sameSet(this.writeSet(fn), myRole);
    for (const a of this.accesses.atomicAt.get(id) ?? []) {
      if (a.fn === write.access.fn || !WRITING_OPS.has(a.op)) continue;
      if (conflicts(direction(a.op)) && otherRole(a.fn)) return a.call;
    }
    for (const p of this.accesses.plain) {
      if (p.kind === 'read' || p.fn === write.access.fn || locationId(p.location) !== id) continue;
      if (conflicts(direction(plainOperator(p))) && otherRole(p.fn)) return p.writer ?? p.element;
    }
    if (split.via === 'reset' || this.readsPartnerPosition(split) || this.isElected(write.node, id)) return undefined;
    // Every AudioWorkletProcessor of a context runs on the one audio rendering thread: the same
    // processor code never runs on two threads at once, so only another role's writer can race.
    if (runsOnAudioRenderThread(write.node)) return undefined;
    const anyThread = shared.values.some((v) => v.root.kind === 'received' || v.root.kind === 'declared');
    if (!anyThread) return undefined;
    const lockLike = LOCK_NAME.test(`${write.access.view.getText(this.sf)} ${write.access.index.getText(this.sf)} ${namesAround(write.node)}`);
    return bounded || lockLike || this.isCounterOrStateChange(split) ? 'self' : undefined;
  }

  /**
   * Whether the write runs only in the one thread that an atomic read-modify-write of another
   * word elected: `if (Atomics.sub(count, 0, 1) === 1) { ... }` (the last thread to arrive at a
   * barrier), `if (Atomics.exchange(done, 0, 1) === 0)`. Each value of that word is handed to one
   * thread, so other threads running this code do not reach the write in the same round.
   */
  private isElected(node: ts.Node, id: string): boolean {
    for (let n: ts.Node | undefined = node.parent; n && !ts.isFunctionLike(n); n = n.parent) {
      if (!ts.isIfStatement(n) || !(n.thenStatement.getStart() <= node.getStart() && node.getEnd() <= n.thenStatement.getEnd())) continue;
      const condition = n.expression;
      if (this.accesses.atomic.some((a) => ELECTING_OPS.has(a.op) && locationId(a.location) !== id && condition.getStart() <= a.call.getStart() && a.call.getEnd() <= condition.getEnd())) return true;
    }
    return false;
  }

  /**
   * The control words a function writes (its role in a protocol): elements that something
   * accesses with Atomics. Plain writes of data slots (`data[(wr + i) % size]`) say nothing
   * about the role.
   */
  private writeSet(fn: ts.Node | undefined): Set<string> {
    let set = this.writeSets.get(fn);
    if (!set) {
      set = new Set<string>();
      for (const a of this.accesses.atomic) if (a.fn === fn && WRITING_OPS.has(a.op)) set.add(locationId(a.location));
      for (const p of this.accesses.plain) if (p.fn === fn && p.kind !== 'read' && this.accesses.atomicAt.has(locationId(p.location))) set.add(locationId(p.location));
      this.writeSets.set(fn, set);
    }
    return set;
  }

  private readonly writeSets = new Map<ts.Node | undefined, Set<string>>();

  /**
   * Whether the writing function also loads another shared element: a queue or ring protocol (the
   * consumer compares its TAIL with the producer's HEAD), where each position has one writer by
   * design, unlike a counter or a state flag that every worker updates.
   */
  private readsPartnerPosition(split: SplitUpdate): boolean {
    const id = locationId(split.write.access.location);
    return this.accesses.atomic.some((a) => a.op === 'load' && a.fn === split.write.access.fn && locationId(a.location) !== id);
  }

  /**
   * `store(x ± n)` from the value read (a counter), or a constant stored after a check (a state
   * change: IDLE → BUSY). Not a position computed from other values (`(read + n) % size`).
   */
  private isCounterOrStateChange(split: SplitUpdate): boolean {
    const value = split.write.value && this.throughConst(skipOuter(split.write.value));
    if (!value) return false;
    const constant = (e: ts.Expression) => isConstantNumber(e, this.ctx.checker);
    if (split.via !== 'value' && constant(value)) return true;
    // A claim: the word is checked, then this thread's own id is stored in it (`if (Atomics.load(owner, 0) === 0) Atomics.store(owner, 0, id)`).
    if (split.via !== 'value' && this.ownership.isThreadIdentity(value)) return true;
    if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.PlusToken || value.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
      const [left, right] = [skipOuter(value.left), skipOuter(value.right)];
      const fromRead = (e: ts.Expression) => e === skipOuter(split.read.node) || ts.isIdentifier(e);
      if ((fromRead(left) && constant(right)) || (fromRead(right) && constant(left))) return true;
    }
    return split.via === 'value' && this.isArithmeticOfRead(value, split.read.node);
  }

  /** A `const` local followed to its initializer (`const next = n * 3; Atomics.store(v, 0, next)`). */
  private throughConst(e: ts.Expression, depth = 0): ts.Expression {
    const init = depth > 3 ? undefined : constInitializer(e, this.ctx.checker);
    return init ? this.throughConst(skipOuter(init), depth + 1) : e;
  }

  /**
   * A new value computed from the one read with plain arithmetic (`(n * factor + bump) % 1000003`,
   * `n | FLAG`): any update that Atomics has no single call for. Not a position that wraps at a
   * capacity (`(read + n) % size`): one writer moves its own position in a ring protocol.
   */
  private isArithmeticOfRead(value: ts.Expression, read: ts.Expression): boolean {
    const target = skipOuter(read);
    let usesRead = false;
    const ok = (e: ts.Expression, depth: number): boolean => {
      const x = depth === 0 ? e : this.throughConst(skipOuter(e));
      if (depth > 8) return false;
      if (x === target) return (usesRead = true);
      if (isConstantNumber(x, this.ctx.checker)) return true;
      if (ts.isIdentifier(x)) {
        const decl = this.ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
        // The local the read was kept in.
        if (decl && ts.isVariableDeclaration(decl) && decl.initializer && skipOuter(decl.initializer) === target) return (usesRead = true);
        return true;
      }
      // Operands that are not shared memory: `job.factor`, `this.step`.
      if (ts.isPropertyAccessExpression(x)) return true;
      if (ts.isParenthesizedExpression(x)) return ok(x.expression, depth + 1);
      if (ts.isPrefixUnaryExpression(x) && [ts.SyntaxKind.MinusToken, ts.SyntaxKind.TildeToken, ts.SyntaxKind.PlusToken].includes(x.operator)) return ok(x.operand, depth + 1);
      if (ts.isBinaryExpression(x) && ARITHMETIC.has(x.operatorToken.kind)) {
        if (x.operatorToken.kind === ts.SyntaxKind.PercentToken && !isConstantNumber(skipOuter(x.right), this.ctx.checker)) return false;
        return ok(x.left, depth + 1) && ok(x.right, depth + 1);
      }
      return false;
    };
    return ok(value, 0) && usesRead;
  }

  private reportSplit(split: SplitUpdate, point: SharingPoint, shared: SharedView, writer: ts.Node | 'self'): void {
    const { read, write } = split;
    const view = write.access.view;
    const element = `${view.getText(this.sf)}[${write.access.index.getText(this.sf)}]`;
    const readText = read.kind === 'atomic' ? `Atomics.load(${read.access.view.getText(this.sf)}, ${read.access.index.getText(this.sf)})` : `the plain read of ${element}`;
    const writeText = write.kind === 'atomic' ? `Atomics.${write.access.op}(${element.replace('[', ', ').replace(/\]$/, '')}, ...)` : `the plain write to ${element}`;
    const readLine = lineOf(read.node);
    const how =
      split.via === 'value'
        ? `computes the value it stores from ${readText} at line ${readLine}`
        : split.via === 'reset'
          ? `overwrites the value ${readText} at line ${readLine} just took`
          : `runs only because of what ${readText} at line ${readLine} saw`;
    const bothAtomic = read.kind === 'atomic' && write.kind === 'atomic';
    const target = this.target(view, write.access.location.viewKey, shared);
    const suggestions: Fix[] = [];
    if (target.supported !== false) {
      const rewrite = split.via === 'reset' ? exchangeRewrite(read.node, read.access, write.node, write.value) : compareExchangeRewrite(read.node, read.access, write.node, write.value);
      if (rewrite) suggestions.push(rewrite);
    }
    const args = `${view.getText(this.sf)}, ${write.access.index.getText(this.sf)}`;
    const oneOp = suggestions[0]?.description.match(/^Use (Atomics\.(add|sub|or|and|xor|exchange)\(.*\))$/)?.[1];
    const remedy =
      target.supported === false
        ? ` Atomics do not work on ${target.elementType}: guard the element with a lock (an Int32Array flag taken with Atomics.compareExchange).`
        : oneOp
          ? ` Do it in one step: ${oneOp}.`
          : split.via === 'reset'
            ? ` Take the value and reset it in one step with Atomics.exchange(${args}, ${write.value?.getText(this.sf) ?? 'newValue'}).`
          : split.via === 'value'
            ? ` Make it one step: retry Atomics.compareExchange(${args}, seen, newValue) until it returns the value it was computed from.`
            : ` Make the check and the write one step with Atomics.compareExchange(${args}, expected, replacement), and act only if it returns the expected value.`;
    const checks = split.via === 'condition' || split.via === 'wait-loop';
    const prefix = !bothAtomic ? 'Split read-modify-write of shared memory: ' : checks ? 'Check-then-act across threads: ' : 'Lost update across threads: ';
    const other =
      writer === 'self'
        ? `another thread running this same code can change ${element} in between`
        : `another thread can change ${element} in between (it is also written at line ${lineOf(writer)}: \`${writer.getText(this.sf)}\`)`;
    const message =
      `${prefix}${writeText} ${how}; ${this.describeView(view, point)}, and ${other}, ` +
      (split.via === 'value' || split.via === 'reset' ? 'so one of the updates is lost.' : 'so both threads act on the same value.') +
      remedy;
    this.reported.add(write.node);
    this.reported.add(read.node);
    if (read.kind === 'plain') this.reported.add(read.access.element);
    if (write.kind === 'plain') this.reported.add(write.access.element);
    this.ctx.report({
      node: write.node,
      message,
      related: this.related(point, [
        { node: read.node, message: `${element} read here` },
        ...(writer === 'self' ? [] : [{ node: writer, message: `${element} also written here` }]),
      ]),
      suggestions,
    });
  }

  // ------------------------------------------------------------------------------------------
  // Plain accesses: read-modify-writes, and plain access mixed with Atomics.

  private checkPlainAccesses(): void {
    for (const access of this.accesses.plain) {
      if (this.reported.has(access.element) || (access.writer && this.reported.has(access.writer))) continue;
      if (access.kind === 'rmw' || (access.kind === 'write' && this.readsItself(access))) this.checkReadModifyWrite(access);
      else if (access.kind === 'write') this.checkMixedWrite(access);
      else this.checkRead(access);
    }
  }

  private sameElement(access: PlainAccess): (e: ts.Expression) => boolean {
    return (e) => {
      const x = skipOuter(e);
      if (!ts.isElementAccessExpression(x)) return false;
      const other = this.accesses.plain.find((p) => p.element === x);
      return !!other && locationId(other.location) === locationId(access.location);
    };
  }

  /** `v[i] = f(v[i])`: the value written reads the same element. */
  private readsItself(access: PlainAccess): boolean {
    if (!access.value) return false;
    const value = access.value;
    const id = locationId(access.location);
    return this.accesses.plain.some((p) => p.kind === 'read' && p.element !== access.element && locationId(p.location) === id && value.getStart() <= p.element.getStart() && p.element.getEnd() <= value.getEnd());
  }

  private checkReadModifyWrite(access: PlainAccess): void {
    const writer = access.writer!;
    const race = this.raceWitness(access.view, access.location.viewKey, access.index, writer);
    if (!race) return;
    const handedOver = this.handedOver(writer);
    const unguarded = handedOver ? this.unguardedWriter(access) : undefined;
    if (handedOver && !unguarded) return;
    const target = this.target(access.view, access.location.viewKey, race.shared);
    const rewrite = rmwRewrite(writer, access.element, target, this.sameElement(access), this.ctx.checker);
    const element = access.element.getText(this.sf);
    const viewText = access.view.getText(this.sf);
    let remedy: string;
    if (target.supported === false) {
      remedy = ` Atomics do not work on ${target.elementType ?? 'this view'}: guard the update with a lock (an Int32Array flag taken with Atomics.compareExchange), or give each thread its own slot and combine them after.`;
    } else if (rewrite.atomicOp) {
      remedy = ` Use Atomics.${rewrite.atomicOp}(${viewText}, ${access.index.getText(this.sf)}, ...), which does it in one step.`;
    } else {
      remedy = ` No single Atomics operation does this update: use an Atomics.compareExchange loop, or a lock.`;
    }
    const atomicElsewhere = this.atomicPeers(access, true)[0];
    const mixed = atomicElsewhere ? ` Other code updates ${element} with Atomics.${atomicElsewhere.op} (line ${lineOf(atomicElsewhere.call)}), which this plain update can overwrite.` : '';
    const waitedFirst = unguarded
      ? ` The Atomics.wait before it does not hand ${element} over: \`${unguarded.getText(this.sf)}\` (line ${lineOf(unguarded)}) updates it from code that never waits for this side.`
      : '';
    const message =
      `Plain read-modify-write of shared memory: \`${writer.getText(this.sf)}\` reads ${element} and writes it back in two steps; ` +
      `${this.describeView(access.view, race.point)}, and another thread can update ${element} between the read and the write, so one update is lost.${waitedFirst}${mixed}${remedy}`;
    this.reported.add(writer);
    const extra: NonNullable<ReportDescriptor['related']> = [];
    if (atomicElsewhere) extra.push({ node: atomicElsewhere.call, message: `${element} updated with Atomics here` });
    if (unguarded) extra.push({ node: unguarded, message: `${element} also updated here, without waiting for a hand-over` });
    this.ctx.report({
      node: writer,
      message,
      related: this.related(race.point, extra),
      fixes: rewrite.fix ? [rewrite.fix] : [],
      suggestions: rewrite.suggestion ? [rewrite.suggestion] : [],
    });
  }

  /**
   * Whether a write runs after another thread handed the memory over: after an Atomics.wait (or
   * a join) in its own function, or in a helper that is only called after one
   * (`Atomics.wait(...); renderKernel(samples)`).
   */
  private handedOver(node: ts.Node, depth = 0): boolean {
    if (isAfterHandOver(node, false)) return true;
    const fn = enclosingFunction(node);
    if (!fn || depth >= 2 || !(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn))) return false;
    const sites = this.model.callSitesOf(fn);
    return sites.length > 0 && sites.every((site) => this.handedOver(site, depth + 1));
  }

  /**
   * A hand-over orders only the threads that take part in it. A plain update of the same element
   * in another function that is not itself after a hand-over, and whose function never waits
   * (a timer, a render callback, the main thread adding frames), runs whenever it likes: the
   * update after the wait races with it as if there were no wait. A ping-pong partner waits for
   * its turn in the function that writes, so it is not such a writer. The other update may be
   * atomic (`Atomics.add(stats, DROPPED, n)`): the plain update after the wait still overwrites it.
   */
  private unguardedWriter(access: PlainAccess): ts.Expression | undefined {
    const id = locationId(access.location);
    const fn = enclosingFunction(access.writer!);
    const unordered = (node: ts.Node) => {
      const otherFn = enclosingFunction(node);
      return otherFn !== fn && !this.handedOver(node) && !waitsIn(otherFn ?? this.sf);
    };
    const plain = this.accesses.plain.find(
      (p) => p !== access && !!p.writer && p.kind !== 'read' && locationId(p.location) === id && unordered(p.writer) && !!this.raceWitness(p.view, p.location.viewKey, p.index, p.writer),
    );
    if (plain) return plain.writer;
    return this.accesses.atomic.find(
      (a) => WRITING_OPS.has(a.op) && locationId(a.location) === id && unordered(a.call) && !!this.raceWitness(a.view, a.location.viewKey, a.index, a.call),
    )?.call;
  }

  /** The Atomics accesses of the same element, if any (plain and atomic access mixed). */
  private atomicPeers(access: PlainAccess, writesOnly: boolean): AtomicAccess[] {
    const peers = (this.accesses.atomicAt.get(locationId(access.location)) ?? []).filter((a) => !writesOnly || a.op !== 'load');
    if (peers.length === 0) return peers;
    // An Atomics.store that initializes memory before it is shared is not another thread's write.
    const values = this.viewOf(access.view, access.location.viewKey).values;
    return peers.filter((a) => !!otherThreadAt(values, a.call, (fn) => this.model.callSitesOf(fn)));
  }

  /** The Atomics access that best shows the other side of the protocol: in another function, a wait or notify first. */
  private otherSide(access: PlainAccess, peers: AtomicAccess[]): AtomicAccess {
    const rank = (a: AtomicAccess) => (a.fn !== access.fn ? 0 : 4) + (a.op === 'wait' || a.op === 'waitAsync' ? 0 : a.op === 'notify' ? 1 : a.op === 'load' ? 3 : 2);
    return [...peers].sort((a, b) => rank(a) - rank(b))[0];
  }

  private checkMixedWrite(access: PlainAccess): void {
    const peers = this.atomicPeers(access, false);
    if (peers.length === 0) return;
    const writer = access.writer as ts.BinaryExpression;
    const race = this.raceWitness(access.view, access.location.viewKey, access.index, writer);
    // After Atomics.wait the payload is this thread's to write, but not the word it waited on:
    // the other side keeps reading and waiting on that word with Atomics.
    if (!race || isAfterHandOver(writer, false, false)) return;
    const peer = this.otherSide(access, peers);
    const element = access.element.getText(this.sf);
    const target = this.target(access.view, access.location.viewKey, race.shared);
    const rewrite = storeRewrite(writer, access.element, target, this.ctx.checker);
    const notifies = peers.some((p) => p.op === 'notify');
    const waiters = notifies || peers.some((p) => p.op === 'wait' || p.op === 'waitAsync');
    const store = `Atomics.store(${access.view.getText(this.sf)}, ${access.index.getText(this.sf)}, ...)`;
    const remedy =
      target.supported === false
        ? ''
        : notifies
          ? ` Use ${store}, so the woken thread sees it.`
          : waiters
            ? ` Use ${store} and Atomics.notify to wake the waiting thread.`
            : ` Use ${store}.`;
    // A write before the sharing call that is still reported: the call shares a buffer made once, again on every run.
    const again =
      (race.point.kind === 'worker' || race.point.kind === 'post' || race.point.kind === 'escape') &&
      enclosingFunction(writer) === enclosingFunction(race.point.node) && writer.getEnd() <= race.point.node.getStart()
        ? ` It runs before the sharing at line ${lineOf(race.point.node)}, but on every call, and the buffer is created only once: from the second call on, the other thread already holds it.`
        : '';
    const message =
      `Plain write to shared memory mixed with Atomics: \`${writer.getText(this.sf)}\` writes ${element}, which other code accesses with Atomics.${peer.op} (line ${lineOf(peer.call)}); ` +
      `${this.describeView(access.view, race.point)}, and a plain write is not ordered with the other thread's atomic accesses: it may see the old value${waiters ? ' and sleep through the change' : ''}.${again}${remedy}`;
    this.reported.add(writer);
    this.ctx.report({
      node: writer,
      message,
      related: this.related(race.point, [{ node: peer.call, message: `${element} accessed with Atomics here` }]),
      fixes: rewrite.fix ? [rewrite.fix] : [],
      suggestions: rewrite.suggestion ? [rewrite.suggestion] : [],
    });
  }

  private checkRead(access: PlainAccess): void {
    if (isDiagnosticRead(access.element)) return;
    const spin = this.spinLoopOf(access.element);
    const peers = this.atomicPeers(access, true);
    if (!spin && peers.length === 0) return;
    const race = this.raceWitness(access.view, access.location.viewKey, access.index, access.element);
    if (!race) return;
    // Atomics.wait hands over the data, not the word waited on: a plain read of that word after
    // the wait (`if (flag[0] === DONE)`) still races with the other thread's next atomic write.
    if (!spin && isAfterHandOver(access.element, true, false)) return;
    // A loop that writes the element itself is not waiting for another thread.
    if (spin && this.accesses.plain.some((p) => p.kind !== 'read' && locationId(p.location) === locationId(access.location) && spin.getStart() <= p.element.getStart() && p.element.getEnd() <= spin.getEnd())) return;
    const element = access.element.getText(this.sf);
    const target = this.target(access.view, access.location.viewKey, race.shared);
    const rewrite = loadRewrite(access.element, target, this.ctx.checker);
    const remedy = target.supported === false ? '' : ` Use Atomics.load(${access.view.getText(this.sf)}, ${access.index.getText(this.sf)})${spin ? ', and Atomics.wait to sleep until it changes' : ''}.`;
    const peer = peers[0];
    const message = spin
      ? `Spin on a plain read of shared memory: the loop waits for ${element} to change, but ${this.describeView(access.view, race.point)} and a plain read is not synchronized with the thread that writes it: the engine may read it once and loop forever.${remedy}`
      : `Plain read of shared memory mixed with Atomics: ${element} is ${peer.op === 'wait' || peer.op === 'waitAsync' || peer.op === 'notify' ? 'used as a signal' : 'written'} with Atomics.${peer.op} (line ${lineOf(peer.call)}); ${this.describeView(access.view, race.point)}, and this plain read is not ordered with the other thread's atomic writes, so it can see a stale value.${remedy}`;
    this.reported.add(access.element);
    this.ctx.report({
      node: access.element,
      message,
      related: this.related(race.point, peer ? [{ node: peer.call, message: `${element} written with Atomics here` }] : []),
      fixes: rewrite.fix ? [rewrite.fix] : [],
      suggestions: rewrite.suggestion ? [rewrite.suggestion] : [],
    });
  }

  /**
   * The loop that spins on this read: `while (v[0] === 0) {}`. Not a loop that scans the array
   * (`while (buf[n] !== 0) n++`: the index moves) or one that awaits between reads (a poll).
   */
  private spinLoopOf(element: ts.ElementAccessExpression): ts.IterationStatement | undefined {
    let child: ts.Node = element;
    let loop: ts.IterationStatement | undefined;
    for (let n: ts.Node | undefined = element.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
      if (ts.isFunctionLike(n) || ts.isBlock(n)) return undefined;
      if ((ts.isWhileStatement(n) || ts.isDoStatement(n)) && n.expression === child) loop = n;
      else if (ts.isForStatement(n) && n.condition === child) loop = n;
      if (loop) break;
    }
    if (!loop) return undefined;
    const indexNames = new Set<string>();
    const collect = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) indexNames.add(n.text);
      ts.forEachChild(n, collect);
    };
    collect(element.argumentExpression);
    let moves = false;
    const visit = (n: ts.Node): void => {
      if (moves) return;
      if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) moves = true;
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && indexNames.has(n.operand.text)) moves = true;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipOuter(n.left)) && indexNames.has((skipOuter(n.left) as ts.Identifier).text)) moves = true;
      if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    visit(loop);
    return moves ? undefined : loop;
  }

  // ------------------------------------------------------------------------------------------
  // Use after transfer.

  private poolAllocationsMemo: ts.CallExpression[] | undefined;

  /** `Buffer.from/allocUnsafe/concat(...)` calls in the file: allocations from Node's shared pool (walked once, for the first pool finding). */
  private poolAllocations(): ts.CallExpression[] {
    if (this.poolAllocationsMemo) return this.poolAllocationsMemo;
    const out: ts.CallExpression[] = (this.poolAllocationsMemo = []);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'Buffer' && /^(from|allocUnsafe|concat)$/.test(n.expression.name.text)) out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
    return out;
  }

  /** Transfers of `view.buffer` where the buffer is more than the view: other views, Node's Buffer pool or a library's pool use it too. */
  private checkSharedViewTransfers(reported: Set<ts.Node>): void {
    for (const t of findSharedViewTransfers(this.sf, this.model, this.ctx.checker)) {
      if (reported.has(t.entry) || reported.has(t.transfer) || (t.origin.site && reported.has(t.origin.site))) continue;
      const entry = skipOuter(t.entry).getText(this.sf);
      const view = skipOuter(t.view).getText(this.sf);
      const o = t.origin;
      const made = `\`${o.madeBy.getText(this.sf)}\`${o.site ? ` (passed at line ${lineOf(o.site)})` : ` (line ${lineOf(o.madeBy)})`}`;
      const moved = (entry === `${view}.buffer` ? `\`${entry}\`` : `\`${entry}\` (the ArrayBuffer under \`${view}\`)`) + (t.bufferMethod ? ` (taken over by \`${skipOuter(t.transfer.expression).getText(this.sf)}()\`, line ${lineOf(t.transfer)})` : '');
      // ArrayBuffer#transfer() has no list to leave the entry out of: the remedy is the copy alone.
      const orLeaveOut = t.bufferMethod ? '' : ', or leave it out of the transfer list';
      const through = t.via
        ? ` (handed to \`${t.via.helper}\` at line ${lineOf(t.transfer)}, which transfers it at line ${lineOf(t.via.inner)})`
        : isHandedBack(t.entry)
          ? ` (listed at line ${lineOf(t.entry)} in the transfer list a task handler returns with its result, and sent here)`
          : '';
      let message: string;
      const related: Array<{ node: ts.Node; message: string }> = [];
      if (o.kind === 'part') {
        message =
          `Transfer of shared memory: ${moved} is transferred${through}, but that ArrayBuffer is not \`${view}\`'s alone: ${o.madeBy.getText(this.sf) === view ? `\`${view}\` (line ${lineOf(o.madeBy)}) is` : `\`${view}\` comes from ${made},`} a window cut from a larger buffer. ` +
          `A transfer moves the whole ArrayBuffer, not the view's bytes: it detaches \`${o.whole.getText(this.sf)}\` and every other view over it, memory that ${holderOf(o.whole, this.ctx.checker, this.sf)} still uses. ` +
          `Transfer a copy of the view's bytes (\`new Uint8Array(${view})\`)${orLeaveOut}.`;
        related.push({ node: o.madeBy, message: 'a window into memory other views share' });
      } else if (o.kind === 'pool') {
        const source = o.madeBy.getText(this.sf) === view ? `it is typed Buffer (line ${lineOf(o.madeBy)})` : `made by ${made}`;
        // Who else allocates from the pool here: the same factory run again in a loop, other Buffer factories of the file.
        const others = this.poolAllocations().filter((c) => c !== o.madeBy);
        const again = ts.findAncestor(o.site ?? o.madeBy, (n) => (ts.isFunctionLike(n) ? 'quit' : isLoop(n)));
        const users = [
          ...(again ? [`the next run of the loop at line ${lineOf(again)}`] : []),
          ...others.slice(0, 2).map((c) => `\`${c.getText(this.sf).length > 40 ? `${c.getText(this.sf).slice(0, 37)}...` : c.getText(this.sf)}\` (line ${lineOf(c)})`),
        ];
        const alsoHere = users.length > 0 ? ` The pool is also used here by ${users.join(', ')}.` : '';
        message =
          `Transfer of shared memory: ${moved} is transferred${through}, and \`${view}\` can be a small Node Buffer: ${source}. ` +
          `Node cuts small Buffers (Buffer.from, allocUnsafe, concat, and most Buffers it returns) from one shared 8 KiB pool, so the buffer under \`${view}\` is that pool: the transfer detaches every other pooled Buffer in this thread, and the next Buffer.from() throws on it.${alsoHere} ` +
          `Transfer a copy (\`new Uint8Array(${view})\`; a Buffer's slice() is not a copy)${orLeaveOut}.`;
        related.push({ node: o.site ?? o.madeBy, message: o.site ? 'passes a Buffer that may sit in the shared pool' : 'may be a Buffer from the shared pool' });
      } else {
        message =
          `Transfer of shared memory: ${moved} is sent and transferred${through}, but \`${view}\` is a view that a library allocated (${o.madeBy.getText(this.sf) === view ? `line ${lineOf(o.madeBy)}` : made}); ` +
          `encoders commonly return a window into their own reused pool, so the buffer under it can be larger than the result and shared with the next ones. ` +
          `The receiver gets the whole ArrayBuffer without the view's offset and length, and the library's pool is detached here, so its next result fails. ` +
          `Transfer a copy of exactly the view's bytes (\`new Uint8Array(${view}).buffer\`).`;
        related.push({ node: o.madeBy, message: 'a view into memory the library owns' });
      }
      if (t.via) related.push({ node: t.via.inner, message: `${t.via.helper} transfers the list here` });
      const suggestions = t.copy ? [{ description: t.copy.description, edits: t.copy.edits.map((e) => ({ start: e.start, end: e.end, text: e.text })) }] : [];
      // Through a helper only this call uses, the helper's transfer statement is where the memory leaves.
      const at = t.via && servesOneCaller(t.transfer, t.entry, t.via.inner, this.model) ? t.via.inner : t.transfer;
      if (t.via && at === t.via.inner) related.push({ node: t.transfer, message: `passes it to ${t.via.helper} here` });
      this.ctx.report({ node: at, message, related, suggestions });
    }
  }

  private checkTransfers(): void {
    const repeated = findRepeatedTransfers(this.sf, this.model, this.ctx.checker);
    const usedAfter = findUsesAfterTransfer(this.sf, this.model, this.ctx.checker);
    // One finding per transfer: a repeated transfer or a use after it already says what is lost.
    this.checkSharedViewTransfers(new Set<ts.Node>([...repeated.map((t) => t.entry), ...usedAfter.map((u) => u.transfer)]));
    const reportedAt = new Set<ts.Node>();
    for (const t of repeated) {
      // A list built with `.map` transfers each element's buffer: name the array and say so.
      const entry = isMappedList(t.entry) ? `every element's buffer of ${skipOuter(t.entry).getText(this.sf)} (a list built with map())` : skipOuter(t.entry).getText(this.sf);
      const line = lineOf(t.where);
      const why =
        t.reason === 'loop'
          ? `it is ${isDecode(t.via?.inner ?? t.transfer) ? 'decoded' : 'transferred'} on every run of the ${ts.isFunctionLike(t.where) ? 'callback' : 'loop'} at line ${line}, but \`${t.root}\` comes from outside it`
          : t.reason === 'cache'
            ? t.removedLater
              ? `\`${t.root}\` comes from \`${t.where.getText(this.sf)}\` (line ${line}), which hands the same object to every caller that asks while it is in flight (the entry is removed only later, at line ${lineOf(t.removedLater)})`
              : `${t.site ? `the caller at line ${lineOf(t.site)} passes a value that ` : `\`${t.root}\` `}comes from \`${t.where.getText(this.sf)}\` (line ${line}), which hands the same object to every ${ts.isCallExpression(t.where) && /^use[A-Z]/.test(t.where.expression.getText(this.sf)) ? 'render (and every other reader of that state)' : 'caller'}`
            : t.reason === 'kept'
              ? enclosingFunction(t.where) === enclosingFunction(t.transfer)
                ? `nothing gives \`${t.root}\` a new object afterwards, and the next run of this method uses it again before it transfers it (line ${line})`
                : `nothing gives \`${t.root}\` a new object afterwards, while other code keeps using it (line ${line})`
              : t.reason === 'parameter'
                ? `\`${t.root}\` is ${t.partOf ? `part of \`${t.partOf}\`, a parameter` : 'a parameter'} of ${t.api ?? `the exported \`${t.where.getText(this.sf)}\``} (line ${line}): the caller's memory, which the caller may still hold, wrap again or send twice`
              : t.reason === 'stored'
                ? `\`${t.root}\` is also kept in long-lived state (\`${t.where.getText(this.sf)}\`, line ${line}), where other code reads it later and finds the buffer detached`
              : t.reason === 'parked'
                ? `\`${t.root}\` only parks each message's buffer until this reply: it is filled during the run (line ${line}) and read here after the run awaited, while the handler takes the next message meanwhile, which refills it. This reply can then transfer the other message's buffer, and that message's own reply finds it detached and throws a DataCloneError`
              : t.reason === 'engine'
                ? `that memory is an AudioBuffer's own channel data (\`${t.where.getText(this.sf)}\`, line ${line}): the audio engine owns it, and a ScriptProcessorNode (or any producer that reuses its AudioBuffer) hands back the same arrays on the next callback`
                : `the caller at line ${line} (\`${t.where.getText(this.sf)}\`) passes the same object on every run of its loop`;
      const decode = isDecode(t.via?.inner ?? t.transfer);
      const what = t.via
        ? `${entry} is handed to \`${t.via.helper}\`, which ${decode ? 'decodes' : 'transfers'} ${t.via.inner.getText(this.sf).includes('.buffer') ? 'its buffer' : 'it'} (line ${lineOf(t.via.inner)})`
        : decode
          ? `${entry} is given to decodeAudioData, which detaches the ArrayBuffer it decodes`
          : `${entry} is in the transfer list`;
      const message =
        `${decode ? 'Decoding' : 'Transfer of'} an object this code does not own: ${what}, and ${why}. ` +
        (decode
          ? `The first decode detaches it; every later decode of the same buffer fails (and any other holder sees an empty buffer). Decode a copy (\`${entry}.slice(0)\`).`
          : t.reason === 'parameter'
          ? `The transfer detaches the caller's buffer and every view of it, and nothing in the signature or its doc says so. Transfer a copy (slice()), or name or document the function as taking the buffer over.`
          : t.reason === 'engine'
          ? `The transfer detaches the AudioBuffer's channel: the next callback's arrays are empty, and posting them again throws a DataCloneError ("already detached"). Send the channel data without a transfer list (it is copied), or transfer copies (\`channel.slice()\`).`
          : t.reason === 'parked'
          ? `Let the buffer travel with the result it belongs to (return it with the data, or pass it along) instead of parking it in a field.`
          : t.reason === 'stored'
          ? `The transfer detaches the buffer that the stored object still points to. Transfer a copy made here (slice(), or new Uint8Array(view) for a view), or send it without a transfer list.`
          : `The first transfer detaches it; the next one throws a DataCloneError (and any other holder sees an empty buffer). Transfer a copy made here (slice(); for a Node Buffer, whose slice() is a view, new Uint8Array(buf)), or send it without a transfer list.`);
      const relatedMessage = t.reason === 'engine' ? "the AudioBuffer's own storage" : t.reason === 'cache' ? 'the shared cache' : t.reason === 'loop' ? 'repeats the transfer' : t.reason === 'kept' ? 'still used here' : t.reason === 'stored' ? 'kept here' : t.reason === 'parked' ? 'filled here on every run' : t.reason === 'parameter' ? 'the caller passes its own memory here' : 'calls it repeatedly with the same object';
      const related = [{ node: t.where, message: relatedMessage }, ...(t.site ? [{ node: t.site, message: 'passes the cached object here' }] : []), ...(t.via ? [{ node: t.via.inner, message: `${t.via.helper} transfers its argument here` }] : [])];
      // Through a helper only this call uses, the helper's transfer statement is where the memory leaves.
      // (A caller that files the object away itself and then hands it over holds both halves of
      // the conflict: the finding stays there. So it does when the helper's transfer is already
      // reported on its own account.)
      const at = t.via ? (t.reason !== 'stored' && servesOneCaller(t.transfer, t.entry, t.via.inner, this.model) && !reportedAt.has(t.via.inner) ? t.via.inner : t.entry) : t.transfer;
      if (t.via && at === t.via.inner) related.push({ node: t.entry, message: `passes it to ${t.via.helper} here` });
      reportedAt.add(at);
      this.ctx.report({ node: at, message, related });
    }
    // At the transfer, `here` in the consequence is the use's line; `this line` is the use too.
    const messageOf = (use: (typeof usedAfter)[number], atTransfer = false): string => {
      const where = use.via
        ? `line ${lineOf(use.via.inner)}, reached through the call of \`${use.via.helper}\` at line ${lineOf(use.transfer)}, which transfers this argument`
        : use.transfer.getText(this.sf).startsWith('new ') ? `the Worker created at line ${lineOf(use.transfer)}` : `line ${lineOf(use.transfer)}`;
      // A transfer made inside a promise executor or an awaited call's callback: done before the code after it.
      const to = (use.receiver ? ` to ${use.receiver}` : '') + (use.runBy ? ` inside ${ts.isAwaitExpression(use.runBy) ? 'the callback of the awaited call' : 'the executor of the `new Promise`'} at line ${lineOf(use.runBy)}, which has run by the time ${atTransfer ? `line ${lineOf(use.use)}` : 'this line'} does` : '');
      const consequenceHere =
        use.what === 'MessagePort'
          ? 'a transferred MessagePort belongs to the receiving thread: here it no longer sends or receives'
          : use.what === 'view'
            ? 'its ArrayBuffer is detached here: the view has length 0, reads give undefined and writes are dropped'
            : use.what === 'ArrayBuffer'
              ? 'a transferred ArrayBuffer is detached here: its byteLength is 0 and its views are empty'
              : 'a transferred object is unusable in the thread that sent it';
      const consequence = atTransfer ? consequenceHere.replace(/\bhere\b/, `at line ${lineOf(use.use)}`) : consequenceHere;
      const remedy =
        use.what === 'MessagePort'
          ? 'Keep using the other end of the channel here, or do not transfer this one.'
          : 'Copy what this thread still needs before sending (slice() makes a copy), or leave it out of the transfer list.';
      // Web Audio's decodeAudioData takes the bytes over the same way a transfer does.
      const decoded = ts.isCallExpression(use.transfer) && ts.isPropertyAccessExpression(use.transfer.expression) && use.transfer.expression.name.text === 'decodeAudioData';
      const handed = use.handedWhole;
      const message = handed
        ? `Use after transfer: \`${use.name}\` is handed whole to \`${skipOuter(handed.call.expression).getText(this.sf)}\` (line ${lineOf(handed.call)}) after its \`${handed.part}\` was transferred${to} (transfer list at ${where})${use.laterCallback ? `, from a callback registered before the transfer that runs after it` : ''}; ` +
          `that function takes an object with \`${handed.part}\` and gets one whose memory is detached: a view of length 0 that reads undefined, an ArrayBuffer of byteLength 0, or a DataCloneError if it is sent on. ${remedy}`
        : decoded
        ? `Use after transfer: \`${use.name}\` is used at line ${lineOf(use.use)} after \`${use.transfer.expression.getText(this.sf)}(…)\` at line ${lineOf(use.transfer)} took ${use.transferred.getText(this.sf)} over (decoding detaches the ArrayBuffer it is given); ${consequence}. Decode a copy (\`${use.transferred.getText(this.sf)}.slice(0)\`) where the bytes are needed again.`
        : `Use after transfer: \`${use.name}\` is used at line ${lineOf(use.use)} after ${use.part ? `${use.part === use.name ? 'it' : `\`${use.part}\``} (the part of \`${use.transferred.getText(this.sf)}\` that \`${use.via?.helper}\` hands over)` : use.ofBuffer ? `the ArrayBuffer under ${use.transferred.getText(this.sf)}` : use.transferred.getText(this.sf)} was transferred${to} (transfer list at ${where})${use.laterCallback ? `: the ${isPromiseReaction(use.laterCallback) ? 'promise callback' : 'handler'} at line ${lineOf(use.laterCallback)} is registered before the transfer but runs only after this code has finished, so after the transfer` : ''}; ${consequence}. ${remedy}`;
      return message;
    };
    // Each use is reported where it fails. The transfer that detached the memory is reported too,
    // where it leaves this thread (as every other transfer finding is): that is the statement to
    // change (copy first, or leave the object out of the list), and one transfer detaches its
    // object for every later use, which that finding lists. Through a helper only this call uses,
    // the helper's transfer statement is where it leaves. A transfer already reported as repeated
    // says what is lost there.
    const usesAt = new Map<ts.Node, typeof usedAfter>();
    for (const use of usedAfter) {
      this.ctx.report({ node: use.use, message: messageOf(use), related: use.via ? [{ node: use.transfer, message: `transferred here, by ${use.via.helper}` }, { node: use.via.inner, message: `${use.via.helper} transfers its argument here` }] : [{ node: use.transfer, message: 'transferred here' }] });
      const at = use.via && servesOneCaller(use.transfer, use.transferred, use.via.inner, this.model) ? use.via.inner : use.transfer;
      if (!reportedAt.has(at)) usesAt.set(at, [...(usesAt.get(at) ?? []), use]);
    }
    for (const [at, uses] of usesAt) {
      const use = uses.reduce((a, b) => (b.use.getStart(this.sf) < a.use.getStart(this.sf) ? b : a));
      const others = [...new Set(uses.filter((u) => u !== use).map((u) => lineOf(u.use)))].filter((l) => l !== lineOf(use.use));
      const also = others.length > 0 ? ` (It is used again at line${others.length > 1 ? 's' : ''} ${others.join(', ')}.)` : '';
      const related = [
        ...uses.map((u) => ({ node: u.use, message: u === use ? 'used here after the transfer' : 'used again here' })),
        ...(use.via && at !== use.transfer ? [{ node: use.transfer, message: `passes it to ${use.via.helper} here` }] : []),
        ...(use.via && at !== use.via.inner ? [{ node: use.via.inner, message: `${use.via.helper} transfers its argument here` }] : []),
      ];
      this.ctx.report({ node: at, message: `${messageOf(use, true)}${also}`, related });
    }
  }
}

/** Whether a function (or the file's top level) calls Atomics.wait or waitAsync itself, outside nested functions. */
function waitsIn(body: ts.Node): boolean {
  return callsInBody(body).some((call) => /^wait(Async)?$/.test(atomicsOp(call) ?? ''));
}

/** Whether `node` is code of an AudioWorkletProcessor subclass, which runs on the audio rendering thread. */
function runsOnAudioRenderThread(node: ts.Node): boolean {
  const cls = ts.findAncestor(node, (n) => ts.isClassDeclaration(n) || ts.isClassExpression(n)) as ts.ClassLikeDeclaration | undefined;
  const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return !!base && ts.isIdentifier(base) && base.text === 'AudioWorkletProcessor';
}

/** How to name the holder of `e` (`chunk` for `chunk.buffer.buffer`) for a message: what it is and where it is declared. */
function holderOf(e: ts.Expression, checker: ts.TypeChecker, sf: ts.SourceFile): string {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x) && x.expression.kind !== ts.SyntaxKind.ThisKeyword) x = skipOuter(x.expression);
  const name = x.getText(sf);
  const decl = ts.isIdentifier(x) ? checker.getSymbolAtLocation(x)?.valueDeclaration : ts.isPropertyAccessExpression(x) ? checker.getSymbolAtLocation(x.name)?.valueDeclaration : undefined;
  if (!decl || decl.getSourceFile() !== sf) return `\`${name}\``;
  if (ts.isParameter(decl)) {
    const fn = decl.parent;
    const fnName = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
    return `\`${name}\` (a parameter${fnName ? ` of \`${fnName}\`` : ''}, line ${lineOf(decl)}: the caller's memory)`;
  }
  if (ts.isVariableDeclaration(decl) && !enclosingFunction(decl)) return `\`${name}\` (a module variable, line ${lineOf(decl)})`;
  if (ts.isPropertyDeclaration(decl) || ts.isPropertyAccessExpression(x)) return `\`${name}\` (a field, line ${lineOf(decl)})`;
  return `\`${name}\` (line ${lineOf(decl)})`;
}

/** Whether a callback is a promise reaction (`.then(cb)`, `.catch(cb)`, `.finally(cb)`) rather than an event handler or timer. */
function isPromiseReaction(fn: ts.Node): boolean {
  return ts.isCallExpression(fn.parent) && /^(then|catch|finally)$/.test(calleeName(fn.parent.expression) ?? '');
}

/** Whether a branch ends by leaving the function (`return`, `throw`): the code after the `if` is not reached from it. */
function leaves(branch: ts.Statement): boolean {
  if (ts.isReturnStatement(branch) || ts.isThrowStatement(branch)) return true;
  if (!ts.isBlock(branch)) return false;
  const last = branch.statements[branch.statements.length - 1];
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/**
 * Whether code of `x` (the function an access is in) is `fn`'s own: `fn` itself, or a callback
 * written inside it and handed to a call (`withLock(comm, () => Atomics.store(…))`), which runs
 * as part of `fn`'s work.
 */
function isOwnCode(x: ts.Node | undefined, fn: ts.Node | undefined): boolean {
  return x === fn || (!!x && !!fn && isArgumentCallback(x) && x.getStart() >= fn.getStart() && x.getEnd() <= fn.getEnd());
}

/** An inline function passed as an argument: `withLock(comm, () => { … })`, `items.forEach((x) => …)`. */
function isArgumentCallback(n: ts.Node): boolean {
  return (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent)) && !!n.parent.arguments?.includes(n);
}

export const sharedMemory: RuleDefinition<Record<string, never>> = {
  id: 'shared-memory',
  description: 'Plain access to SharedArrayBuffer-backed memory shared with workers, split atomics, use after transfer.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('shared-memory'),
  mayApply(text) {
    return RELEVANT_TEXT.test(text);
  },
  check(ctx) {
    const model = ctx.shared('threads.sharedBuffers', () => new SharedBufferModel(ctx.sourceFile, ctx.checker));
    const accesses = collectMemoryAccesses(ctx.sourceFile, model, ctx.checker);
    new SharedMemoryCheck(ctx, model, accesses).run();
  },
};
