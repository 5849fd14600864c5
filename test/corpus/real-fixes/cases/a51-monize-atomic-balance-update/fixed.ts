// kenlasko/monize issue #99 "Non-atomic balance update - race condition regression" (reduction of
// the fix the issue recommends): the balance is changed by one UPDATE that adds to the stored
// value in SQL, then the account is read back.
import type { Repository } from 'typeorm';

export class Account {
  id!: string;
  currentBalance!: number;
}

export class AccountsService {
  constructor(private readonly accountsRepository: Repository<Account>) {}

  async updateBalance(accountId: string, amount: number): Promise<Account | null> {
    await this.accountsRepository
      .createQueryBuilder()
      .update(Account)
      .set({ currentBalance: () => 'ROUND((current_balance + :amount) * 100) / 100' })
      .setParameter('amount', amount)
      .where('id = :id', { id: accountId })
      .execute();
    return this.accountsRepository.findOne({ where: { id: accountId } });
  }

  async recordTransaction(accountId: string, amount: number): Promise<Account | null> {
    return this.updateBalance(accountId, amount);
  }
}
