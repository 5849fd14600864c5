import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { ConfigError, ConfigResolver, readConfigFile, resolveConfigObject } from '../../server/src/core/config';
import { configJsonSchema } from '../../server/src/core/configSchema';
import { ruleIds } from '../../server/src/core/rules';
import { tempDir } from '../support/tempDirs';

function tmpDir(files: Record<string, string>): string {
  const dir = tempDir('racelint-config-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('defaults enable every rule', () => {
  const c = resolveConfigObject({}, 'racelint.json', '/');
  assert.deepEqual([...c.rules.keys()].sort(), ruleIds().sort());
});

test('levels and options are applied; off removes the rule', () => {
  const c = resolveConfigObject({ rules: { 'floating-promise': 'off', 'lost-update': ['error'], 'check-then-act': 'warn' } }, 'racelint.json', '/');
  assert.equal(c.rules.has('floating-promise'), false);
  assert.equal(c.rules.get('lost-update')!.severity, 'error');
  assert.equal(c.rules.get('check-then-act')!.severity, 'warning');
});

test('unknown keys, unknown rules and wrong types name the file, the key and what is allowed', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ rulez: {} }, /racelint\.json: "rulez": unknown key; allowed keys are: rules, ignore/],
    [{ rules: { 'no-such-rule': 'error' } }, /"rules\.no-such-rule": unknown rule; the rules are: floating-promise/],
    [{ rules: { 'lost-update': 'loud' } }, /"rules\.lost-update": must be "off", "warn" or "error" \(got "loud"\)/],
    [{ rules: { 'floating-promise': ['warn', { nope: 1 }] } }, /"rules\.floating-promise": rule "floating-promise" (has no option "nope"|takes no options)/],
    [{ rules: [] }, /"rules": must be an object/],
    [{ ignore: 'dist' }, /"ignore": must be an array of glob strings/],
    [[], /must contain a JSON object/],
  ];
  for (const [raw, re] of cases) {
    assert.throws(() => resolveConfigObject(raw, 'racelint.json', '/'), (err: unknown) => err instanceof ConfigError && re.test(err.message), JSON.stringify(raw));
  }
});

test('broken JSON is a ConfigError naming the file', () => {
  const dir = tmpDir({ 'racelint.json': '{ "rules": { ' });
  assert.throws(() => readConfigFile(path.join(dir, 'racelint.json')), /racelint\.json: is not valid JSON/);
});

test('the nearest config wins; package.json#racelint counts, package.json without it does not', () => {
  const dir = tmpDir({
    'racelint.json': JSON.stringify({ rules: { 'lost-update': 'off' } }),
    'a/package.json': JSON.stringify({ name: 'a', racelint: { rules: { 'check-then-act': 'off' } } }),
    'b/package.json': JSON.stringify({ name: 'b' }),
    'a/x.ts': '',
    'b/y.ts': '',
  });
  const resolver = new ConfigResolver(dir);
  const a = resolver.forFile(path.join(dir, 'a/x.ts'));
  assert.match(a.configFile!, /package\.json#racelint$/);
  assert.equal(a.rules.has('check-then-act'), false);
  assert.equal(a.rules.has('lost-update'), true);
  const b = resolver.forFile(path.join(dir, 'b/y.ts'));
  assert.equal(b.configFile, path.join(dir, 'racelint.json'));
  assert.equal(b.rules.has('lost-update'), false);
});

test('the committed JSON schema is current and accepts what the loader accepts', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'racelint.schema.json'), 'utf8'));
  assert.deepEqual(committed, configJsonSchema(), 'schema/racelint.schema.json is stale: run `npm run schema`');
  const validate = new Ajv({ strict: false }).compile(committed);
  assert.equal(validate({ rules: { 'floating-promise': 'warn', 'lost-update': ['error'] }, ignore: ['gen/**'] }), true);
  assert.equal(validate({ rules: { 'no-such-rule': 'warn' } }), false);
  assert.equal(validate({ rulez: {} }), false);
});
