// Fix (the workaround given in the issue): hand each writeFile a copy of the bytes, so `source`
// stays attached for the next instance.
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
  probe.writeFile('input', new Uint8Array(source.slice(0)));
  probe.exec(['-i', 'input']);
  const convert = new FFmpeg();
  convert.writeFile('input', new Uint8Array(source.slice(0)));
  convert.exec(['-i', 'input', 'output.mp4']);
}
