// The Prisma client of Sachinchaurasiya360/InternHack (server/src/database/db.ts), the models the
// usage limit uses.
export type UsageAction = 'ATS_SCORE' | 'COVER_LETTER' | 'GENERATE_RESUME' | 'CODE_RUN';

interface UsageLogDelegate {
  count(args: { where: { userId: number; action: UsageAction; createdAt: { gte: Date } } }): Promise<number>;
  create(args: { data: { userId: number; action: UsageAction } }): Promise<{ id: number }>;
}

interface UserDelegate {
  findUnique(args: { where: { id: number }; select: Record<string, boolean> }): Promise<{ subscriptionPlan: string; subscriptionStatus: string } | null>;
}

export interface TransactionClient {
  usageLog: UsageLogDelegate;
  user: UserDelegate;
}

export declare const prisma: TransactionClient & {
  $transaction<T>(fn: (tx: TransactionClient) => Promise<T>, options?: { isolationLevel?: 'Serializable' | 'ReadCommitted' }): Promise<T>;
};
