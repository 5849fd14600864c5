// juice-shop/juice-shop#2997: checkout loaded the wallet, checked that the balance covers the
// total and then decremented it; parallel orders all passed the check against the same balance
// and spent the money twice.
import express from 'express';
import type { ModelStatic } from 'sequelize';

interface Wallet {
  UserId: number;
  balance: number;
}

declare const WalletModel: ModelStatic<Wallet>;
declare function orderTotal(basketId: string): Promise<number>;

const app = express();

app.post('/rest/basket/:id/checkout', async (req, res) => {
  const UserId = Number(req.body.UserId);
  const total = await orderTotal(req.params.id);
  const wallet = await WalletModel.findOne({ where: { UserId } });
  if (!wallet || wallet.balance < total) return res.status(402).json({ error: 'Insufficient wallet balance.' });
  await WalletModel.decrement('balance', { by: total, where: { UserId } });
//      ^ check-then-act
  res.json({ paid: total });
});
