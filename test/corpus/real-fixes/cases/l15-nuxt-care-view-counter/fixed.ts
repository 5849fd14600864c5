// Flo0806/nuxt.care PR #48 review (reduction of the fix the review recommends: the increment done
// by the database in one statement, not read and written back by the handler).
import { defineEventHandler, getRequestURL } from 'h3';
import { useDatabase } from 'nitropack/runtime';

export default defineEventHandler(async (event) => {
  if (!getRequestURL(event).pathname.startsWith('/api/')) return;
  const db = useDatabase();

  const now = new Date();
  const today = now.toISOString().split('T')[0];
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;

  for (const key of ['stats:views:total', `stats:views:day:${today}`, `stats:views:month:${month}`]) {
    await db.sql`INSERT INTO view_counts (key, n) VALUES (${key}, 1) ON CONFLICT (key) DO UPDATE SET n = view_counts.n + 1`;
  }
});
