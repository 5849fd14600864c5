// snapshot-labs/snapshot-sidekick src/helpers/utils.ts.
export declare function sleep(ms: number): Promise<void>;
export declare function storageEngine(subDir?: string): unknown;
