// Fix (option 1 of the issue): the read-modify-write of the config runs under an in-process
// mutex, so the second PATCH starts from the config the first one saved.
import express from 'express';
import { rename, writeFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';

const CONFIG_PATH = '/home/user/.concilium/config.yaml';
const configLock = new Mutex();

/** @type {Record<string, unknown>} */
let cachedConfig = { theme: 'light', models: [] };

/** @param {Record<string, unknown>} config */
async function saveConfig(config) {
  await writeFile(`${CONFIG_PATH}.tmp`, JSON.stringify(config));
  await rename(`${CONFIG_PATH}.tmp`, CONFIG_PATH);
}

const app = express();

app.patch('/api/config', async (req, res) => {
  const saved = await configLock.runExclusive(async () => {
    const next = { ...cachedConfig, ...req.body };
    await saveConfig(next);
    cachedConfig = next;
    return next;
  });
  res.json(saved);
});

app.listen(3000);
