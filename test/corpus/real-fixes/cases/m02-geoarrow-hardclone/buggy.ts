// geoarrow/geoarrow-js#17 (buggy): the table's own buffers are transferred, so
// the table is left with detached arrays after the first post.
interface ArrowData {
  offsets: Int32Array;
  values: Float64Array;
  length: number;
}

export function preparePostMessage(data: ArrowData): [ArrowData, ArrayBuffer[]] {
  const transferables = [data.offsets.buffer as ArrayBuffer, data.values.buffer as ArrayBuffer];
  return [data, transferables];
}

export class GeometryTable {
  private coords: ArrowData;
  private worker: Worker;

  constructor(coords: ArrowData, worker: Worker) {
    this.coords = coords;
    this.worker = worker;
  }

  triangulate(): void {
    const [message, transfer] = preparePostMessage(this.coords);
    this.worker.postMessage({ type: 'triangulate', data: message }, transfer);
//  ^ shared-memory
  }

  bounds(): [number, number] {
    let min = Infinity;
    let max = -Infinity;
    for (const v of this.coords.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return [min, max];
  }
}
