// juice-shop/juice-shop PR #3578: checkout read the product quantity with findOne, computed the
// new quantity in code and wrote it back with update(); two concurrent checkouts decremented
// the stock once.
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
    const row = await QuantityModel.findOne({ where: { ProductId: item.ProductId } });
    if (!row) continue;
    const newQuantity = row.quantity - item.quantity;
    await QuantityModel.update({ quantity: newQuantity }, { where: { ProductId: item.ProductId } });
//        ^ lost-update
  }
}

express().post('/rest/basket/:id/checkout', async (req, res) => {
  await reduceStock(await basketItems(req.params.id));
  res.json({ ok: true });
});
