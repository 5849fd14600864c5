// Fix: keep waiting until the answer with this call's id has arrived; a wake-up or a count left
// by an earlier call no longer counts as the answer.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

const signal = new Int32Array(new SharedArrayBuffer(4));
const { port1: mainPort, port2: workerPort } = new MessageChannel();
const worker = new Worker('./sync-worker.js', { workerData: { signal, workerPort }, transferList: [workerPort] });

export function callSync(id: number, timeout?: number): unknown {
  worker.postMessage({ id });
  for (;;) {
    const status = Atomics.wait(signal, 0, 0, timeout);
    Atomics.store(signal, 0, 0);
    if (status === 'timed-out') throw new Error('worker call timed out');
    const answer = receiveMessageOnPort(mainPort) as { message: { id: number; result: unknown } } | undefined;
    if (answer && answer.message.id === id) return answer.message.result;
  }
}

// What the worker does after each call (in sync-worker.js), here for the reduction.
export function answered(shared: Int32Array<SharedArrayBuffer>, port: MessagePort, id: number, result: unknown): void {
  port.postMessage({ id, result });
  Atomics.add(shared, 0, 1);
  Atomics.notify(shared, 0);
}
