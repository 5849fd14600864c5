// dust-tt/dust PR #861 "Drive PQueue concurrency to 1" (reduction, fixed)
import PQueue from 'p-queue';
import { Storage } from '@google-cloud/storage';

const storage = new Storage();
const bucket = storage.bucket(process.env.DUST_DATA_SOURCES_BUCKET ?? 'dust-data-sources');

let documentCount = 0;
let lastSyncedAt: Date | null = null;
const seen: Record<string, string> = {};

// One upsert at a time: the counters and `seen` are read and written around each upload.
const queue = new PQueue({ concurrency: 1 });

async function upsertDocument(documentId: string, text: string) {
  const previous = seen[documentId];
  const file = bucket.file(`${documentId}.txt`);
  await file.save(text, { contentType: 'text/plain' });
  if (!previous) documentCount = documentCount + 1;
  seen[documentId] = text.slice(0, 64);
  lastSyncedAt = new Date();
}

export async function syncDocuments(documents: Array<{ id: string; text: string }>) {
  await Promise.all(documents.map((d) => queue.add(() => upsertDocument(d.id, d.text))));
  return { documentCount, lastSyncedAt };
}
