// moeru-ai/airi commit 9ec7171 ("fix: concurrency", in PR #1024): getFlux() only makes sure the
// record exists; the balance is changed by the database in one statement (`flux = flux - amount`
// where `flux >= amount`, `flux = flux + amount`), so no value read before an await is written
// back, and a consume with too little balance matches no row.
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Database } from './db.js';
import * as schema from './schema.js';

export function createFluxService(db: Database) {
  return {
    async getFlux(userId: string) {
      const record = await db.query.userFlux.findFirst({
        where: eq(schema.userFlux.userId, userId),
      });

      if (!record) {
        throw new Error('No flux record');
      }

      return record;
    },

    async consumeFlux(userId: string, amount: number) {
      await this.getFlux(userId);

      const result = await db.update(schema.userFlux)
        .set({
          flux: sql`${schema.userFlux.flux} - ${amount}`,
          updatedAt: new Date(),
        })
        .where(and(eq(schema.userFlux.userId, userId), gte(schema.userFlux.flux, amount)))
        .returning();

      if (result.length === 0) {
        throw new Error('Insufficient flux');
      }

      return result[0];
    },

    async addFlux(userId: string, amount: number) {
      await this.getFlux(userId);

      const [updated] = await db.update(schema.userFlux)
        .set({
          flux: sql`${schema.userFlux.flux} + ${amount}`,
          updatedAt: new Date(),
        })
        .where(eq(schema.userFlux.userId, userId))
        .returning();

      return updated;
    },
  };
}

export type FluxService = ReturnType<typeof createFluxService>;
