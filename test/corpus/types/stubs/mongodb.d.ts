// Stub of a MongoDB-style driver: collections with callback and promise APIs.
export type Filter = Record<string, unknown>;
export type Update = Record<string, unknown>;
export interface Doc {
  _id: string;
  [field: string]: any;
}
export type Callback<T> = (err: Error | null, result: T) => void;

export interface Collection {
  findOne(filter: Filter): Promise<Doc | null>;
  findOne(filter: Filter, callback: Callback<Doc | null>): void;
  insertOne(doc: Record<string, unknown>): Promise<{ insertedId: string }>;
  insertOne(doc: Record<string, unknown>, callback: Callback<{ insertedId: string }>): void;
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<{ modifiedCount: number; matchedCount: number }>;
  updateOne(filter: Filter, update: Update, callback: Callback<{ modifiedCount: number }>): void;
  replaceOne(filter: Filter, doc: Doc): Promise<{ modifiedCount: number }>;
  replaceOne(filter: Filter, doc: Doc, callback: Callback<{ modifiedCount: number }>): void;
  findOneAndUpdate(filter: Filter, update: Update, options: { upsert?: boolean; returnDocument?: 'before' | 'after' }): Promise<Doc | null>;
}

export interface Db {
  collection(name: string): Collection;
}

export class MongoClient {
  constructor(url: string);
  connect(): Promise<MongoClient>;
  db(name?: string): Db;
  close(): Promise<void>;
}
