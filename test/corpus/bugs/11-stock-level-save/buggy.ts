// vendurehq/vendure PR #4930: StockLevelService loaded the stock level row, added the change in
// application code and saved the entity; concurrent checkouts lost stock movements.
interface StockLevel {
  id: string;
  productVariantId: string;
  stockLocationId: string;
  stockOnHand: number;
}

interface Repository<T> {
  findOne(options: { where: Partial<T> }): Promise<T | null>;
  save(entity: T): Promise<T>;
  increment(where: Partial<T>, column: keyof T & string, by: number): Promise<void>;
}

export class StockLevelService {
  constructor(private readonly stockLevels: Repository<StockLevel>) {}

  async updateStockOnHandForLocation(productVariantId: string, stockLocationId: string, change: number): Promise<void> {
    const level = await this.stockLevels.findOne({ where: { productVariantId, stockLocationId } });
    if (!level) throw new Error(`no stock level for ${productVariantId} at ${stockLocationId}`);
    level.stockOnHand = level.stockOnHand + change;
    await this.stockLevels.save(level);
//        ^ lost-update
  }

  async settleOrder(lines: Array<{ variantId: string; quantity: number }>, locationId: string): Promise<void> {
    await Promise.all(lines.map((l) => this.updateStockOnHandForLocation(l.variantId, locationId, -l.quantity)));
  }
}
