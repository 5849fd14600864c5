// jonathanbossenger/concilium#128: PATCH /api/config merges the body into the cached config,
// saves it (write-then-rename) and then replaces the cache; two tabs patching at once both
// start from the same cache and the second save silently drops the first patch.
import express from 'express';
import { rename, writeFile } from 'node:fs/promises';

const CONFIG_PATH = '/home/user/.concilium/config.yaml';

/** @type {Record<string, unknown>} */
let cachedConfig = { theme: 'light', models: [] };

/** @param {Record<string, unknown>} config */
async function saveConfig(config) {
  await writeFile(`${CONFIG_PATH}.tmp`, JSON.stringify(config));
  await rename(`${CONFIG_PATH}.tmp`, CONFIG_PATH);
}

const app = express();

app.patch('/api/config', async (req, res) => {
  const next = { ...cachedConfig, ...req.body };
  await saveConfig(next);
  cachedConfig = next;
//^ lost-update
  res.json(next);
});

app.listen(3000);
