// Fix: reserve stock with one conditional update (decrement only WHERE stockQty >= quantity)
// before creating the order; zero updated rows means someone else took the stock.
interface MenuItem {
  id: string;
  name: string;
  trackStock: boolean;
  stockQty: number;
}

declare const prisma: {
  menuItem: {
    findUnique(args: { where: { id: string } }): Promise<MenuItem | null>;
    updateMany(args: { where: { id: string; stockQty: { gte: number } }; data: { stockQty: { decrement: number } } }): Promise<{ count: number }>;
  };
  order: { create(args: { data: { itemId: string; quantity: number } }): Promise<{ id: string }> };
};

export async function createOrder(itemId: string, quantity: number): Promise<{ id: string }> {
  const item = await prisma.menuItem.findUnique({ where: { id: itemId } });
  if (!item) throw new Error('unknown item');
  if (item.trackStock) {
    const reserved = await prisma.menuItem.updateMany({
      where: { id: itemId, stockQty: { gte: quantity } },
      data: { stockQty: { decrement: quantity } },
    });
    if (reserved.count === 0) throw new Error(`Insufficient stock for: ${item.name}`);
  }
  return prisma.order.create({ data: { itemId, quantity } });
}
