// The Member model of TheBastionBot/Bastion (src/models/Member.ts, a mongoose model), as the
// claim command uses it.
export interface MemberDocument {
  user: string;
  guild: string;
  balance: number;
  lastClaimed: number;
  claimStreak: number;
  save(): Promise<MemberDocument>;
}

declare const MemberModel: {
  findOne(filter: Record<string, unknown>): Promise<MemberDocument | null>;
  updateOne(filter: Record<string, unknown>, update: Record<string, unknown>): Promise<{ matchedCount: number; modifiedCount: number }>;
};
export default MemberModel;
