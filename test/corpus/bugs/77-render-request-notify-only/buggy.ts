// GoogleChromeLabs/web-audio-samples, AudioWorklet shared-buffer design pattern (issue #177, where
// the maintainer confirms the pattern races; the REQUEST_RENDER protocol is described in
// google/WebFundamentals PR #6287). The audio thread wakes the render worker with Atomics.notify
// on REQUEST_RENDER but never writes REQUEST_RENDER, and the worker sleeps while it is 0. A
// notify that arrives while the worker is still rendering the previous block wakes nobody, and
// the worker then sleeps on the unchanged 0 although a block is waiting: the output underruns.
const REQUEST_RENDER = 0;
const FRAMES_AVAILABLE = 1;
const KERNEL_LENGTH = 1024;

export class RenderRequester {
  private states: Int32Array<SharedArrayBuffer> | undefined;

  constructor(port: MessagePort) {
    port.onmessage = (e: MessageEvent<{ states: Int32Array<SharedArrayBuffer> }>) => {
      this.states = e.data.states;
    };
  }

  afterQuantum(): void {
    const states = this.states;
    if (!states) return;
    if (Atomics.load(states, FRAMES_AVAILABLE) >= KERNEL_LENGTH) {
      Atomics.notify(states, REQUEST_RENDER, 1);
//    ^ shared-memory
    }
  }
}

// The render worker's loop (a separate worker script in the sample).
export function renderLoop(states: Int32Array<SharedArrayBuffer>, render: () => void): void {
  while (Atomics.wait(states, REQUEST_RENDER, 0) === 'ok') {
    render();
    Atomics.sub(states, FRAMES_AVAILABLE, KERNEL_LENGTH);
    Atomics.store(states, REQUEST_RENDER, 0);
  }
}
