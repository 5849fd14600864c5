// nikrich/hungry-ghost-hive PR #125 "fix(auto-merge): add optimistic locking to prevent race
// conditions" (reduction, fixed): a manager claims an approved pull request with one conditional
// UPDATE and merges it only if its UPDATE changed the row.
interface Database {
  run(sql: string, params: unknown[]): Promise<{ changes: number }>;
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
}
interface PullRequestRow { id: string; number: number; status: 'approved' | 'merging' | 'merged' | 'failed' }

declare function mergeOnGitHub(prNumber: number): Promise<boolean>;

export async function autoMergeApprovedPRs(db: Database, managerId: string): Promise<number> {
  const approved = await db.all<PullRequestRow>("SELECT * FROM pull_requests WHERE status = 'approved'", []);
  let merged = 0;
  for (const pr of approved) {
    const claim = await db.run(
      "UPDATE pull_requests SET status = 'merging', claimed_by = ? WHERE id = ? AND status = 'approved'",
      [managerId, pr.id],
    );
    if (claim.changes === 0) continue; // another manager claimed it first

    const ok = await mergeOnGitHub(pr.number);
    await db.run('UPDATE pull_requests SET status = ? WHERE id = ?', [ok ? 'merged' : 'failed', pr.id]);
    if (ok) merged++;
  }
  return merged;
}
