// kenlasko/monize issue #99 (buggy twin): updateBalance() reads the balance, adds in JavaScript and
// saves it back; two concurrent -50 transactions on 1000 both store 950.
import type { Repository } from 'typeorm';

export class Account {
  id!: string;
  currentBalance!: number;
}

export class AccountsService {
  constructor(private readonly accountsRepository: Repository<Account>) {}

  async updateBalance(accountId: string, amount: number): Promise<Account> {
    const account = await this.accountsRepository.findOneOrFail({ where: { id: accountId } });
    account.currentBalance = Math.round((Number(account.currentBalance) + amount) * 100) / 100;
    return this.accountsRepository.save(account);
//         ^ lost-update
  }

  async recordTransaction(accountId: string, amount: number): Promise<Account> {
    return this.updateBalance(accountId, amount);
  }
}
