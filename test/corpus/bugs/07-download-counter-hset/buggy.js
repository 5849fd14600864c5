// mozilla/send PR #1299: the download route read the file's download count, streamed the file
// and stored count + 1; two downloads at the same moment were counted as one.
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
  const downloads = Number(await redis.hget(id, 'dl'));
  const limit = Number(await redis.hget(id, 'dlimit'));
  await streamFile(id, res);
  const dl = downloads + 1;
  if (dl >= limit) {
    await redis.del(id);
  } else {
    await redis.hset(id, 'dl', dl);
//        ^ lost-update
  }
});

app.listen(1443);
