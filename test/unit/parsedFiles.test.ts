// The trees a parse snapshot offers (server/src/core/parsedFiles.ts): a program built after
// offerProgramFiles takes a prepared tree only when the text, the parse options and (for source
// files) the options the binder reads are the ones it was made with, and the types it gives are
// those of a program parsed afresh.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { offerProgramFiles, offerResolutions, preparsedUse, type ResolutionState, takeResolutions } from '../../server/src/core/parsedFiles';
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

/** A project with a package under node_modules that app.ts imports. */
function projectWithPackage(): { dir: string; app: string; dts: string; pkg: string } {
  const dir = tempDir('racelint-parsed-pkg-');
  const dep = path.join(dir, 'node_modules', 'dep');
  fs.mkdirSync(dep, { recursive: true });
  fs.writeFileSync(path.join(dep, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(dep, 'index.d.ts'), 'export declare function load(): number;\n');
  fs.writeFileSync(path.join(dir, 'app.ts'), "import { load } from 'dep';\nexport const value = load();\n");
  return { dir, app: path.join(dir, 'app.ts'), dts: path.join(dep, 'index.d.ts'), pkg: path.join(dep, 'package.json') };
}

function buildApp(app: string): ts.Program {
  const files = new FileSet(OPTIONS, new DocumentCache());
  files.addSourceFileAtPathIfExists(app);
  return files.program();
}

test('a tree under node_modules is taken while its size, mtime and inode are unchanged, and parsed afresh once they change', () => {
  const p = projectWithPackage();
  const first = buildApp(p.app);
  offerProgramFiles(first);
  const unchanged = buildApp(p.app);
  assert.equal(unchanged.getSourceFile(p.dts), first.getSourceFile(p.dts), 'the offered tree');
  offerProgramFiles(first);
  // Same length, other text: only the stamp tells.
  fs.writeFileSync(p.dts, 'export declare function load(): string;\n');
  const changed = buildApp(p.app);
  assert.notEqual(changed.getSourceFile(p.dts), first.getSourceFile(p.dts));
  assert.equal(typeOfValue(changed, p.app), 'string');
});

test('module resolutions are offered with what they depend on, and withheld once a file appears where they looked or a package.json changes', () => {
  const p = projectWithPackage();
  const program = buildApp(p.app);
  const state = (): ResolutionState => ({
    cache: ts.createModuleResolutionCache(p.dir, (s) => s, OPTIONS),
    installedExists: new Map([[`f:${p.pkg}`, true]]),
    projectExists: new Map([[`f:${path.join(p.dir, 'lib', 'util.ts')}`, false]]),
  });
  const kept = state();
  offerResolutions('k', kept, program);
  assert.equal(takeResolutions('k'), kept);
  assert.equal(takeResolutions('k'), undefined, 'given out once');

  offerResolutions('k', state(), program);
  fs.mkdirSync(path.join(p.dir, 'lib'));
  assert.equal(takeResolutions('k'), undefined, 'a directory appeared where a file was looked for');

  offerResolutions('k', state(), program);
  fs.writeFileSync(p.pkg, JSON.stringify({ name: 'dep', version: '1.0.1', types: 'index.d.ts' }));
  assert.equal(takeResolutions('k'), undefined, 'a package.json read changed');
});

test('a FileSet takes the resolutions of one with the same options, unless a new file changes where an import resolves', () => {
  const dir = tempDir('racelint-parsed-res-');
  fs.mkdirSync(path.join(dir, 'util'));
  fs.writeFileSync(path.join(dir, 'util', 'index.ts'), 'export function load(): number { return 1; }\n');
  const app = path.join(dir, 'app.ts');
  fs.writeFileSync(app, "import { load } from './util';\nexport const value = load();\n");
  const first = new FileSet(OPTIONS, new DocumentCache());
  first.addSourceFileAtPathIfExists(app);
  first.program();
  first.offerResolutions();
  // util.ts comes before util/index.ts for './util'.
  fs.writeFileSync(path.join(dir, 'util.ts'), 'export function load(): string { return ""; }\n');
  const program = buildApp(app);
  assert.ok(program.getSourceFile(path.join(dir, 'util.ts')), 'the new file is found');
  assert.equal(typeOfValue(program, app), 'string');
});
