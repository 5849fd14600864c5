// The pg pool of ossdaiict/SBG-Website (server/src/db.ts).
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}
export interface PoolClient extends Queryable {
  release(): void;
}
export declare const db: Queryable & { connect(): Promise<PoolClient> };
