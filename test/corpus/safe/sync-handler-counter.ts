// Safe: the shared counters are updated inside event handlers that never await; a handler runs
// to completion before any other one starts.
import { EventEmitter } from 'node:events';

export const stats = { requests: 0, bytes: 0, maxSize: 0 };

export function instrument(server: EventEmitter): void {
  server.on('request', (req: { size: number }) => {
    stats.requests++;
    stats.bytes = stats.bytes + req.size;
    if (req.size > stats.maxSize) stats.maxSize = req.size;
  });
  setInterval(() => {
    stats.requests = 0;
  }, 60_000);
}
