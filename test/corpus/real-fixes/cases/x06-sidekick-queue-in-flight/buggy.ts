// snapshot-labs/snapshot-sidekick PR #48 (buggy twin): the API adds proposal ids to the module's
// `queues` set; every 15 s run() hands each queued id to processItem(), which leaves the id in the
// set until its report is written. A report that takes longer than one poll is picked up again by
// the next poll and generated twice at the same time.
import { sleep, storageEngine } from './utils.js';
import VotesReport from './votesReport.js';

export const queues = new Set<string>();

async function processItem(id: string) {
  console.log(`[queue] Processing queue item: ${id}`);
  try {
    await new VotesReport(id, storageEngine(process.env.VOTE_REPORT_SUBDIR)).generateCacheFile();
  } catch (e) {
    console.error(`[queue] Error while processing item`, e);
  } finally {
    queues.delete(id);
//  ^ check-then-act
  }
}

async function run() {
  try {
    console.log(`[queue] Poll queue (found ${queues.size} items)`);
    queues.forEach(async (item) => processItem(item));
  } catch (e) {
    console.error(e);
  } finally {
    await sleep(15e3);
    await run();
  }
}

run();
