// eyaltoledano/claude-task-master PR #1566: the tasks file is read, changed and written under a
// cross-process proper-lockfile lock (withFileLock). Cut down: the PR also creates a missing file
// before taking the lock (see README.md).
import fs from 'node:fs';
import lockfile from 'proper-lockfile';

const LOCK_OPTIONS = { retries: { retries: 10, factor: 1.5, minTimeout: 50, maxTimeout: 1000 }, stale: 10000 };

async function withFileLock(filepath, callback) {
  const release = await lockfile.lock(filepath, LOCK_OPTIONS);
  try {
    return await callback();
  } finally {
    await release();
  }
}

async function readJSONRaw(filepath) {
  return JSON.parse(await fs.promises.readFile(filepath, 'utf8'));
}

export async function writeJSON(filepath, tag, tasks) {
  return withFileLock(filepath, async () => {
    const data = await readJSONRaw(filepath);
    data[tag] = { ...(data[tag] ?? {}), tasks, metadata: { updated: new Date().toISOString() } };
    await fs.promises.writeFile(filepath, JSON.stringify(data, null, 2), 'utf8');
  });
}

export async function setTaskStatus(filepath, tag, taskId, status) {
  return withFileLock(filepath, async () => {
    const data = await readJSONRaw(filepath);
    const task = data[tag]?.tasks?.find((t) => t.id === taskId);
    if (!task) throw new Error(`Task ${taskId} not found in tag ${tag}`);
    task.status = status;
    await fs.promises.writeFile(filepath, JSON.stringify(data, null, 2), 'utf8');
    return task;
  });
}
