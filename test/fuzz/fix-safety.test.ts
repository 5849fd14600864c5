// Fix safety in `npm test`: every fix and suggestion over the rule fixtures and the race corpus,
// applied one at a time and all together, leaves code that parses and type-checks as before.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { FileResult } from '../../server/src/core/findings';
import { Linter } from '../../server/src/core/linter';
import { checkRoot } from './fix-safety';
import { tempDir } from '../support/tempDirs';

const REPO = path.resolve(__dirname, '..', '..');

for (const root of ['test/fixtures/rules', 'test/corpus']) {
  test(`every fix and suggestion over ${root} keeps the code parsing and type-checking`, (t) => {
    const report = checkRoot(path.join(REPO, root));
    t.diagnostic(`${report.files} files, ${report.fixes} fixes and ${report.suggestions} suggestions applied one by one, ${report.fixAllRuns} --fix runs, ${report.seconds} s`);
    assert.deepEqual(report.failures.map((f) => `${f.file}: ${f.finding}: "${f.fix}": ${f.kind}: ${f.detail.split('\n')[0]}`), []);
    assert.ok(report.fixes + report.suggestions > 0, 'nothing was applied: the check proves nothing');
  });
}

test('the check catches a fix that breaks the syntax, one that breaks the types, and one whose edits overlap', () => {
  const dir = tempDir('racelint-fix-safety-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "t", "private": true }\n');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true, "target": "ES2022", "types": [] } }\n');
  fs.writeFileSync(path.join(dir, 'a.ts'), 'export async function save(id: number): Promise<void> {}\nexport function run(): void {\n  save(1);\n}\n');
  const original = Linter.prototype.lintFile;
  Linter.prototype.lintFile = function (this: Linter, file, config) {
    const r: FileResult = original.call(this, file, config);
    const at = r.source!.indexOf('save(1)');
    for (const f of r.findings) {
      f.suggestions = [
        { description: 'breaks the syntax', edits: [{ start: at, end: at + 7, text: 'save(1' }] },
        { description: 'breaks the types', edits: [{ start: at, end: at + 7, text: 'save("1")' }] },
        { description: 'overlapping edits', edits: [{ start: at, end: at + 4, text: 'x' }, { start: at + 2, end: at + 6, text: 'y' }] },
        { description: 'harmless', edits: [{ start: at, end: at, text: 'void ' }] },
      ];
    }
    return r;
  };
  try {
    const report = checkRoot(dir);
    assert.deepEqual(report.failures.map((f) => [f.fix, f.kind]), [
      ['breaks the syntax', 'syntax'],
      ['breaks the types', 'types'],
      ['overlapping edits', 'cannot-apply'],
    ]);
    assert.match(report.failures[1].detail, /TS2345/);
  } finally {
    Linter.prototype.lintFile = original;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
