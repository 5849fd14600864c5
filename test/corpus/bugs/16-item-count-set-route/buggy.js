// raesoft/Limap#23: the increment and decrement buttons loaded the item and saved count +/- 1;
// quick clicks (or two users) raced and lost counts. The fix used increment/decrement queries.
import express from 'express';
import { MongoClient } from 'mongodb';

const items = new MongoClient('mongodb://localhost').db('limap').collection('items');
const app = express();

/** @param {number} delta */
function changeCount(delta) {
  /** @type {import('express').Handler} */
  const handler = async (req, res) => {
    const item = await items.findOne({ _id: req.params.id });
    if (!item) return res.status(404).end();
    const count = item.count + delta;
    await items.updateOne({ _id: item._id }, { $set: { count } });
//        ^ lost-update
    res.json({ count });
  };
  return handler;
}

app.post('/api/items/:id/increment', changeCount(1));
app.post('/api/items/:id/decrement', changeCount(-1));
app.listen(8080);
