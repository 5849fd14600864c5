// The VotesReport class of snapshot-labs/snapshot-sidekick (src/lib/votesReport.ts): builds a
// proposal's votes CSV and stores it, which can take longer than one poll interval.
export default class VotesReport {
  constructor(id: string, storage: unknown);
  generateCacheFile(): Promise<void>;
}
