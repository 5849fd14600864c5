// drudge/mongoose-findorcreate#28: the plugin's findOrCreate runs findOne and, when nothing is
// found, inserts; simultaneous calls for the same document created duplicates or threw on the
// unique index. (bacsbd/cpps#45 hit the same race and moved to findOneAndUpdate.)
import { MongoClient } from 'mongodb';

const users = new MongoClient('mongodb://localhost').db('app').collection('users');

/** @param {{ provider: string, providerId: string }} conditions @param {Record<string, unknown>} doc */
export async function findOrCreate(conditions, doc) {
  const found = await users.findOne(conditions);
  if (found) return { doc: found, created: false };
  const { insertedId } = await users.insertOne({ ...conditions, ...doc });
//                             ^ check-then-act
  return { doc: { _id: insertedId, ...conditions, ...doc }, created: true };
}

/** @param {{ provider: string, id: string, displayName: string }} profile */
export function onOAuthCallback(profile) {
  return findOrCreate({ provider: profile.provider, providerId: profile.id }, { name: profile.displayName });
}
