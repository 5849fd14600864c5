// un-ts/synckit#217: the main thread runs a worker call synchronously. It waits once on the
// shared word, resets it, and takes the answer from the port. The worker bumps the word with
// Atomics.add and notifies after posting. An earlier call that timed out leaves its increment
// behind, so the next wait returns at once ('not-equal') before this call's answer is posted,
// and receiveMessageOnPort returns undefined. (The original retried only when an older answer
// came first; the reduction keeps the single wait.)
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

const signal = new Int32Array(new SharedArrayBuffer(4));
const { port1: mainPort, port2: workerPort } = new MessageChannel();
const worker = new Worker('./sync-worker.js', { workerData: { signal, workerPort }, transferList: [workerPort] });

export function callSync(id: number, timeout?: number): unknown {
  worker.postMessage({ id });
  const status = Atomics.wait(signal, 0, 0, timeout);
//               ^ shared-memory
  Atomics.store(signal, 0, 0);
  if (status === 'timed-out') throw new Error('worker call timed out');
  const answer = receiveMessageOnPort(mainPort) as { message: { id: number; result: unknown } };
  return answer.message.result;
}

// What the worker does after each call (in sync-worker.js), here for the reduction.
export function answered(shared: Int32Array<SharedArrayBuffer>, port: MessagePort, id: number, result: unknown): void {
  port.postMessage({ id, result });
  Atomics.add(shared, 0, 1);
  Atomics.notify(shared, 0);
}
