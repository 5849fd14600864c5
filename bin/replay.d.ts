// Types of bin/replay.js for the bundle, which inlines it.
export interface ReplayTrace {
  /** Set by the run when it may be replayed: its bundle, cache directory and number of files. */
  eligible?: { bundle: string; cacheDir: string; files: number };
  /** Why no record was written (for --debug), once finished. */
  why?: string;
  /** What the run wrote to stdout and stderr so far (not --debug's lines), one entry a write. */
  readonly output: readonly unknown[];
  /** Why the trace cannot be trusted, if it cannot. */
  tainted?: string;
}
export declare const RECORD_NAME: string;
/** What a path says now: device, inode, mode, size, mtime and ctime (ns), `-` if missing, `!CODE` on another error. */
export declare function statOf(p: string): string;
export declare function install(): void;
export declare function startTrace(argv: readonly string[], cwd: string): ReplayTrace | undefined;
export declare function quietly<T>(trace: ReplayTrace | undefined, write: () => T): T;
export declare function unrecordedReads<T>(trace: ReplayTrace | undefined, work: () => T): T;
export interface ReadsCheckpoint {
  reads: number;
  realpaths: number;
  listed: number;
}
export declare function readsCheckpoint(trace: ReplayTrace | undefined): ReadsCheckpoint | undefined;
export declare function forgetReadsSince(trace: ReplayTrace | undefined, checkpoint: ReadsCheckpoint | undefined): void;
export declare function finishTrace(trace: ReplayTrace, code: number): boolean;
export declare function replay(bundle: string, argv: readonly string[], cwd?: string): number | undefined;
