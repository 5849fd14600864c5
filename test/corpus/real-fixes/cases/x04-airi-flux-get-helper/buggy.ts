// moeru-ai/airi PR #1024 before commit 9ec7171 ("fix: concurrency") (buggy twin): the flux
// service reads the user's balance through its own getFlux() helper, then writes the balance it
// computed from that read: two requests that consume (or a purchase and a request) both read the
// same balance, and the last update drops the other's change; two consumes can both pass the
// balance check.
import { eq } from 'drizzle-orm';
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
      const record = await this.getFlux(userId);
      if (record.flux < amount) {
        throw new Error('Insufficient flux');
      }

      const [updated] = await db.update(schema.userFlux)
//                            ^ lost-update
        .set({
          flux: record.flux - amount,
          updatedAt: new Date(),
        })
        .where(eq(schema.userFlux.userId, userId))
        .returning();

      return updated;
    },

    async addFlux(userId: string, amount: number) {
      const record = await this.getFlux(userId);
      const [updated] = await db.update(schema.userFlux)
//                            ^ lost-update
        .set({
          flux: record.flux + amount,
          updatedAt: new Date(),
        })
        .where(eq(schema.userFlux.userId, userId))
        .returning();

      return updated;
    },
  };
}

export type FluxService = ReturnType<typeof createFluxService>;
