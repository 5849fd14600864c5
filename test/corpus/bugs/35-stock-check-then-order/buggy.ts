// mighty840/kitchenasty#55: createOrder checked stockQty against the ordered quantity, created
// the order and decremented stock afterwards, with no transaction; two orders for the last
// item both passed the check and drove stock negative.
interface MenuItem {
  id: string;
  name: string;
  trackStock: boolean;
  stockQty: number;
}

declare const prisma: {
  menuItem: {
    findUnique(args: { where: { id: string } }): Promise<MenuItem | null>;
    update(args: { where: { id: string }; data: { stockQty: { decrement: number } } }): Promise<MenuItem>;
  };
  order: { create(args: { data: { itemId: string; quantity: number } }): Promise<{ id: string }> };
};

export async function createOrder(itemId: string, quantity: number): Promise<{ id: string }> {
  const item = await prisma.menuItem.findUnique({ where: { id: itemId } });
  if (!item) throw new Error('unknown item');
  if (item.trackStock && item.stockQty < quantity) throw new Error(`Insufficient stock for: ${item.name}`);
  const order = await prisma.order.create({ data: { itemId, quantity } });
  if (item.trackStock) {
    await prisma.menuItem.update({ where: { id: itemId }, data: { stockQty: { decrement: quantity } } });
//        ^ check-then-act
  }
  return order;
}
