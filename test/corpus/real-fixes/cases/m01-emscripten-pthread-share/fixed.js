// emscripten-core/emscripten#4668 (fixed): the heap SharedArrayBuffer is shared
// with each pthread worker, never listed as a transferable.
var PThread = {
  /** @type {any[]} */
  unusedWorkers: [],
  /** @type {any[]} */
  runningWorkers: [],
  pthreads: {},
  allocateUnusedWorker: function () {
    var worker = new Worker('a.out.worker.js');
    PThread.unusedWorkers.push(worker);
  },
  getNewWorker: function () {
    if (PThread.unusedWorkers.length == 0) PThread.allocateUnusedWorker();
    return PThread.unusedWorkers.pop();
  },
};

function spawnThread(threadParams) {
  var worker = PThread.getNewWorker();
  var pthread = (PThread.pthreads[threadParams.pthread_ptr] = {
    worker: worker,
    threadInfoStruct: threadParams.pthread_ptr,
  });
  worker.pthread = pthread;
  PThread.runningWorkers.push(worker);
  // The buffer is shared, so the main thread keeps using HEAPU8 afterwards.
  worker.postMessage({
    cmd: 'run',
    buffer: HEAPU8.buffer,
    start_routine: threadParams.startRoutine,
    arg: threadParams.arg,
    threadInfoStruct: threadParams.pthread_ptr,
    stackBase: threadParams.stackBase,
    stackSize: threadParams.stackSize,
  });
  HEAPU32[(threadParams.pthread_ptr + 8) >> 2] = 1; // thread started
}

var wasmMemory = new WebAssembly.Memory({ initial: 256, maximum: 256, shared: true });
var HEAPU8 = new Uint8Array(wasmMemory.buffer);
var HEAPU32 = new Uint32Array(wasmMemory.buffer);

function _pthread_create(pthread_ptr, attr, start_routine, arg) {
  var stackSize = 2 * 1024 * 1024;
  var stackBase = _malloc(stackSize);
  spawnThread({ pthread_ptr: pthread_ptr, startRoutine: start_routine, arg: arg, stackBase: stackBase, stackSize: stackSize });
  return 0;
}
