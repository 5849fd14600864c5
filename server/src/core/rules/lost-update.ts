// Lost updates: shared state read in one async segment and written back in a later one from the
// value read (`total += await pageLength()`, `const cur = this.count; await x(); this.count =
// cur + 1`, `const v = await store.get(k); await store.set(k, v + 1)`, the same as a `.then`
// chain), in code that can run concurrently. Another task's write during the suspension is
// overwritten. `x += await y` is the classic form: JavaScript reads `x` before evaluating the
// right side. Also whole objects written back from a snapshot (`setState({ ...snapshot, x })`,
// a React hook's value after an await, also through a writer of that copy the component or hook
// made, `merge = (p) => setState({ ...state, ...p })`, called after an await; the result of a
// function the code was given, a loader or reducer, handed the whole state before the await:
// `setState(await effect(state))`, `load(getState()).then((s) => dispatch({ type, state: s }))`;
// a store's state replaced or patched from a copy: Vuex's `replaceState`, a `REPLACE_STATE`
// mutation, Pinia's `$patch({ items: [...items, x] })`) and rollbacks to a value read before
// the await. Reads and writes through small helpers of the file count as what their bodies do
// (`const b = await loadBalance(); await saveBalance(b + 50)`), and the message names the helpers;
// such a race is reported at the call and, once, at the write inside the helper.
// A record read whole and changed in place through a part of it (`const task = data.tasks.find(…)`,
// `Object.assign(task, patch)`, `for (const t of data.tasks) t.done = true`) is written back as a
// changed copy; a handle awaited from a lazy getter of the file (`const db = await getDB()`) is
// the one shared handle; data written to a temporary file renamed onto the target afterwards (an
// atomic `writeJSON`) is written to the target. A collection taken before an await and emptied
// after it (`const batch = this.queue; await send(batch); this.queue = []`, or handed straight to
// the awaited call, `await send(this.queue)`) loses what another task added meanwhile. And, by shape
// alone where the model formed nothing (see coarseFormer.ts): an awaited read of a store entry held
// in a local, then an awaited write of the same entry from a value computed from it
// (`const t = await loadTally(board); addPoint(t, p); await storeTally(board, t)`).
//
// Deliberately left alone: locals, parameters and objects the function creates; code no
// concurrency source reaches (called step by step from `main()`); writes that re-read the state
// after the await (`x = (await y) + x`); a re-check of the state after the await; per-task result
// slots (`results[i] = await f(i)`); version guards (they write nothing derived from the read; a
// comparison with a constant, `choice === NEW_CHOICE`, is none);
// helpers that read the state themselves before they write it (an update of their own); the
// answer of a request the read only helped build (`this.cursor = (await exchange({ since:
// this.cursor })).next`, a refresh where the last answer wins);
// updater forms (`setX((prev) => …)`); entity saves after a named field was set from new input;
// a private worker started only by the run that claimed a flag (`if (this.running) throw …;
// this.running = true; return this.loop()`, or the worker setting the flag its caller tested
// before its own first await); reads and writes through an IndexedDB read-write transaction the
// function opened; a record's `save()` the model makes conditional on the version read
// (mongoose `optimisticConcurrency` or the update-if-current plugin, sequelize `version: true`,
// or a save whose `VersionError` the code catches); and anything run under a mutex, semaphore,
// limiter or promise-chain lock.
import { ASYNC_MODEL_KEY, buildAsyncModel, mayContainSuspension } from '../async/model';
import { coarseLostUpdates } from '../async/coarseFormer';
import { lostUpdateFixes } from '../async/raceFixes';
import { describeLocation, describeSource, describeSuspension, lineOf, relatedSource } from '../async/raceMessages';
import { functionName } from '../async/concurrency';
import { enclosingFunction, isWithin } from '../async/scopes';
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';
import { ts } from 'ts-morph';

