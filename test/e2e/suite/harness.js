// A small test harness for the extension host (no mocha: the tests run inside VS Code, where a
// plain sequence of named async functions and assert is all that is needed). Each test gets a
// fresh deadline; nothing sleeps for a fixed time, everything polls until its condition holds.
const assert = require('assert');
const vscode = require('vscode');

const DEFAULT_TIMEOUT_MS = 30_000;

/** Polls fn() until it returns a truthy value; the error names what never happened. */
async function waitFor(what, fn, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const racelintDiagnostics = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'racelint');
const ruleOf = (d) => (typeof d.code === 'object' ? d.code.value : d.code);

/** Waits until the file's racelint diagnostics satisfy `pred`, and returns them. */
async function diagnosticsWhere(uri, what, pred, timeoutMs) {
  return waitFor(`${what} in ${vscode.workspace.asRelativePath(uri)}`, () => {
    const ds = racelintDiagnostics(uri);
    return pred(ds) ? ds : undefined;
  }, timeoutMs).catch((e) => {
    const now = racelintDiagnostics(uri).map((d) => `${ruleOf(d)}@${d.range.start.line + 1}: ${d.message}`);
    throw new Error(`${e.message}; diagnostics now: ${JSON.stringify(now)}`);
  });
}

function workspaceUri(rel) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, rel);
}

async function open(rel) {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Runs the tests in order; logs TAP-like lines; rejects if any failed. */
async function runTests(tests) {
  let failed = 0;
  const started = Date.now();
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    try {
      await fn();
      console.log(`ok - ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split('\n').join('\n  ')}`);
    }
  }
  console.log(`${tests.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (failed) throw new Error(`${failed} test(s) failed`);
}

module.exports = { assert, waitFor, racelintDiagnostics, ruleOf, diagnosticsWhere, workspaceUri, open, runTests, EXTENSION_ID: 'racelint.racelint' };
