// Fix: one atomic upsert; $setOnInsert only applies when the upsert inserts.
import { MongoClient } from 'mongodb';

const users = new MongoClient('mongodb://localhost').db('app').collection('users');

/** @param {{ provider: string, providerId: string }} conditions @param {Record<string, unknown>} doc */
export async function findOrCreate(conditions, doc) {
  return users.findOneAndUpdate(conditions, { $setOnInsert: doc }, { upsert: true, returnDocument: 'after' });
}

/** @param {{ provider: string, id: string, displayName: string }} profile */
export function onOAuthCallback(profile) {
  return findOrCreate({ provider: profile.provider, providerId: profile.id }, { name: profile.displayName });
}
