// SierraSoftworks/Iridium#15 "Core.connect is not async-safe": calling connect() again before
// the first call finished opened another database connection, and the last one to open won.
import { MongoClient, type Db } from 'mongodb';

export class Core {
  private connection: MongoClient | undefined;

  constructor(private readonly url: string) {}

  async connect(): Promise<this> {
    if (this.connection) return this;
    const client = await new MongoClient(this.url).connect();
    this.connection = client;
//  ^ check-then-act
    return this;
  }

  get db(): Db {
    if (!this.connection) throw new Error('not connected');
    return this.connection.db();
  }
}

export async function startModels(core: Core, models: string[]): Promise<void> {
  await Promise.all(models.map(async () => (await core.connect()).db));
}
