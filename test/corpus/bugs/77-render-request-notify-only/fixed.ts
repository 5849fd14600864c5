// Fix: the audio thread raises REQUEST_RENDER with Atomics.store before it notifies, and the
// worker takes the request with Atomics.exchange, so a request made while it renders is seen
// by its next wait ('not-equal') instead of being lost.
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
      Atomics.store(states, REQUEST_RENDER, 1);
      Atomics.notify(states, REQUEST_RENDER, 1);
    }
  }
}

// The render worker's loop (a separate worker script in the sample).
export function renderLoop(states: Int32Array<SharedArrayBuffer>, render: () => void): void {
  for (;;) {
    Atomics.wait(states, REQUEST_RENDER, 0);
    if (Atomics.exchange(states, REQUEST_RENDER, 0) === 0) continue;
    render();
    Atomics.sub(states, FRAMES_AVAILABLE, KERNEL_LENGTH);
  }
}
