// react/react#16488 (React DevTools): the renderer sent its operations array across the bridge
// with the buffer in the transfer list, but DevTools code still referenced the array afterwards
// and found it detached. DevTools stopped transferring (the issue tracks re-enabling it).
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
  port.postMessage({ event: 'operations', payload: operations }, [operations.buffer]);
  const rootId = operations[1];
//               ^ shared-memory
  console.log(`flushed ${pendingOperations.length} pending, root ${rootId}`);
}

/** @param {MessagePort} port @param {number[]} ops */
export function onCommitRoot(port, ops) {
  ops.forEach(recordOperation);
  flushPendingOperations(port);
}
