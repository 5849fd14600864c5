// geoarrow/geoarrow-js#17 (fixed): a view over part of a larger buffer is
// hard-cloned before its buffer is transferred, so the table keeps its data.
interface ArrowData {
  offsets: Int32Array;
  values: Float64Array;
  length: number;
}

function hardClone(data: ArrowData, force = false): ArrowData {
  const shares = (a: ArrayBufferView) => a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength;
  if (!force && !shares(data.offsets) && !shares(data.values)) return data;
  return {
    offsets: data.offsets.slice(),
    values: data.values.slice(),
    length: data.length,
  };
}

export function preparePostMessage(data: ArrowData): [ArrowData, ArrayBuffer[]] {
  const cloned = hardClone(data);
  const transferables = [cloned.offsets.buffer as ArrayBuffer, cloned.values.buffer as ArrayBuffer];
  return [cloned, transferables];
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
