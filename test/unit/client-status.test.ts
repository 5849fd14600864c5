// The language status item's wording (client/src/statusModel.ts), without VS Code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fixAllSummary,
  formatDuration,
  lintWorkspaceSummary,
  nextLastLintMs,
  parseStatusParams,
  statusView,
} from '../../client/src/statusModel';

test('durations read naturally', () => {
  assert.equal(formatDuration(0.4), '<1 ms');
  assert.equal(formatDuration(42.4), '42 ms');
  assert.equal(formatDuration(1530), '1.5 s');
  assert.equal(formatDuration(12_400), '12 s');
  assert.equal(formatDuration(-1), '');
});

test('ready shows the last lint time; linting is busy and keeps it', () => {
  const ready = statusView('running', { state: 'ready', lastLintMs: 42 }, 42);
  assert.deepEqual(ready, { text: 'racelint: ready', detail: 'last lint took 42 ms', severity: 'information', busy: false });
  const linting = statusView('running', { state: 'linting' }, 42);
  assert.equal(linting.text, 'racelint: linting');
  assert.equal(linting.busy, true);
  assert.equal(linting.detail, 'last lint took 42 ms');
  assert.equal(statusView('running', { state: 'linting', message: 'loading tsconfig.json' }, 42).detail, 'loading tsconfig.json');
});

test('an error shows the server message at error severity', () => {
  const v = statusView('running', { state: 'error', message: 'racelint.json: "rules.foo": unknown rule' });
  assert.equal(v.severity, 'error');
  assert.equal(v.text, 'racelint: error');
  assert.match(v.detail, /unknown rule/);
  assert.match(statusView('running', { state: 'error' }).detail, /Show output/);
});

test('client states win over a stale server status', () => {
  assert.equal(statusView('starting', { state: 'ready' }).text, 'racelint: starting');
  const stopped = statusView('stopped', { state: 'ready' }, 10);
  assert.equal(stopped.text, 'racelint: stopped');
  assert.equal(stopped.severity, 'warning');
  assert.match(stopped.detail, /Restart server/);
});

test('malformed notifications are rejected, extra fields dropped', () => {
  assert.equal(parseStatusParams(undefined), undefined);
  assert.equal(parseStatusParams({ state: 'busy' }), undefined);
  assert.deepEqual(parseStatusParams({ state: 'ready', lastLintMs: 'fast', message: '  ' }), { state: 'ready' });
  assert.deepEqual(parseStatusParams({ state: 'ready', lastLintMs: 7, extra: 1 }), { state: 'ready', lastLintMs: 7 });
  assert.equal(parseStatusParams({ state: 'ready', lastLintMs: -3 })?.lastLintMs, undefined);
});

test('the last lint time survives notifications without one', () => {
  assert.equal(nextLastLintMs(undefined, { state: 'ready', lastLintMs: 5 }), 5);
  assert.equal(nextLastLintMs(5, { state: 'linting' }), 5);
  assert.equal(nextLastLintMs(5, { state: 'ready', lastLintMs: 9 }), 9);
});

test('lint-workspace summary needs both counts', () => {
  assert.equal(lintWorkspaceSummary({ files: 12, problems: 1 }), 'racelint: 1 problem in 12 files');
  assert.equal(lintWorkspaceSummary({ fileCount: 1, findings: 0 }), 'racelint: 0 problems in 1 file');
  assert.equal(lintWorkspaceSummary({ files: 3 }), undefined);
  assert.equal(lintWorkspaceSummary(null), undefined);
});

test('fix-all summary says what happened', () => {
  assert.equal(fixAllSummary({ applied: true, edits: 3 }), 'racelint: applied 3 fixes');
  assert.equal(fixAllSummary({ applied: true, edits: 1 }), 'racelint: applied 1 fix');
  assert.equal(fixAllSummary({ applied: false, edits: 0, reason: 'nothing to fix' }), 'racelint: nothing to fix');
  assert.equal(fixAllSummary(undefined), undefined);
});
