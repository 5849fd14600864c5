// Fix as the maintainer advised: read the database once, change the one in-memory copy
// synchronously, and let the adapter write the current state (its writer serializes writes).
import { JSONFile, Low } from 'lowdb';

/** @typedef {{ subscribers: Array<{ email: string, at: number }> }} Data */

/** @type {Low<Data>} */
const db = new Low(new JSONFile('./db.json'), { subscribers: [] });
const loaded = db.read();

/** @param {string} email */
export async function addSubscriber(email) {
  await loaded;
  db.data.subscribers.push({ email, at: Date.now() });
  await db.write();
}

/** @param {string[]} emails */
export async function importSubscribers(emails) {
  await Promise.allSettled(emails.map((email) => addSubscriber(email)));
}
