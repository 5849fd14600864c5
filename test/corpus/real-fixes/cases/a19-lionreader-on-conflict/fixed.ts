// brendanlong/lion-reader PR #231 "Audit database queries for upsert pattern" (reduction, fixed)
import { and, eq, sql } from 'drizzle-orm';
import { db } from './db';
import { tags, entryTags } from './db/schema';
import { generateUuidv7 } from './uuid';

export async function getOrCreateTag(userId: string, name: string) {
  // Insert first; a concurrent create of the same name makes this a no-op.
  await db
    .insert(tags)
    .values({ id: generateUuidv7(), userId, name, createdAt: new Date() })
    .onConflictDoNothing({ target: [tags.userId, tags.name] });
  const [tag] = await db
    .select()
    .from(tags)
    .where(and(eq(tags.userId, userId), eq(tags.name, name)));
  return tag;
}

export async function deleteTag(userId: string, tagId: string) {
  const deleted = await db
    .delete(tags)
    .where(and(eq(tags.id, tagId), eq(tags.userId, userId)))
    .returning({ id: tags.id });
  if (deleted.length === 0) throw new Error('Tag not found');
  return { ok: true };
}

export async function tagEntry(userId: string, entryId: string, tagName: string) {
  const tag = await getOrCreateTag(userId, tagName);
  await db
    .insert(entryTags)
    .values({ entryId, tagId: tag.id })
    .onConflictDoNothing();
  await db.execute(sql`update tags set entry_count = entry_count + 1 where id = ${tag.id}`);
}
