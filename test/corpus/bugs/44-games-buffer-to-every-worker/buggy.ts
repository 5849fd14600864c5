// yschroe/chessalyzer PR #19: an analysis with several configs sent the same games buffer to
// every worker with the buffer in the transfer list; after the first postMessage the buffer
// was detached and the next workers failed ("Underlying ArrayBuffer has been detached").
import { Worker } from 'node:worker_threads';

interface Config {
  name: string;
  trackers: string[];
}

export function analyze(games: Uint8Array, configs: Config[]): Promise<unknown[]> {
  return Promise.all(
    configs.map((config) => {
      const worker = new Worker(new URL('./analysis-worker.js', import.meta.url));
      const done = new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage({ config, games }, [games.buffer as ArrayBuffer]);
//    ^ shared-memory
      return done;
    }),
  );
}
