// Yeachan-Heo/oh-my-codex issue #294 (buggy twin): the MCP state server's state_write reads the
// mode's JSON state, merges the incoming fields and writes the file back with a plain writeFile.
// Two state_write calls for one mode both read the same file; the last write drops the other's
// fields.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

export function registerStateTools(server: McpServer, root: string): void {
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    if (request.params.name !== 'state_write') return { content: [] };
    const mode = String(args.mode);
    const path = statePath(root, mode);
    await mkdir(dirname(path), { recursive: true });

    let existing: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        existing = JSON.parse(await readFile(path, 'utf-8'));
      } catch {
        existing = {};
      }
    }
    const merged = { ...existing, ...(args.state as Record<string, unknown>), updated_at: new Date().toISOString() };
    await writeFile(path, JSON.stringify(merged, null, 2));
//        ^ lost-update
    return { content: [{ type: 'text', text: JSON.stringify({ success: true, mode }) }] };
  });
}
