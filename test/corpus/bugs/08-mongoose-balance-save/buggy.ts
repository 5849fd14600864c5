// Automattic/mongoose#2367: two flows load the same document, add to `money` and save(); the
// second save writes the value it computed from its own stale copy, so one credit is lost.
interface AccountDocument {
  _id: string;
  money: number;
  save(): Promise<AccountDocument>;
}

declare const Account: {
  findById(id: string): Promise<AccountDocument | null>;
  updateOne(filter: { _id: string }, update: { $inc: { money: number } }): Promise<{ matchedCount: number }>;
};

export async function credit(accountId: string, amount: number): Promise<void> {
  const account = await Account.findById(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  account.money += amount;
  await account.save();
//      ^ lost-update
}

export async function settle(payments: Array<{ accountId: string; amount: number }>): Promise<void> {
  await Promise.all(payments.map((p) => credit(p.accountId, p.amount)));
}
