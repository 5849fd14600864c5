// Yeachan-Heo/oh-my-codex PR #354 "fix(state): make state_write atomic under concurrent updates"
// (reduction, fixed): the read/merge/write of one state file runs behind the previous one for the
// same file (a per-path promise chain), and the file is replaced by a temp file and a rename.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

interface ToolRequest {
  params: { name: string; arguments?: Record<string, unknown> };
}
interface McpServer {
  setRequestHandler(schema: unknown, handler: (request: ToolRequest) => Promise<unknown>): void;
}
declare const CallToolRequestSchema: unknown;

function statePath(root: string, mode: string): string {
  return join(root, '.omx', 'state', `${mode}-state.json`);
}

const stateWriteQueues = new Map<string, Promise<void>>();

async function withStateWriteLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const tail = stateWriteQueues.get(path) ?? Promise.resolve();
  let release!: () => void;
  const next = new Promise<void>((resolve) => {
    release = resolve;
  });
  const queued = tail.then(() => next);
  stateWriteQueues.set(path, queued);
  await tail;
  try {
    return await fn();
  } finally {
    release();
    if (stateWriteQueues.get(path) === queued) stateWriteQueues.delete(path);
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export function registerStateTools(server: McpServer, root: string): void {
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    if (request.params.name !== 'state_write') return { content: [] };
    const mode = String(args.mode);
    const path = statePath(root, mode);
    await mkdir(dirname(path), { recursive: true });

    await withStateWriteLock(path, async () => {
      let existing: Record<string, unknown> = {};
      if (existsSync(path)) {
        try {
          existing = JSON.parse(await readFile(path, 'utf-8'));
        } catch {
          existing = {};
        }
      }
      const merged = { ...existing, ...(args.state as Record<string, unknown>), updated_at: new Date().toISOString() };
      await writeAtomic(path, JSON.stringify(merged, null, 2));
    });
    return { content: [{ type: 'text', text: JSON.stringify({ success: true, mode }) }] };
  });
}
