// Fix: $inc in the update itself, and answer with the count the database returns.
import express from 'express';
import { MongoClient } from 'mongodb';

const items = new MongoClient('mongodb://localhost').db('limap').collection('items');
const app = express();

/** @param {number} delta */
function changeCount(delta) {
  /** @type {import('express').Handler} */
  const handler = async (req, res) => {
    const item = await items.findOneAndUpdate({ _id: req.params.id }, { $inc: { count: delta } }, { returnDocument: 'after' });
    if (!item) return res.status(404).end();
    res.json({ count: item.count });
  };
  return handler;
}

app.post('/api/items/:id/increment', changeCount(1));
app.post('/api/items/:id/decrement', changeCount(-1));
app.listen(8080);
