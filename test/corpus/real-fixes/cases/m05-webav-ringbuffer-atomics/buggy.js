// WebAV-Tech/WebAV#377 ring buffer (buggy form): the pointers are read and
// written plainly, so a push and a pop on two threads see stale or torn indices.
class RingBuffer {
  static getStorageForCapacity(capacity, type) {
    return new SharedArrayBuffer(8 + (capacity + 1) * type.BYTES_PER_ELEMENT);
  }
  constructor(sab, type) {
    this._capacity = (sab.byteLength - 8) / type.BYTES_PER_ELEMENT;
    this.write_ptr = new Uint32Array(sab, 0, 1);
    this.read_ptr = new Uint32Array(sab, 4, 1);
    this.storage = new type(sab, 8, this._capacity);
  }
  push(elements) {
    const rd = this.read_ptr[0];
    const wr = this.write_ptr[0];
    if ((wr + 1) % this._capacity === rd) return 0;
    const n = Math.min(elements.length, (rd - wr - 1 + this._capacity) % this._capacity);
    for (let i = 0; i < n; i++) this.storage[(wr + i) % this._capacity] = elements[i];
    this.write_ptr[0] = (wr + n) % this._capacity;
//  ^ shared-memory
    return n;
  }
  pop(elements) {
    const rd = this.read_ptr[0];
    const wr = this.write_ptr[0];
    if (wr === rd) return 0;
    const n = Math.min(elements.length, (wr - rd + this._capacity) % this._capacity);
    for (let i = 0; i < n; i++) elements[i] = this.storage[(rd + i) % this._capacity];
    this.read_ptr[0] = (rd + n) % this._capacity;
    return n;
  }
}

const sab = RingBuffer.getStorageForCapacity(4096, Float32Array);
const rb = new RingBuffer(sab, Float32Array);
const node = new AudioWorkletNode(audioCtx, 'pcm-player', { processorOptions: { sab } });
decoder.ondata = (pcm) => rb.push(pcm);

class PcmPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.rb = new RingBuffer(options.processorOptions.sab, Float32Array);
  }
  process(inputs, outputs) {
    this.rb.pop(outputs[0][0]);
    return true;
  }
}
registerProcessor('pcm-player', PcmPlayer);
