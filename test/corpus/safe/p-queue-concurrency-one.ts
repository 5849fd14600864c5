// Safe: a PQueue with concurrency 1 owns the shared cursor; each task reads and writes it only
// while it is the one task running.
import PQueue from 'p-queue';

declare function fetchPage(cursor: string | undefined): Promise<{ items: string[]; next?: string }>;

const queue = new PQueue({ concurrency: 1 });
let cursor: string | undefined;
export const seen: string[] = [];

async function pullNextPage(): Promise<void> {
  const page = await fetchPage(cursor);
  seen.push(...page.items);
  cursor = page.next;
}

export async function pullPages(count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => queue.add(pullNextPage)));
}
