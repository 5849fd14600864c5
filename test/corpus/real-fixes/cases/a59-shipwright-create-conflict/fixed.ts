// app-vitals/shipwright PR #711 (review fix; reduction, fixed): two agents that both find no
// record race to create it; the losing INSERT fails on the unique index (Prisma P2002), and the
// service turns that into a 409 instead of a 500. (Cut down to the create path: see the README.)
import { PrismaClient } from '@prisma/client';

export class ConflictError extends Error {}

export class PullRequestService {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(repo: string, prNumber: number, claimedBy: string) {
    return this.prisma.$transaction(async (tx: any) => {
      const existing = await tx.pullRequest.findUnique({ where: { repo_prNumber: { repo, prNumber } } });
      if (existing) throw new ConflictError(`pr ${repo}#${prNumber} is already claimed`);

      const now = new Date();
      try {
        const record = await tx.pullRequest.create({
          data: { repo, prNumber, reviewState: 'in_progress', claimedBy, claimedAt: now, heartbeatAt: now },
        });
        return { status: 201 as const, record };
      } catch (err: unknown) {
        if (typeof err === 'object' && err !== null && 'code' in err && (err as { code: string }).code === 'P2002') {
          throw new ConflictError(`pr ${repo}#${prNumber} is already claimed`);
        }
        throw err;
      }
    });
  }
}
