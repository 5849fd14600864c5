// brendanlong/lion-reader before PR #231 (buggy twin): an in-memory tag cache checked, then filled after the insert
import { and, eq } from 'drizzle-orm';
import { db } from './db';
import { tags } from './db/schema';
import { generateUuidv7 } from './uuid';

const tagIdsByName = new Map<string, string>();

export async function getOrCreateTag(userId: string, name: string) {
  const key = `${userId}:${name}`;
  if (!tagIdsByName.has(key)) {
    const id = generateUuidv7();
    await db.insert(tags).values({ id, userId, name, createdAt: new Date() });
    tagIdsByName.set(key, id);
//  ^ check-then-act
  }
  const [tag] = await db.select().from(tags).where(and(eq(tags.userId, userId), eq(tags.name, name)));
  return tag;
}
