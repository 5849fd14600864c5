// snapshot-labs/snapshot-sidekick PR #48 (fixed): processItem() records the id in
// `processingItems` before its first await, and run() skips an id that is still being processed,
// so a report that outlasts a poll is not generated a second time.
import { sleep, storageEngine } from './utils.js';
import VotesReport from './votesReport.js';

export const queues = new Set<string>();
const processingItems = new Set<string>();

async function processItem(id: string) {
  console.log(`[queue] Processing queue item: ${id}`);
  try {
    processingItems.add(id);
    await new VotesReport(id, storageEngine(process.env.VOTE_REPORT_SUBDIR)).generateCacheFile();
  } catch (e) {
    console.error(`[queue] Error while processing item`, e);
  } finally {
    queues.delete(id);
    processingItems.delete(id);
  }
}

async function run() {
  try {
    console.log(`[queue] Poll queue (found ${queues.size} items)`);
    queues.forEach(async (item) => {
      if (processingItems.has(item)) {
        console.log(`[queue] Skip: ${item} is currently being processed`);
        return;
      }

      processItem(item);
    });
  } catch (e) {
    console.error(e);
  } finally {
    await sleep(15e3);
    await run();
  }
}

run();
