// typicode/lowdb#478: concurrent updates each read the JSON database, change their copy and
// write it back; an update that read before another one wrote saves over it.
import { JSONFile } from 'lowdb';

/** @typedef {{ subscribers: Array<{ email: string, at: number }> }} Data */

/** @type {JSONFile<Data>} */
const adapter = new JSONFile('./db.json');

/** @param {string} email */
export async function addSubscriber(email) {
  const data = (await adapter.read()) ?? { subscribers: [] };
  data.subscribers.push({ email, at: Date.now() });
  await adapter.write(data);
//      ^ lost-update
}

/** @param {string[]} emails */
export async function importSubscribers(emails) {
  // Every addSubscriber reads the file before any of them has written it.
  await Promise.allSettled(emails.map((email) => addSubscriber(email)));
}
