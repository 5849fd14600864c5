// code100x/neet-results-2024 before PR #3 (buggy twin): workers share an in-memory cursor
import { PrismaClient } from '@prisma/client';
import { fetchResult } from './scraper';

const prisma = new PrismaClient();
let nextId = 1;

async function worker() {
  for (;;) {
    const app = await prisma.application.findFirst({ where: { id: { gte: nextId }, status: 'PENDING' } });
    if (!app) return;
    nextId = app.id + 1;
//  ^ lost-update
    const result = await fetchResult(app.applicationNumber, app.dateOfBirth);
    await prisma.application.update({ where: { id: app.id }, data: { status: 'DONE', marks: result.marks } });
  }
}

for (let i = 0; i < 8; i++) void worker();
