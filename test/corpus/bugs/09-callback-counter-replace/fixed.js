// Fix (the maintainer's advice): an atomic increment in the update itself; with upsert the
// first hit creates the document.
import { MongoClient } from 'mongodb';

const counters = new MongoClient('mongodb://localhost').db('stats').collection('counters');

/**
 * @param {string} name
 * @param {(err: Error | null) => void} done
 */
export function countHit(name, done) {
  counters.updateOne({ n: name }, { $inc: { t: 1 } }, { upsert: true }).then(
    () => done(null),
    (err) => done(err),
  );
}

/** @param {string} name @param {number} times */
export function countHits(name, times) {
  for (let i = 0; i < times; i++) countHit(name, () => {});
}
