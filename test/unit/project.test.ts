// Which files a partial run (one file, a shard, the cache's misses) must load besides the linted
// files and their imports: those that may declare globals. A wrong "no" changes types; a wrong
// "yes" loads a file and everything it imports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mayDeclareGlobals } from '../../server/src/core/project';

describe('mayDeclareGlobals', () => {
  test('declaration files, scripts, and modules that declare globals or ambient modules', () => {
    assert.equal(mayDeclareGlobals('/p/types.d.ts', 'export interface A {}'), true);
    assert.equal(mayDeclareGlobals('/p/script.ts', 'function start() {}\n'), true);
    assert.equal(mayDeclareGlobals('/p/mod.ts', "import x from 'x';\ndeclare global {\n  interface Window { a: 1 }\n}\n"), true);
    assert.equal(mayDeclareGlobals('/p/mod.ts', "export {};\ndeclare module 'untyped' {\n  export const a: number;\n}\n"), true);
    // A script whose namespace holds unindented exports looks like a module line by line.
    assert.equal(mayDeclareGlobals('/p/ns.ts', 'namespace Jobs {\nexport function drain() {}\n}\n'), true);
    assert.equal(mayDeclareGlobals('/p/ns.ts', 'namespace Jobs {\nimport Q = Other.Queue;\nexport function drain() {}\n}\n'), true);
  });

  test('a module is not global because it has an unindented namespace', () => {
    const spec = "import { expect } from 'chai';\nimport {\n  Tree,\n} from './tree';\n\nnamespace Fixture {\nexport const tree = 1;\n}\n";
    assert.equal(mayDeclareGlobals('/p/tree.spec.ts', spec), false);
    assert.equal(mayDeclareGlobals('/p/side.ts', "import './polyfill';\nnamespace N {\nexport const a = 1;\n}\n"), false);
    assert.equal(mayDeclareGlobals('/p/req.ts', "import fs = require('fs');\nnamespace N {\nexport const a = 1;\n}\n"), false);
    assert.equal(mayDeclareGlobals('/p/plain.ts', "import { a } from './a';\nexport const b = a;\n"), false);
    assert.equal(mayDeclareGlobals('/p/m.mts', 'namespace N {\nexport const a = 1;\n}\n'), false);
  });
});
