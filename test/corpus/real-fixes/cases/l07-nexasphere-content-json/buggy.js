// Ayushh-Sharmaa/NexaSphere issue #86 (buggy twin): without Supabase the server keeps events in
// content.json; each create/delete handler reads the file, changes the list and writes it back.
// Two requests at once both read the same content; the later write drops the other's change.
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

async function createEventStore(event) {
  const content = await readContent();
  const newEvent = { ...event, id: Date.now().toString(36) };
  content.events.push(newEvent);
  await writeContent(content);
//      ^ lost-update
  return newEvent;
}

async function deleteEventStore(id) {
  const content = await readContent();
  content.events = content.events.filter((e) => e.id !== id);
  await writeContent(content);
//      ^ lost-update
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
