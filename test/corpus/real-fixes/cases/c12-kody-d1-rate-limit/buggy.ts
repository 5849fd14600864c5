// kentcdodds/kody PR #317 as first reviewed (buggy twin): the D1 rate limiter counts the key's rows
// in the window, returns "blocked" at the limit, and inserts its own row in a separate statement;
// concurrent requests all see the same count and all get through.
import type { D1Database } from './d1.js';

type RateLimitConfig = {
  maxRequests: number;
  windowSeconds: number;
};

type RateLimitResult = {
  allowed: boolean;
  retryAfterSeconds: number | null;
};

const initializedDbs = new WeakSet<D1Database>();

async function ensureRateLimitTable(db: D1Database) {
  if (initializedDbs.has(db)) return;
  await db.batch([
    db.prepare(`CREATE TABLE IF NOT EXISTS _rate_limits (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, ts INTEGER NOT NULL)`),
    db.prepare(`CREATE INDEX IF NOT EXISTS idx_rate_limits_key_ts ON _rate_limits (key, ts)`),
  ]);
  initializedDbs.add(db);
}

/**
 * D1-backed rate limiter: count-then-insert order means concurrent requests that land in the
 * same batch see a consistent snapshot.
 */
export async function checkRateLimit(db: D1Database, key: string, config: RateLimitConfig): Promise<RateLimitResult> {
  await ensureRateLimitTable(db);

  const now = Math.floor(Date.now() / 1000);
  const windowStart = now - config.windowSeconds;

  const [, countResult] = await db.batch([
    db.prepare(`DELETE FROM _rate_limits WHERE ts <= ?`).bind(windowStart),
    db.prepare(`SELECT COUNT(*) AS count FROM _rate_limits WHERE key = ? AND ts > ?`).bind(key, windowStart),
  ]);
  const count = Number(countResult?.results[0]?.count ?? 0);

  if (count >= config.maxRequests) {
    return {
      allowed: false,
      retryAfterSeconds: config.windowSeconds,
    };
  }

  await db.prepare(`INSERT INTO _rate_limits (key, ts) VALUES (?, ?)`).bind(key, now).run();
//      ^ check-then-act

  return { allowed: true, retryAfterSeconds: null };
}

export const authRateLimitConfig: RateLimitConfig = {
  maxRequests: 10,
  windowSeconds: 60,
};

export default {
  async fetch(request: Request, env: { APP_DB: D1Database }): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/auth/login') {
      const ip = request.headers.get('cf-connecting-ip') ?? 'unknown';
      const limit = await checkRateLimit(env.APP_DB, `login:${ip}`, authRateLimitConfig);
      if (!limit.allowed) {
        return new Response('Too many requests', { status: 429, headers: { 'retry-after': String(limit.retryAfterSeconds) } });
      }
      return new Response('ok');
    }
    return new Response('not found', { status: 404 });
  },
};
