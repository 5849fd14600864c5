// piscinajs/piscina worker (reduction of its Atomics wait loop; the ordering its comment gives
// to avoid a race): an idle worker sleeps on the request counter the parent bumps, records the
// count it saw before draining the port, so a request posted while it drains is not slept
// through, and counts each response with Atomics.add.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

const kRequestCountField = 0;
const kResponseCountField = 1;

interface RequestMessage { taskId: number; task: unknown }

declare function runHandler(task: unknown): Promise<unknown>;

let currentTasks = 0;
let lastSeenRequestCount = 0;

function atomicsWaitLoop(port: MessagePort, sharedBuffer: Int32Array): void {
  while (currentTasks === 0) {
    Atomics.wait(sharedBuffer, kRequestCountField, lastSeenRequestCount);
    lastSeenRequestCount = Atomics.load(sharedBuffer, kRequestCountField);

    // Read messages only after updating lastSeenRequestCount (a request posted meanwhile bumps
    // the counter past it, so the next wait returns at once).
    let entry;
    while ((entry = receiveMessageOnPort(port)) !== undefined) {
      onMessage(port, sharedBuffer, entry.message);
    }
  }
}

function onMessage(port: MessagePort, sharedBuffer: Int32Array, message: RequestMessage): void {
  currentTasks++;
  const { taskId, task } = message;
  (async () => {
    let response;
    try {
      response = { taskId, result: await runHandler(task), error: null };
    } catch (error) {
      response = { taskId, result: null, error };
    }
    currentTasks--;
    port.postMessage(response);
    Atomics.add(sharedBuffer, kResponseCountField, 1);
    atomicsWaitLoop(port, sharedBuffer);
  })().catch((error) => process.nextTick(() => { throw error; }));
}

parentPort!.on('message', (message: { port: MessagePort; sharedBuffer: Int32Array }) => {
  const { port, sharedBuffer } = message;
  port.on('message', (m: RequestMessage) => onMessage(port, sharedBuffer, m));
  atomicsWaitLoop(port, sharedBuffer);
});
