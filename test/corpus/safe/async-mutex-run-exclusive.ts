// Safe: the read-modify-write of the shared balance runs inside Mutex.runExclusive, so no other
// task reads the balance between this task's read and its write.
import { Mutex } from 'async-mutex';

declare function loadBalance(account: string): Promise<number>;
declare function saveBalance(account: string, value: number): Promise<void>;

const ledgerLock = new Mutex();

export function deposit(account: string, amount: number): Promise<number> {
  return ledgerLock.runExclusive(async () => {
    const balance = await loadBalance(account);
    const next = balance + amount;
    await saveBalance(account, next);
    return next;
  });
}

export async function payroll(account: string, amounts: number[]): Promise<void> {
  await Promise.all(amounts.map((a) => deposit(account, a)));
}
