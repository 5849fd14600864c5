// Fix: the read-increment-save runs under a mutex owned by the counter, so increments of the
// same database happen one after another.
import { Mutex } from 'async-mutex';

interface JsonDB {
  getData(dataPath: string): Promise<any>;
  exists(dataPath: string): Promise<boolean>;
  push(dataPath: string, data: unknown, override?: boolean): Promise<void>;
}

export class VisitCounter {
  private readonly lock = new Mutex();

  constructor(private readonly db: JsonDB) {}

  increment(page: string): Promise<number> {
    return this.lock.runExclusive(async () => {
      const path = `/visits/${page}`;
      const current: number = (await this.db.exists(path)) ? await this.db.getData(path) : 0;
      const next = current + 1;
      await this.db.push(path, next, true);
      return next;
    });
  }

  async recordAll(pages: string[]): Promise<number[]> {
    return Promise.all(pages.map((page) => this.increment(page)));
  }
}
