// Globals of the environments some cases run in (an extension service worker, an audio worklet,
// an emscripten runtime, a page with an app API on window), declared only as far as the cases use them.
declare namespace chrome.storage {
  interface StorageArea {
    get(keys: string | string[] | null): Promise<Record<string, any>>;
  }
  const local: StorageArea;
}
declare namespace chrome.alarms {
  function create(name: string, info: { periodInMinutes?: number }): void;
  const onAlarm: { addListener(listener: () => void): void };
}
declare class AudioWorkletProcessor {
  constructor();
}
declare function registerProcessor(name: string, processor: new (options: any) => AudioWorkletProcessor): void;
declare var audioCtx: AudioContext;
declare function _malloc(size: number): number;
interface Window {
  eventraApi: any;
}
