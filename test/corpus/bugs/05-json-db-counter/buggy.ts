// Belphemur/node-json-db#798: "get current counter, increment counter, save counter" is a read
// and a separate write; two requests counting the same page both read n and both save n + 1.
interface JsonDB {
  getData(dataPath: string): Promise<any>;
  exists(dataPath: string): Promise<boolean>;
  push(dataPath: string, data: unknown, override?: boolean): Promise<void>;
}

export class VisitCounter {
  constructor(private readonly db: JsonDB) {}

  async increment(page: string): Promise<number> {
    const path = `/visits/${page}`;
    const current: number = (await this.db.exists(path)) ? await this.db.getData(path) : 0;
    const next = current + 1;
    await this.db.push(path, next, true);
//        ^ lost-update
    return next;
  }

  async recordAll(pages: string[]): Promise<number[]> {
    return Promise.all(pages.map((page) => this.increment(page)));
  }
}
