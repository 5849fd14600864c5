// Flo0806/nuxt.care PR #48 review (buggy twin): the counter middleware reads each view counter
// from the KV storage and writes it back plus one; concurrent page views read the same counts and
// all but one increment are lost.
import { defineEventHandler, getRequestURL } from 'h3';
import { useStorage } from 'nitropack/runtime';

export default defineEventHandler(async (event) => {
  if (!getRequestURL(event).pathname.startsWith('/api/')) return;
  const kv = useStorage('data');

  const now = new Date();
  const today = now.toISOString().split('T')[0];
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;

  const total = Number(await kv.getItem('stats:views:total')) || 0;
  const dayViews = Number(await kv.getItem(`stats:views:day:${today}`)) || 0;
  const monthViews = Number(await kv.getItem(`stats:views:month:${month}`)) || 0;
  await kv.setItem('stats:views:total', total + 1);
//      ^ lost-update
  await kv.setItem(`stats:views:day:${today}`, dayViews + 1);
  await kv.setItem(`stats:views:month:${month}`, monthViews + 1);
});
