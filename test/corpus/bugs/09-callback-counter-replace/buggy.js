// marcello3d/node-mongolian#109: a hit counter did findOne, incremented the field and wrote
// the document back, 100 times in a loop; all findOne callbacks ran before any update landed,
// so the counter went up by one.
import { MongoClient } from 'mongodb';

const counters = new MongoClient('mongodb://localhost').db('stats').collection('counters');

/**
 * @param {string} name
 * @param {(err: Error | null) => void} done
 */
export function countHit(name, done) {
  counters.findOne({ n: name }, (err, doc) => {
    if (err) return done(err);
    if (!doc) return counters.insertOne({ n: name, t: 1 }, (e) => done(e));
    doc.t = doc.t + 1;
    counters.replaceOne({ _id: doc._id }, doc, (e) => done(e));
//  ^ lost-update
  });
}

/** @param {string} name @param {number} times */
export function countHits(name, times) {
  for (let i = 0; i < times; i++) countHit(name, () => {});
}
