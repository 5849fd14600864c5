// app-vitals/shipwright PR #711 as reviewed (buggy twin): both agents find no record and both
// create it; the losing INSERT's P2002 propagates unhandled and the request fails with a 500.
import { PrismaClient } from '@prisma/client';

export class ConflictError extends Error {}

export class PullRequestService {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(repo: string, prNumber: number, claimedBy: string) {
    return this.prisma.$transaction(async (tx: any) => {
      const existing = await tx.pullRequest.findUnique({ where: { repo_prNumber: { repo, prNumber } } });
      if (existing) throw new ConflictError(`pr ${repo}#${prNumber} is already claimed`);

      const now = new Date();
      const record = await tx.pullRequest.create({
//                         ^ check-then-act
        data: { repo, prNumber, reviewState: 'in_progress', claimedBy, claimedAt: now, heartbeatAt: now },
      });
      return { status: 201 as const, record };
    });
  }
}
