// genspark-ai/genoffice PR #155 and PR #218: save() and saveAs() both go through runSerialized(), a
// promise-chain tail on the module; a failed run does not block the next one, and only the run that
// set the tail clears it.
interface SlidesDoc {
  path: string | null;
  dirty: boolean;
  revision: number;
  savedRevision: number;
  serialize(): Uint8Array;
}

declare const ipc: { invoke(channel: string, ...args: unknown[]): Promise<any> };

let saveTail: Promise<void> | null = null;

function runSerialized<T>(operation: () => Promise<T>): Promise<T> {
  const previous = saveTail ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(operation);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  saveTail = tail;
  void tail.then(() => {
    if (saveTail === tail) saveTail = null;
  });
  return run;
}

async function writeDeck(doc: SlidesDoc, path: string): Promise<void> {
  const revision = doc.revision;
  await ipc.invoke('slides:save', path, doc.serialize());
  doc.savedRevision = revision;
  doc.dirty = doc.revision !== revision;
}

export const fileActions = {
  save(doc: SlidesDoc): Promise<void> {
    return runSerialized(async () => {
      if (!doc.path) {
        const chosen: string | null = await ipc.invoke('slides:choose-path');
        if (!chosen) return;
        doc.path = chosen;
      }
      await writeDeck(doc, doc.path);
    });
  },
  saveAs(doc: SlidesDoc): Promise<void> {
    return runSerialized(async () => {
      const chosen: string | null = await ipc.invoke('slides:choose-path', doc.path);
      if (!chosen) return;
      await writeDeck(doc, chosen);
      doc.path = chosen;
    });
  },
};
