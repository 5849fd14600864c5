// Fix: make the check part of the write. One conditional UPDATE ... WHERE balance >= total; if
// no row changed, the balance did not cover the order at the moment of the write.
import express from 'express';
import type { ModelStatic } from 'sequelize';

interface Wallet {
  UserId: number;
  balance: number;
}

declare const WalletModel: ModelStatic<Wallet> & {
  debitIfCovered(UserId: number, amount: number): Promise<number>;
};
declare function orderTotal(basketId: string): Promise<number>;

const app = express();

app.post('/rest/basket/:id/checkout', async (req, res) => {
  const UserId = Number(req.body.UserId);
  const total = await orderTotal(req.params.id);
  // UPDATE Wallets SET balance = balance - :total WHERE UserId = :UserId AND balance >= :total
  const changedRows = await WalletModel.debitIfCovered(UserId, total);
  if (changedRows === 0) return res.status(402).json({ error: 'Insufficient wallet balance.' });
  res.json({ paid: total });
});
