// marimo-team/marimo#921 (buggy form): the interrupt flag is raised and cleared
// with plain writes; the clear after a run can swallow an interrupt raised
// for the next run, and the read in the interpreter may never see the raise.
const SIGINT = 2;

// main thread
export class PyodideBridge {
  private interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
  constructor(private worker: Worker) {
    worker.postMessage({ type: 'set-interrupt-buffer', buffer: this.interruptBuffer });
  }
  interrupt(): void {
    this.interruptBuffer[0] = SIGINT;
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
    if (interruptBuffer) interruptBuffer[0] = 0;
    try {
      await pyodide.runPythonAsync(e.data.code);
    } finally {
      if (interruptBuffer) interruptBuffer[0] = 0;
//                         ^ shared-memory
    }
  }
};
