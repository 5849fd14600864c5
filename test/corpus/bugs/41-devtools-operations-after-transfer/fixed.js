// Fix (what DevTools shipped): read what is needed before sending, and send without a transfer
// list, so the bridge gets a structured-clone copy and the renderer's array stays usable.
/** @type {number[]} */
let pendingOperations = [];

/** @param {number} op */
export function recordOperation(op) {
  pendingOperations.push(op);
}

/** @param {MessagePort} port */
export function flushPendingOperations(port) {
  const operations = Uint32Array.from(pendingOperations);
  pendingOperations = [];
  const rootId = operations[1];
  port.postMessage({ event: 'operations', payload: operations });
  console.log(`flushed ${pendingOperations.length} pending, root ${rootId}`);
}

/** @param {MessagePort} port @param {number[]} ops */
export function onCommitRoot(port, ops) {
  ops.forEach(recordOperation);
  flushPendingOperations(port);
}
