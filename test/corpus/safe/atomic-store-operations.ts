// Safe: the shared counters live in the database and are changed only with atomic operations
// ($inc, INCR); no value read earlier is written back.
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';

const redis = new Redis();
const posts = new MongoClient('mongodb://localhost').db('blog').collection('posts');

export async function recordView(postId: string): Promise<number> {
  await posts.updateOne({ _id: postId }, { $inc: { views: 1 } });
  return redis.incr(`views:${postId}`);
}

export async function recordViews(postIds: string[]): Promise<number[]> {
  return Promise.all(postIds.map((id) => recordView(id)));
}
