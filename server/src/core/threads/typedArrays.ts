// The typed-array vocabulary of shared memory: which constructors make views, and which of
// them `Atomics` accepts. Atomics work only on integer arrays (ECMAScript ValidateIntegerTypedArray):
// Float16/32/64Array and Uint8ClampedArray views of a SharedArrayBuffer can only be guarded by a lock.

export const TYPED_ARRAY_NAMES: ReadonlySet<string> = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

export const ATOMIC_ELEMENT_TYPES: ReadonlySet<string> = new Set([
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]);

export const BIGINT_ELEMENT_TYPES: ReadonlySet<string> = new Set(['BigInt64Array', 'BigUint64Array']);

/** Atomics operations that only read. */
export const ATOMIC_READS: ReadonlySet<string> = new Set(['load']);
/** Atomics operations that write (read-modify-write ones included). */
export const ATOMIC_WRITES: ReadonlySet<string> = new Set(['store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange']);
/** Atomics operations that take (typedArray, index, ...) and so touch one element. */
export const ATOMIC_ELEMENT_OPS: ReadonlySet<string> = new Set([...ATOMIC_READS, ...ATOMIC_WRITES, 'wait', 'waitAsync', 'notify']);
