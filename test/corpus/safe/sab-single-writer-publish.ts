// Safe: one writer per slot. The producer owns WRITE and publishes it with Atomics.store; the
// consumer owns READ; each side only reads the other's index with Atomics.load.
const READ = 0;
const WRITE = 1;

export function produce(control: Int32Array, data: Float64Array, value: number): boolean {
  const write = Atomics.load(control, WRITE);
  const next = (write + 1) % data.length;
  if (next === Atomics.load(control, READ)) return false;
  data[write] = value;
  Atomics.store(control, WRITE, next);
  return true;
}

export function consume(control: Int32Array, data: Float64Array): number | undefined {
  const read = Atomics.load(control, READ);
  if (read === Atomics.load(control, WRITE)) return undefined;
  const value = data[read];
  Atomics.store(control, READ, (read + 1) % data.length);
  return value;
}

export function share(worker: Worker, control: Int32Array, data: Float64Array): void {
  worker.postMessage({ control: control.buffer, data: data.buffer });
}
