// Types of bin/parse-snapshot-start.js for the bundle, which inlines it.
export declare const DIRECT_ENV: string;
export declare function snapshotMode(env: NodeJS.ProcessEnv): 'auto' | 'sync' | 'off';
export declare function snapshotNodeFlags(ownFlags: readonly string[]): string[];
export declare function ownNodeFlags(execArgv: readonly string[], startedFromSnapshot: boolean): string[];
export declare function runSnapshotProcess(blob: string, ownFlags: readonly string[], argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): number | undefined;
export declare function startFromSnapshot(bundle: string, argv: readonly string[], cwd?: string): number | undefined;
export interface Invocation {
  cwd: string;
  argv: readonly string[];
  nodeFlags: readonly string[];
  bundle: string;
  blob: string;
}
export declare function hasStamp(cacheDir: string, stamp: Invocation): boolean;
export declare function writeStamp(cacheDir: string, stamp: Invocation & { files: readonly string[] }): boolean;
