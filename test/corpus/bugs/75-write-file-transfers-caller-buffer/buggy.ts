// ffmpegwasm/ffmpeg.wasm#911: FFmpeg#writeFile posts the file to the ffmpeg worker with the
// data's ArrayBuffer in the transfer list. A caller that wraps its downloaded bytes
// (`new Uint8Array(source)`) hands writeFile a view over `source` itself, so the first call
// detaches `source`; wrapping it again for the next instance throws "Cannot perform Construct
// on a detached ArrayBuffer".
export class FFmpeg {
  private readonly worker = new Worker(new URL('./ffmpeg-worker.js', import.meta.url), { type: 'module' });
  private nextId = 0;

  writeFile(path: string, data: Uint8Array): void {
    this.worker.postMessage({ id: this.nextId++, type: 'WRITE_FILE', path, data }, [data.buffer]);
  }

  exec(args: string[]): void {
    this.worker.postMessage({ id: this.nextId++, type: 'EXEC', args });
  }
}

export function probeThenConvert(source: ArrayBuffer): void {
  const probe = new FFmpeg();
  probe.writeFile('input', new Uint8Array(source));
  probe.exec(['-i', 'input']);
  const convert = new FFmpeg();
  convert.writeFile('input', new Uint8Array(source));
//                                          ^ shared-memory
  convert.exec(['-i', 'input', 'output.mp4']);
}
