// Safe: the Web Locks API serializes the read-modify-write of the stored draft across tabs and
// workers of the origin.
declare function loadDraft(): Promise<{ text: string; revision: number }>;
declare function storeDraft(draft: { text: string; revision: number }): Promise<void>;

export async function appendToDraft(text: string): Promise<void> {
  await navigator.locks.request('draft', async () => {
    const draft = await loadDraft();
    await storeDraft({ text: draft.text + text, revision: draft.revision + 1 });
  });
}

export async function appendAll(parts: string[]): Promise<void> {
  await Promise.all(parts.map((p) => appendToDraft(p)));
}
