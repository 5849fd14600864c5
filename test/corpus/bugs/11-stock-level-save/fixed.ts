// Fix: apply the change as one atomic column update (`SET stockOnHand = stockOnHand + :change`)
// instead of saving a value computed from an earlier read. (Vendure's PR takes a row lock for
// the same effect and also clamps at zero.)
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
    await this.stockLevels.increment({ productVariantId, stockLocationId }, 'stockOnHand', change);
  }

  async settleOrder(lines: Array<{ variantId: string; quantity: number }>, locationId: string): Promise<void> {
    await Promise.all(lines.map((l) => this.updateStockOnHandForLocation(l.variantId, locationId, -l.quantity)));
  }
}
