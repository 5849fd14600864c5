// The drizzle database of moeru-ai/airi (apps/server/src/services/db.ts), the calls the flux
// service makes.
interface FluxRecord {
  userId: string;
  flux: number;
  stripeCustomerId?: string | null;
}

interface Returning<T> {
  returning(): Promise<T[]>;
}

export interface Database {
  query: { userFlux: { findFirst(args: { where: unknown }): Promise<FluxRecord | undefined> } };
  insert(table: unknown): { values(v: Partial<FluxRecord>): Returning<FluxRecord> };
  update(table: unknown): { set(v: Record<string, unknown>): { where(w: unknown): Returning<FluxRecord> } };
}
