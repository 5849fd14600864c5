// gx0r/connect-session-knex PR #113 "atomic upsert in getPostgresFastQuery" (reduction, fixed)
import session, { SessionData } from 'express-session';
import type { Knex } from 'knex';

export class KnexStore extends session.Store {
  private ready: Promise<void>;

  constructor(private knex: Knex, private tablename = 'sessions') {
    super();
    this.ready = this.createTable();
  }

  private async createTable() {
    const exists = await this.knex.schema.hasTable(this.tablename);
    if (!exists) {
      await this.knex.schema.createTable(this.tablename, (t) => {
        t.string('sid').primary();
        t.json('sess').notNullable();
        t.timestamp('expired').notNullable().index();
      });
    }
  }

  set(sid: string, sess: SessionData, cb?: (err?: unknown) => void) {
    const expired = new Date(Date.now() + (sess.cookie.maxAge ?? 86_400_000));
    this.ready
      .then(() =>
        this.knex.raw(
          `insert into "${this.tablename}" (sid, expired, sess) values (?, ?, ?::json)
           on conflict (sid) do update set expired = excluded.expired, sess = excluded.sess`,
          [sid, expired, JSON.stringify(sess)],
        ),
      )
      .then(() => cb?.(), (err) => cb?.(err));
  }

  get(sid: string, cb: (err: unknown, sess?: SessionData | null) => void) {
    this.ready
      .then(() => this.knex(this.tablename).where({ sid }).andWhere('expired', '>', new Date()).first())
      .then((row) => cb(null, row ? (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) : null), cb);
  }

  destroy(sid: string, cb?: (err?: unknown) => void) {
    this.ready.then(() => this.knex(this.tablename).where({ sid }).del()).then(() => cb?.(), cb);
  }
}
