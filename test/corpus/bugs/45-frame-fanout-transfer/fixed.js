// Fix: a view transfers a copy of the frame it was given, so other views (and the data
// source's buffer) keep their bytes.
import { EventEmitter } from 'node:events';

export class FFMPEGView {
  constructor() {
    this.worker = new Worker('ffmpeg-decoder.js');
  }

  /** @param {{ timeStamp: number, frame: Uint8Array }} data */
  setData(data) {
    const pkt = data.frame.slice();
    this.worker.postMessage({ timeStamp: data.timeStamp, pkt }, [pkt.buffer]);
  }
}

/** @param {EventEmitter} dataSource @param {FFMPEGView[]} views */
export function connectViews(dataSource, views) {
  dataSource.on('data', (/** @type {{ timeStamp: number, frame: Uint8Array }} */ data) => {
    for (const view of views) view.setData(data);
  });
}
