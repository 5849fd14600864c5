// UI test of the extension in the real VS Code workbench, driven by Playwright:
// open a fixture file, wait for the squiggle, hover (message + docs link), Ctrl+. (the fixes),
// pick a fix and check the text changed. Screenshots go to build/screenshots/.
//   node test/e2e/ui.mjs --workspace <copy of test/e2e/fixture>
// Exits non-zero when the squiggle, the hover, a fix or its edit is missing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench } from './vscode-e2e/workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const wsArg = process.argv.indexOf('--workspace');
const workspace = wsArg > 0 ? path.resolve(process.argv[wsArg + 1]) : path.join(here, 'fixture');
const shots = path.join(root, 'build/screenshots');
const shot = (name) => path.join(shots, name);

// Ctrl+. shows the menu once every code action provider answered, the built-in TypeScript one
// included, which can take a while on a busy machine while tsserver loads the project: ask again
// rather than fail on the first slow answer.
async function quickFixesWithRetry(squiggle, attempts = 4) {
  for (let i = 1; ; i++) {
    try {
      await squiggle.click({ force: true });
      await wb.page.keyboard.press('Control+.');
      const actions = wb.page.locator('.action-widget .monaco-list-row.action');
      await actions.first().waitFor({ timeout: 15_000 });
      return (await actions.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
    } catch (e) {
      if (i >= attempts) throw e;
      console.log(`# the quick-fix menu did not open (attempt ${i}), asking again`);
      await wb.page.keyboard.press('Escape');
    }
  }
}

const started = Date.now();
const wb = await openWorkbench({ extensionDevelopmentPath: root, folder: workspace });
try {
  await wb.openFile('src/floating.ts');
  const squiggle = await wb.waitForSquiggle(undefined, { timeout: 60_000 });
  await wb.screenshot(shot('1-squiggle.png'));

  const hover = await wb.hoverText(squiggle);
  assert.match(hover, /nobody awaits|not awaited|floating/i, `hover: ${hover}`);
  assert.match(hover, /floating-promise/, `the hover names the rule: ${hover}`);
  const docLink = wb.page.locator('.monaco-hover:visible a', { hasText: 'floating-promise' }).first();
  await docLink.waitFor({ timeout: 10_000 });
  const href = (await docLink.getAttribute('data-href')) ?? (await docLink.getAttribute('href')) ?? '';
  assert.match(href, /floating-promise/, `the rule id links to its docs: ${href}`);
  await wb.screenshot(shot('2-hover.png'));
  await wb.page.keyboard.press('Escape');

  const fixes = await quickFixesWithRetry(squiggle);
  const voidFix = fixes.find((f) => /void/.test(f));
  assert.ok(voidFix, `Ctrl+. offers the \`void\` fix: ${JSON.stringify(fixes)}`);
  for (const label of ['Disable floating-promise for this line', 'Show documentation for floating-promise']) {
    assert.ok(fixes.includes(label), `Ctrl+. offers "${label}": ${JSON.stringify(fixes)}`);
  }
  await wb.screenshot(shot('3-quick-fix-menu.png'));

  await wb.quickFix(voidFix);
  await wb.page.locator('.monaco-editor .view-lines', { hasText: 'void save(value)' }).waitFor({ timeout: 10_000 });
  assert.match(await wb.editorText(), /void save\(value\);/);
  await squiggle.waitFor({ state: 'detached', timeout: 30_000 }); // the problem is gone with the fix
  await wb.screenshot(shot('4-fixed.png'));

  // The directive grammar in VS Code's own TypeScript grammar: the directive keyword and the rule
  // id are tokens of their own, coloured unlike the rest of the comment.
  await wb.openFile('src/suppressed.ts');
  const line = wb.page.locator('.editor-group-container.active .view-line', { hasText: 'racelint-disable-next-line' }).first();
  await line.waitFor();
  const colourOf = (text) => line.locator('span > span', { hasText: text }).first().evaluate((el) => getComputedStyle(el).color);
  const tokens = await line.locator('span > span').allInnerTexts();
  assert.ok(tokens.includes('racelint-disable-next-line') && tokens.includes('floating-promise'), `directive tokens: ${JSON.stringify(tokens)}`);
  const [comment, directive, rule] = [await colourOf('//'), await colourOf('racelint-disable-next-line'), await colourOf('floating-promise')];
  assert.notEqual(directive, comment, 'the directive keyword is coloured unlike the comment');
  assert.notEqual(rule, comment, 'the rule id is coloured unlike the comment');
  await wb.screenshot(shot('5-directive-colours.png'));
  console.log(`ok - squiggle, hover with docs link, Ctrl+. fixes, fix applied, directive colours (${((Date.now() - started) / 1000).toFixed(1)} s); screenshots in ${path.relative(root, shots)}/`);
} catch (e) {
  await wb.screenshot(shot('failure.png')).catch(() => {});
  console.error(`not ok - UI test: ${e.message}\n  screenshot: ${path.relative(root, shot('failure.png'))}`);
  process.exitCode = 1;
} finally {
  await wb.close(); // the edit was never saved
}
