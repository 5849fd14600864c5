// Soul-Brews-Studio/maw-js issue #484 (buggy twin): PUT /config-file answers 409 when the fleet
// file exists, then writes it; two requests for one name both pass the existsSync guard and the
// second silently overwrites the first file.
import { Elysia, t } from 'elysia';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { basename, join } from 'path';

const fleetDir = join(process.env.HOME ?? '.', '.maw', 'fleet');

export const configApi = new Elysia();

// Read a single config file
configApi.get('/config-file', ({ query, set }: any) => {
  const filePath: string | undefined = query.path;
  if (!filePath) { set.status = 400; return { error: 'path required' }; }
  if (filePath.includes('..')) { set.status = 400; return { error: 'invalid path' }; }
  const fullPath = join(fleetDir, '..', filePath);
  if (!existsSync(fullPath)) { set.status = 404; return { error: 'not found' }; }
  try {
    return { content: readFileSync(fullPath, 'utf-8') };
  } catch (e: unknown) {
    set.status = 500; return { error: e instanceof Error ? e.message : String(e) };
  }
}, {
  query: t.Object({ path: t.Optional(t.String()) }),
});

// Create a new fleet file
configApi.put('/config-file', async ({ body, set }: any) => {
  const { name, content } = body as { name: string; content: string };
  if (!name || !name.endsWith('.json')) { set.status = 400; return { error: 'name must end with .json' }; }
  const safeName = basename(name);
  const fullPath = join(fleetDir, safeName);
  if (existsSync(fullPath)) { set.status = 409; return { error: 'file already exists' }; }
  try { JSON.parse(content); } catch { set.status = 400; return { error: 'invalid JSON' }; }
  writeFileSync(fullPath, content + '\n', 'utf-8');
//^ check-then-act
  return { ok: true, path: `fleet/${safeName}` };
}, {
  body: t.Object({ name: t.String(), content: t.String() }),
});