export const lostUpdate: RuleDefinition<Record<string, never>> = {
  id: 'lost-update',
  description: 'Shared state read before an await and written after it, from the value read, while other tasks can run the same code.',
  defaultLevel: 'warn',
  requiresTypes: false,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('lost-update'),
  mayApply: mayContainSuspension,
  check(ctx) {
    const model = ctx.shared(ASYNC_MODEL_KEY, () => buildAsyncModel(ctx.sourceFile, ctx.program));
    // (A snapshot writer called after an await by several functions is reported once, at its write.)
    const reported = new Set<ts.Node>();
    for (const fn of model.functions) {
      const formed = model.races(fn.node).lostUpdates;
      // (And the coarse former's, which pass the same gates; see coarseFormer.)
      const coarse = fn.suspensions.length > 0 ? coarseLostUpdates(model, fn.node, formed) : [];
      for (const found of coarse.length > 0 ? [...formed, ...coarse] : formed) {
        if (found.calledAt && reported.has(found.write)) continue;
        const writtenIn = found.calledAt ? enclosingFunction(found.write) : undefined;
        const why = found.drained
          ? model.raceSource(found.fn, found.location, { otherWriterOnly: true, otherWriterAdds: true })
          : found.cleared
          ? model.raceSource(found.fn, found.location, { otherWriterOnly: true, otherWriterSets: true })
          : found.claimed
          ? model.raceSource(found.fn, found.location, { otherWriterOnly: true, notTesting: found.claimed.flag, otherWriterRunsByItself: true })
          : model.raceSource(found.fn, found.location, writtenIn && !ts.isSourceFile(writtenIn) ? { writtenIn } : {});
        if (!why) continue;
        reported.add(found.write);
        // A hook's setter other than useState's is known to take an updater only from its type.
        const c = found.readLocation.snapshot && !found.location.takesUpdater && setterTakesUpdater(ctx.checker, found.write) ? { ...found, location: { ...found.location, takesUpdater: true } } : found;
        const field = c.location.kind === 'slot' ? fieldReadThroughGetter(c.read) : undefined;
        const where = field ? `\`${field}\` (state set through \`${c.location.setter}\`)` : describeLocation(c.location);
        const readLine = lineOf(c.read);
        const viaLocal = c.read.getStart() < c.write.getStart() && !(c.read.pos >= c.write.pos && c.read.end <= c.write.end);
        // Through helpers of the file (`await loadBalance()` … `await saveBalance(v)`): name them.
        const readVia = c.readLocation.through;
        const writeVia = c.location.through;
        const readWhen = readVia ? `read through \`${readVia.helper}${readVia.getter ? '' : '()'}\` on line ${readLine}` : viaLocal ? `read on line ${readLine}` : 'read';
        const writtenHere = writeVia ? `written here through \`${writeVia.helper}()\`` : 'written here';
        const message = c.drained
          ? `Lost update: ${where} is emptied here after ${describeSuspension(c.suspension)}, though what it held was taken on line ${readLine}, before it. ` +
            `${capitalize(describeSource(why))}: what is added to it during the suspension is emptied with it, and is lost. Take the items and empty it in one step before the await (\`const batch = ${c.location.text}; ${c.location.text} = []\`), or remove only what was taken.`
          : c.cleared
          ? `Lost update: ${where} is cleared here after ${describeSuspension(c.suspension)}, because of the check on line ${readLine}. ` +
            `${capitalize(describeSource(why))}: a set made during the suspension is cleared with it, and is lost. Clear it before the await (and set it again if the work fails), so that a later set survives.`
          : c.rollback
          ? `Lost update in a rollback: ${where} is put back here to the value read on line ${readLine}, before ${describeSuspension(c.suspension)}. ` +
            `${capitalize(describeSource(why))}: a change made to it during the suspension is undone too. Undo only your own change (roll back if it still holds your value), or re-read and reapply.`
          : c.readLocation.snapshot && c.calledAt
          ? `Lost update: ${where} is written here from the value this closure captured when it was created, and \`${functionName(c.fn)}\` calls \`${c.calledAt.expression.getText()}\` on line ${lineOf(c.calledAt)}, after ${describeSuspension(c.suspension)}: the value written is older than that suspension. ` +
            `${capitalize(describeSource(why))}: a change made to it in the meantime is overwritten. ` +
            (c.location.takesUpdater ? `Pass an updater instead (\`${c.location.setter}((prev) => …)\`).` : `Compute the new value from the current state where it is written, not from this copy.`)
          : c.readLocation.snapshot
          ? `Lost update: ${where} is written here from the value this closure captured when it was created, which is older than ${describeSuspension(c.suspension)}. ` +
            `${capitalize(describeSource(why))}: a change made to it in the meantime is overwritten. ` +
            (c.location.takesUpdater ? `Pass an updater instead (\`${c.location.setter}((prev) => …)\`).` : `Compute the new value from the current state where it is written, not from this copy.`)
          : `Lost update: ${where} is ${readWhen} before ${describeSuspension(c.suspension)} and ${writtenHere} from that read. ` +
            `${capitalize(describeSource(why))}: a change made to it during the suspension is overwritten.`;
        // (Under a flag the run claimed, say why the flag does not cover this.)
        const claim = c.claimed ? ` The flag \`${c.claimed.flag.text}\` this run claimed keeps out only code that tests it.` : '';
        const related: Array<{ node: ts.Node; message: string }> = [
          { node: c.read, message: `\`${field ?? c.location.text}\` is read here` },
          { node: c.suspension, message: 'other tasks can run here' },
        ];
        if (readVia) related.push({ node: readVia.node, message: `\`${readVia.within}\` reads it here` });
        if (writeVia) related.push({ node: writeVia.node, message: `\`${writeVia.within}\` writes it here` });
        if (c.calledAt) related.push({ node: c.calledAt, message: `\`${functionName(c.fn)}\` calls the writer here, after the suspension` });
        const src = relatedSource(why);
        if (src) related.push(src);
        ctx.report({ node: c.write, message: message + claim, related, suggestions: lostUpdateFixes(model, c) });
        // The write inside the helper is where the stale value reaches the state, and where a
        // fix (re-read and merge there, or a lock around the read and the write) goes: it is
        // reported too, once however many callers reach it, naming the caller that races.
        if (writeVia && !c.calledAt && !reported.has(writeVia.node) && writeVia.node.getSourceFile() === ctx.sourceFile && !isWithin(writeVia.node, c.fn)) {
          reported.add(writeVia.node);
          const helperMessage =
            `Lost update: \`${writeVia.within}\` writes ${where} here from what \`${functionName(c.fn)}\` passes it on line ${lineOf(c.write)}, ${readWhen} before ${describeSuspension(c.suspension)}. ` +
            `${capitalize(describeSource(why))}: a change made to it during the suspension is overwritten here.`;
          ctx.report({ node: writeVia.node, message: helperMessage, related: [{ node: c.write, message: `\`${functionName(c.fn)}\` calls \`${writeVia.helper}()\` here` }, ...related.filter((r) => r.node !== writeVia.node)] });
        }
      }
    }
  },
};

/**
 * Whether a setter call's argument may also be an updater: its parameter type is a union of a
 * value and a one-argument function, as React's `SetStateAction<T>` (jotai's and recoil's setters too).
 */
function setterTakesUpdater(checker: ts.TypeChecker, write: ts.Node): boolean {
  if (!ts.isCallExpression(write) || write.arguments.length !== 1) return false;
  const expected = checker.getContextualType(write.arguments[0]);
  if (!expected || !expected.isUnion()) return false;
  const isUpdater = (t: ts.Type) => t.getCallSignatures().some((sig) => sig.parameters.length === 1);
  return expected.types.some(isUpdater) && expected.types.some((t) => t.getCallSignatures().length === 0);
}

/** `get().items` for a read of `get()` whose value is used only through that path: what the message names. */
function fieldReadThroughGetter(read: ts.Node): string | undefined {
  if (!ts.isCallExpression(read)) return undefined;
  let n: ts.Node = read;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && !(ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent)) n = n.parent;
  if (n === read) return undefined;
  const text = n.getText().replace(/\s+/g, '');
  return text.length > 60 ? undefined : text;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
