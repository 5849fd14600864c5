// Fix (as the issue proposes): the first connect() stores its promise; later calls return it.
import { MongoClient, type Db } from 'mongodb';

export class Core {
  private connection: MongoClient | undefined;
  private connecting: Promise<this> | undefined;

  constructor(private readonly url: string) {}

  connect(): Promise<this> {
    this.connecting ??= new MongoClient(this.url).connect().then((client) => {
      this.connection = client;
      return this;
    });
    return this.connecting;
  }

  get db(): Db {
    if (!this.connection) throw new Error('not connected');
    return this.connection.db();
  }
}

export async function startModels(core: Core, models: string[]): Promise<void> {
  await Promise.all(models.map(async () => (await core.connect()).db));
}
