// Fix: Model.decrement issues `SET quantity = quantity - n`, so the database applies every
// checkout's decrement.
import express from 'express';
import type { ModelStatic } from 'sequelize';

interface Quantity {
  ProductId: number;
  quantity: number;
}
interface BasketItem {
  ProductId: number;
  quantity: number;
}

declare const QuantityModel: ModelStatic<Quantity>;
declare function basketItems(basketId: string): Promise<BasketItem[]>;

export async function reduceStock(items: BasketItem[]): Promise<void> {
  for (const item of items) {
    await QuantityModel.decrement('quantity', { by: item.quantity, where: { ProductId: item.ProductId } });
  }
}

express().post('/rest/basket/:id/checkout', async (req, res) => {
  await reduceStock(await basketItems(req.params.id));
  res.json({ ok: true });
});
