// opensensorhub/osh-js#66: one video data source feeding two FFMPEG views; each view transfers
// the frame's buffer to its decoding worker, so the second view posts a neutered buffer
// ("ArrayBuffer at index 0 is already neutered").
import { EventEmitter } from 'node:events';

export class FFMPEGView {
  constructor() {
    this.worker = new Worker('ffmpeg-decoder.js');
  }

  /** @param {{ timeStamp: number, frame: Uint8Array }} data */
  setData(data) {
    this.worker.postMessage({ timeStamp: data.timeStamp, pkt: data.frame }, [data.frame.buffer]);
//  ^ shared-memory
  }
}

/** @param {EventEmitter} dataSource @param {FFMPEGView[]} views */
export function connectViews(dataSource, views) {
  dataSource.on('data', (/** @type {{ timeStamp: number, frame: Uint8Array }} */ data) => {
    for (const view of views) view.setData(data);
  });
}
