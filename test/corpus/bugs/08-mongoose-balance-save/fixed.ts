// Fix: an atomic $inc update; the database adds the amount to whatever the balance is now.
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
  const result = await Account.updateOne({ _id: accountId }, { $inc: { money: amount } });
  if (result.matchedCount === 0) throw new Error(`no account ${accountId}`);
}

export async function settle(payments: Array<{ accountId: string; amount: number }>): Promise<void> {
  await Promise.all(payments.map((p) => credit(p.accountId, p.amount)));
}
