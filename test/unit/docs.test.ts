// Every rule has a docs page that states its real default level and shows code, and the README
// links it: the docs URL in every diagnostic must lead somewhere true.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { docsUrl } from '../../server/src/core/rule';
import { RULES } from '../../server/src/core/rules';

const REPO = path.resolve(__dirname, '..', '..');

for (const rule of RULES) {
  test(`docs/rules/${rule.id}.md matches the rule`, () => {
    const file = path.join(REPO, 'docs', 'rules', `${rule.id}.md`);
    assert.ok(fs.existsSync(file), `${file} is missing`);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`^# ${rule.id}\\b`, 'm'));
    assert.match(text, new RegExp(`Default level: \`${rule.defaultLevel}\``), 'the page states the default level');
    assert.ok((text.match(/```(ts|js|typescript|javascript|tsx)\n/g) ?? []).length >= 2, 'bad and good code examples');
    assert.ok(docsUrl(rule.id).endsWith(`docs/rules/${rule.id}.md`));
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`\\[\`${rule.id}\`\\]\\(docs/rules/${rule.id}\\.md\\) \\| [^|]+ \\| ${rule.defaultLevel} \\|`), 'README rules table row');
  });
}
