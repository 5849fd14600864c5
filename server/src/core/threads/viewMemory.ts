// Which memory a typed-array view covers, so that two views over one SharedArrayBuffer address
// the same words: the host keeps `this.flag = new Int32Array(shared)` and the code on the other
// side of the protocol makes its own `new Int32Array(shared)`; `flag[0]` and `Atomics.wait(v, 0,
// 0)` are then one word although the names differ.
//
// A view is placed only when every value this file stores into its location is
// `new <TypedArray>(buffer[, byteOffset[, length]])` over one buffer location with a constant
// offset, or another placed view (an alias, a setter's parameter every caller fills with one
// view, or what the other half of the file sent under the field this thread received, or as the
// whole workerData of every worker it starts). The buffer location is a binding, a `this.field`, a parameter of one function (never
// parameters of two functions that happen to share a name: nothing says callers pass one
// buffer), a received path (`workerData.sab`), or the buffer of another placed view
// (`other.buffer`). Anything else keeps its per-variable identity: a missed alias is a miss,
// a wrong alias would be a false finding.
import { ts } from 'ts-morph';
import type { SharedBufferModel } from './sharedBuffers';
import { isNullishLiteral, skipOuter } from '../syntax';
import { TYPED_ARRAY_NAMES } from './typedArrays';

const BYTES_PER_ELEMENT: ReadonlyMap<string, number> = new Map([
  ['Int8Array', 1],
  ['Uint8Array', 1],
  ['Uint8ClampedArray', 1],
  ['Int16Array', 2],
  ['Uint16Array', 2],
  ['Float16Array', 2],
  ['Int32Array', 4],
  ['Uint32Array', 4],
  ['Float32Array', 4],
  ['Float64Array', 8],
  ['BigInt64Array', 8],
  ['BigUint64Array', 8],
]);

const MAX_DEPTH = 4;

/** The bytes a word covers in its buffer; `start` is unknown when the index is not a constant. */
export interface WordBytes {
  bufferKey: string;
  start?: number;
  width: number;
}

/**
 * Whether two words may be the same memory: on one buffer, with byte ranges that overlap or that
 * cannot be told apart (an index that is not a constant). Only for staying quiet: a maybe is no
 * evidence of a race.
 */
export function mayOverlap(a: WordBytes, b: WordBytes): boolean {
  if (a.bufferKey !== b.bufferKey) return false;
  if (a.start === undefined || b.start === undefined) return true;
  return a.start < b.start + b.width && b.start < a.start + a.width;
}

/** Where a view sits: a buffer location, its element type, and its byte offset in that buffer. */
export interface ViewPlacement {
  bufferKey: string;
  elementType: string;
  byteOffset: number;
}

export class ViewMemory {
  private readonly placements = new Map<string, ViewPlacement | undefined>();
  /** Buffer keys that are parameters, with their by-name group (`param:shared`). */
  private readonly parameterBuffers = new Map<string, string>();

  constructor(
    private readonly model: SharedBufferModel,
    /** The constant value of an index or offset expression, if it has one. */
    private readonly constantOf: (e: ts.Expression) => number | undefined,
  ) {}

  /**
   * The word `view[index]` touches, when the view is placed. Its key is equal for two accesses
   * exactly when they address the same bytes with the same width (an Int32Array and a
   * Uint32Array element over the same four bytes are one word). Words of different widths that
   * overlap do not compare equal: such accesses keep apart, which can only miss a race.
   */
  wordAt(view: ts.Expression, indexKey: string, index: ts.Expression): { key: string; bytes: WordBytes } | undefined {
    const placement = this.placementOf(view, 0);
    if (!placement) return undefined;
    const width = BYTES_PER_ELEMENT.get(placement.elementType)!;
    const i = this.constantOf(index);
    if (i !== undefined && Number.isInteger(i)) {
      const start = placement.byteOffset + i * width;
      return { key: `mem:${placement.bufferKey}:bytes[${start}+${width}]`, bytes: { bufferKey: placement.bufferKey, start, width } };
    }
    return { key: `mem:${placement.bufferKey}:${placement.elementType}@${placement.byteOffset}[${indexKey}]`, bytes: { bufferKey: placement.bufferKey, width } };
  }

