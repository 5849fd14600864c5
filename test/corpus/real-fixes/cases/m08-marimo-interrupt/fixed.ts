// marimo-team/marimo#921 (fixed form): the interrupt flag in shared memory is
// raised by the main thread with Atomics.store and cleared by the worker with
// Atomics.store before each run; nobody writes it plainly.
const SIGINT = 2;

// main thread
export class PyodideBridge {
  private interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
  constructor(private worker: Worker) {
    worker.postMessage({ type: 'set-interrupt-buffer', buffer: this.interruptBuffer });
  }
  interrupt(): void {
    Atomics.store(this.interruptBuffer, 0, SIGINT);
  }
  run(code: string): void {
    this.worker.postMessage({ type: 'run', code });
  }
}

// worker
declare const pyodide: { setInterruptBuffer(b: Uint8Array): void; runPythonAsync(c: string): Promise<unknown> };
let interruptBuffer: Uint8Array | undefined;
self.onmessage = async (e: MessageEvent) => {
  if (e.data.type === 'set-interrupt-buffer') {
    interruptBuffer = e.data.buffer;
    pyodide.setInterruptBuffer(e.data.buffer);
    return;
  }
  if (e.data.type === 'run') {
    if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0);
    try {
      await pyodide.runPythonAsync(e.data.code);
    } finally {
      if (interruptBuffer) Atomics.store(interruptBuffer, 0, 0);
    }
  }
};
