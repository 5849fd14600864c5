// The trees a parse snapshot offers (server/src/core/parsedFiles.ts): a program built after
// offerProgramFiles takes a prepared tree only when the text, the parse options and (for source
// files) the options the binder reads are the ones it was made with, and the types it gives are
// those of a program parsed afresh.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { offerProgramFiles, preparsedUse } from '../../server/src/core/parsedFiles';
import { DocumentCache, FileSet } from '../../server/src/core/programHost';
import { tempDir } from '../support/tempDirs';

const OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, types: [] };

function project(): { dir: string; app: string; lib: string; types: string } {
  const dir = tempDir('racelint-parsed-');
  const files = {
    'app.ts': "import { load } from './lib';\nexport const value = load();\n",
    'lib.ts': "export async function load(): Promise<Item> { return { id: 1 }; }\n",
    'types.d.ts': 'interface Item { id: number }\n',
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, app: path.join(dir, 'app.ts'), lib: path.join(dir, 'lib.ts'), types: path.join(dir, 'types.d.ts') };
}

/** A program over app.ts and types.d.ts (lib.ts comes in as an import), as a run builds it. */
function build(p: ReturnType<typeof project>, options: ts.CompilerOptions, appText?: string): ts.Program {
  const files = new FileSet(options, new DocumentCache());
  if (appText === undefined) files.addSourceFileAtPathIfExists(p.app);
  else files.createSourceFile(p.app, appText);
  files.addSourceFileAtPathIfExists(p.types);
  return files.program();
}

function typeOfValue(program: ts.Program, file: string): string {
  const sf = program.getSourceFile(file)!;
  const decl = (sf.statements[1] as ts.VariableStatement).declarationList.declarations[0];
  const checker = program.getTypeChecker();
  return checker.typeToString(checker.getTypeAtLocation(decl.name));
}

test('a program takes the offered trees of unchanged files, and types them as a fresh program does', () => {
  const p = project();
  const first = build(p, OPTIONS);
  const fresh = typeOfValue(build(p, OPTIONS), p.app);
  assert.equal(fresh, 'Promise<Item>');
  assert.ok(offerProgramFiles(first) >= 3);
  const taken = preparsedUse.taken;
  const second = build(p, OPTIONS);
  for (const f of [p.app, p.lib, p.types]) assert.equal(second.getSourceFile(f), first.getSourceFile(f), `${path.basename(f)} is the offered tree`);
  assert.ok(preparsedUse.taken >= taken + 3);
  assert.equal(typeOfValue(second, p.app), fresh);
});

test('a changed text, or other options the binder reads, get a tree of their own; declaration files bind the same under any', () => {
  const p = project();
  const first = build(p, OPTIONS);
  offerProgramFiles(first);
  const edited = "import { load } from './lib';\nexport const value = load().then((i) => i.id);\n";
  const other = build(p, { ...OPTIONS, alwaysStrict: false, strict: false }, edited);
  assert.notEqual(other.getSourceFile(p.app), first.getSourceFile(p.app), 'edited text: parsed afresh');
  assert.notEqual(other.getSourceFile(p.lib), first.getSourceFile(p.lib), 'a source file bound in strict mode is not taken for a sloppy program');
  assert.equal(other.getSourceFile(p.types), first.getSourceFile(p.types), 'a declaration file is');
  assert.equal(typeOfValue(other, p.app), 'Promise<number>');
});
