// Ayushh-Sharmaa/NexaSphere PR #98 "Fix race condition in file-based JSON storage" (reduction,
// fixed): withContentLock() chains every read-modify-write of content.json on one promise queue.
import express from 'express';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const CONTENT_FILE = path.join(process.cwd(), 'data', 'content.json');

async function ensureContentFile() {
  try {
    await fs.access(CONTENT_FILE);
  } catch {
    await fs.mkdir(path.dirname(CONTENT_FILE), { recursive: true });
    await fs.writeFile(CONTENT_FILE, JSON.stringify({ events: [], coreTeam: [] }), 'utf8');
  }
}

async function readContent() {
  await ensureContentFile();
  const raw = await fs.readFile(CONTENT_FILE, 'utf8');
  return JSON.parse(raw);
}

async function writeContent(content) {
  await ensureContentFile();
  await fs.writeFile(CONTENT_FILE, JSON.stringify(content, null, 2), 'utf8');
}

let contentLock = Promise.resolve();

function withContentLock(fn) {
  const run = contentLock.then(fn);
  contentLock = run.catch(() => {});
  return run;
}

function createEventStore(event) {
  return withContentLock(async () => {
    const content = await readContent();
    const newEvent = { ...event, id: Date.now().toString(36) };
    content.events.push(newEvent);
    await writeContent(content);
    return newEvent;
  });
}

function deleteEventStore(id) {
  return withContentLock(async () => {
    const content = await readContent();
    content.events = content.events.filter((e) => e.id !== id);
    await writeContent(content);
  });
}

const app = express();
app.use(express.json());

app.post('/api/events', async (req, res) => {
  res.status(201).json(await createEventStore(req.body));
});

app.delete('/api/events/:id', async (req, res) => {
  await deleteEventStore(req.params.id);
  res.status(204).end();
});

export default app;
