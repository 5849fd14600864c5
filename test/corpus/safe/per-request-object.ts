// Safe: everything read before the awaits and written after them belongs to this request (the
// request body and a local order object); nothing is shared between concurrent requests.
import express from 'express';

declare function priceOf(sku: string): Promise<number>;
declare function saveOrder(order: { id: string; total: number; lines: number }): Promise<void>;

const app = express();

app.post('/orders', async (req, res) => {
  const order = { id: String(req.body.id), total: 0, lines: 0 };
  for (const sku of req.body.skus as string[]) {
    order.total = order.total + (await priceOf(sku));
    order.lines += 1;
  }
  await saveOrder(order);
  res.json(order);
});

app.listen(8080);
