// code100x/neet-results-2024 PR #3 "resolved worker race condition using Prisma transactions" (reduction, fixed)
import { PrismaClient } from '@prisma/client';
import { fetchResult } from './scraper';

const prisma = new PrismaClient();

async function claimNextApplication(workerId: string) {
  return prisma.$transaction(async (tx) => {
    const next = await tx.application.findFirst({
      where: { status: 'PENDING' },
      orderBy: { id: 'asc' },
    });
    if (!next) return null;
    const claimed = await tx.application.updateMany({
      where: { id: next.id, status: 'PENDING' },
      data: { status: 'IN_PROGRESS', workerId },
    });
    return claimed.count === 1 ? next : null;
  });
}

async function worker(workerId: string) {
  for (;;) {
    const app = await claimNextApplication(workerId);
    if (!app) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      const result = await fetchResult(app.applicationNumber, app.dateOfBirth);
      await prisma.application.update({
        where: { id: app.id },
        data: { status: 'DONE', marks: result.marks, rank: result.rank },
      });
    } catch {
      await prisma.application.update({ where: { id: app.id }, data: { status: 'PENDING', workerId: null } });
    }
  }
}

for (let i = 0; i < 8; i++) void worker(`w${i}`);
