// Fix (the PR): give each worker its own copy of the buffer when there is more than one config;
// only a single-config run transfers the original.
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
      const own = configs.length > 1 ? games.slice() : games;
      worker.postMessage({ config, games: own }, [own.buffer as ArrayBuffer]);
      return done;
    }),
  );
}
