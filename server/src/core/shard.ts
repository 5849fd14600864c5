// `--shard i/n`: which files one of n CI jobs lints. A file goes to the shard picked by a stable
// hash of its path relative to the repository root, so every job agrees on the split without
// talking to the others, the split does not depend on the machine's absolute paths, and adding
// a file moves no other file to another shard (a cache keyed per file stays warm).
import { createHash } from 'node:crypto';
import * as path from 'node:path';

export interface Shard {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

/** Parses "i/n" (1 ≤ i ≤ n); returns undefined when it is not of that form. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/** The shard (1-based) a file belongs to. */
export function shardOfFile(file: string, root: string, count: number): number {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const digest = createHash('sha1').update(rel).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The files of `files` that belong to `shard`, in their original order. */
export function filesOfShard(files: readonly string[], root: string, shard: Shard): string[] {
  return files.filter((f) => shardOfFile(f, root, shard.count) === shard.index);
}
