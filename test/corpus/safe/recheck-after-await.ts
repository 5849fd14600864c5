// Safe: the decision is checked again after the await, right before acting, in the same
// synchronous step as the act.
interface Connection {
  close(): void;
  query(sql: string): Promise<unknown[]>;
}

declare function openConnection(url: string): Promise<Connection>;

let connection: Connection | undefined;

export async function getConnection(url: string): Promise<Connection> {
  if (connection) return connection;
  const opened = await openConnection(url);
  if (connection) {
    opened.close();
    return connection;
  }
  connection = opened;
  return opened;
}

export async function runAll(url: string, queries: string[]): Promise<unknown[][]> {
  return Promise.all(queries.map(async (sql) => (await getConnection(url)).query(sql)));
}