  placementOf(view: ts.Expression, depth: number): ViewPlacement | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const e = skipOuter(view);
    if (ts.isNewExpression(e)) return this.placementOfNew(e, depth);
    // Parameters are grouped by name across functions (`locationKeyOf`); placing one of them
    // by its default value would split that group.
    if (this.model.locationKeyOf(e)?.startsWith('param:')) return undefined;
    // What this thread received under a name is what the other half of the file sent under it.
    const sent = this.model.sentCounterparts(e);
    if (sent) return this.agreedPlacement(sent, depth);
    const key = this.model.keyOf(e);
    if (!key) return undefined;
    if (this.placements.has(key)) return this.placements.get(key);
    // A cycle (`a = new X(b.buffer)`, `b = new X(a.buffer)`) ends here unplaced.
    this.placements.set(key, undefined);
    const placement = this.placementOfStored(e, depth);
    this.placements.set(key, placement);
    return placement;
  }

  private placementOfStored(e: ts.Expression, depth: number): ViewPlacement | undefined {
    return this.agreedPlacement((this.model.assignedSources(e) ?? []).filter((s) => !isNullishLiteral(s)), depth);
  }

  /**
   * A location assigned another view (`this.flag = flag`, `state.ring = e.data.ring`, or the
   * parameter of a setter every caller of which passes the same view) covers that view's memory.
   */
  private aliasPlacement(source: ts.Expression, depth: number): ViewPlacement | undefined {
    if (depth > MAX_DEPTH || (!ts.isIdentifier(source) && !ts.isPropertyAccessExpression(source) && !ts.isElementAccessExpression(source))) return undefined;
    const param = this.model.parameterOf(source);
    if (param) {
      const fn = param.parent;
      const index = fn.parameters.indexOf(param);
      const args = this.model.callSitesOf(fn).map((c) => c.arguments?.[index]);
      if (args.length === 0 || args.some((a) => !a)) return undefined;
      return this.agreedPlacement(args as ts.Expression[], depth);
    }
    return this.placementOf(source, depth);
  }

  /** The one placement every expression has, or undefined when one is unplaced or they differ. */
  private agreedPlacement(exprs: readonly ts.Expression[], depth: number): ViewPlacement | undefined {
    let found: ViewPlacement | undefined;
    for (const x of exprs) {
      const s = skipOuter(x);
      const p = ts.isNewExpression(s) ? this.placementOfNew(s, depth + 1) : this.aliasPlacement(s, depth + 1);
      if (!p || (found && (found.bufferKey !== p.bufferKey || found.elementType !== p.elementType || found.byteOffset !== p.byteOffset))) return undefined;
      found = p;
    }
    return found;
  }

  private placementOfNew(e: ts.NewExpression, depth: number): ViewPlacement | undefined {
    const callee = skipOuter(e.expression);
    const elementType = ts.isIdentifier(callee) ? callee.text : undefined;
    const buffer = e.arguments?.[0];
    if (!elementType || !TYPED_ARRAY_NAMES.has(elementType) || !buffer) return undefined;
    // Only a view of tracked shared memory: `new Int32Array(view)` copies and is not one.
    if (!this.model.valuesOf(e).some((v) => v.shape === 'view')) return undefined;
    const offsetArg = e.arguments?.[1];
    const byteOffset = offsetArg ? this.constantOf(offsetArg) : 0;
    if (byteOffset === undefined || !Number.isInteger(byteOffset)) return undefined;
    const bufferKey = this.bufferKeyOf(buffer, depth);
    return bufferKey ? { bufferKey, elementType, byteOffset } : undefined;
  }

  /** The location of a buffer expression; `view.buffer` is the buffer of that view. */
  private bufferKeyOf(buffer: ts.Expression, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const b = skipOuter(buffer);
    if (ts.isPropertyAccessExpression(b) && b.name.text === 'buffer') {
      const under = this.placementOf(b.expression, depth + 1);
      if (under) return under.bufferKey;
    }
    // `new Int32Array(new SharedArrayBuffer(16))`: the buffer is that allocation.
    if (ts.isNewExpression(b)) {
      const callee = skipOuter(b.expression);
      return ts.isIdentifier(callee) && callee.text === 'SharedArrayBuffer' ? `new@${b.pos}:${b.end}` : undefined;
    }
    if (!ts.isIdentifier(b) && !ts.isPropertyAccessExpression(b) && !ts.isElementAccessExpression(b)) return undefined;
    // `new Int32Array(workerData, 0, 2)` in the worker half of a file whose other half starts it
    // with `{ workerData: sab }`: the buffer that half sent, when every worker it starts gets one buffer.
    // Likewise a buffer received under a name (`new Int32Array(e.data.sab)`, `workerData.sab`) is
    // what the other half of the file sent under it (`worker.postMessage({ sab })`).
    const sent = this.model.isWorkerDataRef(b) ? this.model.workerDataSentWhole() : (this.model.sentCounterparts(b) ?? []);
    if (sent.length > 0) {
      const keys = sent.map((s) => this.bufferKeyOf(s, depth + 1));
      if (keys.every((k) => k !== undefined && k === keys[0])) return keys[0];
    }
    // A location that holds more than one buffer over time (`this.shared = new SharedArrayBuffer(n)`
    // on every resize) does not say which one a view was made over.
    const sources = (this.model.assignedSources(b) ?? []).filter((s) => !isNullishLiteral(s));
    if (sources.length > 1) return undefined;
    // `const sab = this.shared`, `this.shared = shared` (the constructor's parameter): another name
    // for the same buffer.
    if (sources.length === 1) {
      const s = skipOuter(sources[0]);
      if (ts.isIdentifier(s) || ts.isPropertyAccessExpression(s) || ts.isElementAccessExpression(s)) {
        const inner = this.bufferKeyOf(s, depth + 1);
        if (inner) return inner;
      }
    }
    const key = this.model.keyOf(b);
    const grouped = this.model.locationKeyOf(b);
    if (key && grouped?.startsWith('param:')) this.parameterBuffers.set(key, grouped);
    return key;
  }

  /**
   * Buffers that are parameters of two functions are one buffer only when the file shows they are
   * the two sides of one protocol: parameters of the same name whose views are used with Atomics
   * on the same word (`Atomics.store(flag, 0, 1)` in the host, `Atomics.wait(f, 0, 0)` in the
   * worker). Returns, for each such parameter buffer, the one key they share.
   */
  joinedParameterBuffers(atomicWords: readonly WordBytes[]): Map<string, string> {
    const wordsOf = new Map<string, Set<string>>();
    for (const w of atomicWords) {
      if (w.start === undefined || !this.parameterBuffers.has(w.bufferKey)) continue;
      const set = wordsOf.get(w.bufferKey) ?? new Set<string>();
      set.add(`${w.start}+${w.width}`);
      wordsOf.set(w.bufferKey, set);
    }
    const keys = [...wordsOf.keys()];
    const parent = new Map(keys.map((k) => [k, k]));
    const find = (k: string): string => {
      let x = k;
      while (parent.get(x) !== x) x = parent.get(x)!;
      return x;
    };
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        const [a, b] = [keys[i], keys[j]];
        if (this.parameterBuffers.get(a) !== this.parameterBuffers.get(b)) continue;
        if ([...wordsOf.get(a)!].some((w) => wordsOf.get(b)!.has(w))) parent.set(find(b), find(a));
      }
    }
    const joined = new Map<string, string>();
    for (const k of keys) if (find(k) !== k) joined.set(k, find(k));
    return joined;
  }
}

