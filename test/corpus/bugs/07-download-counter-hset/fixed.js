// Fix: count the download with HINCRBY, which increments inside Redis and returns the new
// count, instead of writing back a count computed from an earlier read.
import express from 'express';
import Redis from 'ioredis';

const redis = new Redis();
const app = express();

/** @param {string} id @param {import('express').Response} res */
async function streamFile(id, res) {
  res.send(`contents of ${id}`);
}

app.get('/api/download/:id', async (req, res) => {
  const id = req.params.id;
  await streamFile(id, res);
  const dl = await redis.hincrby(id, 'dl', 1);
  const limit = Number(await redis.hget(id, 'dlimit'));
  if (dl >= limit) await redis.del(id);
});

app.listen(1443);
