// A small service with the races racelint finds. Run: npx racelint examples
import { setTimeout as sleep } from 'node:timers/promises';

interface Item {
  sku: string;
  price: number;
}

async function fetchPrice(sku: string): Promise<number> {
  await sleep(10);
  return sku.length * 100;
}

async function saveOrder(items: Item[]): Promise<void> {
  await sleep(5);
  if (items.length === 0) throw new Error('empty order');
}

interface Connection {
  query(sql: string): Promise<void>;
}

async function connect(): Promise<Connection> {
  await sleep(20);
  return { query: async () => {} };
}

let revenue = 0;
let connection: Connection | undefined;

export async function recordSale(item: Item): Promise<void> {
  // Another sale can run during the await: both read the same `revenue`, one update is lost.
  revenue = revenue + (await fetchPrice(item.sku));
}

export async function database(): Promise<Connection> {
  // Two first calls both find no connection during the await: each opens one, and one leaks.
  if (!connection) connection = await connect();
  return connection;
}

export function checkout(items: Item[]): void {
  // Nobody awaits or handles this promise: a rejection is lost (or crashes the process).
  saveOrder(items);
}

export function restock(items: Item[]): void {
  // forEach does not wait for async callbacks: restock returns before any price is known.
  items.forEach(async (item) => {
    item.price = await fetchPrice(item.sku);
  });
}

export async function sellAll(items: Item[]): Promise<number> {
  await Promise.all(items.map((item) => recordSale(item)));
  return revenue;
}
