// Stub of the Sequelize model statics the corpus uses.
export interface WhereOptions {
  where: Record<string, unknown>;
  transaction?: Transaction;
  lock?: boolean;
}

export interface Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface ModelStatic<T> {
  findOne(options: WhereOptions): Promise<T | null>;
  create(values: Partial<T>, options?: { transaction?: Transaction }): Promise<T>;
  update(values: Partial<T>, options: WhereOptions): Promise<[affectedCount: number]>;
  increment(field: keyof T & string, options: WhereOptions & { by: number }): Promise<unknown>;
  decrement(field: keyof T & string, options: WhereOptions & { by: number }): Promise<unknown>;
  findOrCreate(options: WhereOptions & { defaults?: Partial<T>; transaction?: Transaction }): Promise<[T, boolean]>;
}

export class Sequelize {
  transaction<R>(fn: (t: Transaction) => Promise<R>): Promise<R>;
}

export class UniqueConstraintError extends Error {}
