// The language-server face of the fuzz harness: one built `racelint-server --stdio` process,
// spoken to over JSON-RPC as an editor would. Each input is opened as a document (decoded as an
// editor decodes a file), its diagnostics are awaited and checked, code actions are requested
// for the whole document and their edits checked, and the document is closed. A server that
// dies is a crash (and is restarted for the next input); one that stops answering is a hang.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describeExceeded, watchBudget } from './budget.mjs';
import { lineStarts, positionAt } from './invariants.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

const LANGUAGE_IDS = { '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact' };

/** The text an editor shows for these bytes: UTF-16 by BOM, else UTF-8 without its BOM. */
export function editorText(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Waits for `promise`; with a `pid`, the budget is that process's CPU time (see budget.mjs). */
function withTimeout(promise, ms, what, pid) {
  let stop;
  return Promise.race([
    promise.finally(() => stop?.()),
    new Promise((_, reject) => {
      const fail = (detail) => reject(Object.assign(new Error(`${what}: ${detail}`), { hang: true }));
      if (pid) stop = watchBudget(pid, ms, (used) => fail(describeExceeded(ms, used)));
      else {
        const timer = setTimeout(() => fail(`no answer within ${ms} ms`), ms);
        stop = () => clearTimeout(timer);
      }
    }),
  ]);
}

function checkLspRange(where, range, text, starts, out) {
  const ok = (p) => p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
  if (!range || !ok(range.start) || !ok(range.end)) {
    out.push(`${where}: malformed range ${JSON.stringify(range)}`);
    return;
  }
  for (const p of [range.start, range.end]) {
    if (p.line >= starts.length) out.push(`${where}: line ${p.line} is past the last line (${starts.length - 1})`);
    else {
      const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
      let len = lineEnd - starts[p.line];
      while (len > 0 && (text.charCodeAt(starts[p.line] + len - 1) === 10 || text.charCodeAt(starts[p.line] + len - 1) === 13)) len--;
      if (p.character > len) out.push(`${where}: ${p.line}:${p.character} is past the end of its line (${len})`);
    }
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) out.push(`${where}: range ends before it starts`);
}

export class ServerSession {
  constructor(repo, args = ['--stdio']) {
    this.repo = repo;
    this.args = args;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-fuzz-lsp-'));
    fs.writeFileSync(path.join(this.dir, 'package.json'), '{ "name": "racelint-fuzz", "private": true }\n');
    this.diagnostics = new Map();
    this.waiters = new Map();
    this.version = 0;
  }

  /** Starts the server; resolves true when it syncs documents (so there is something to fuzz). */
  async start(timeoutMs) {
    this.stderr = '';
    this.proc = spawn(process.execPath, [path.join(this.repo, 'bin', 'racelint-server.js'), ...this.args], { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve(code ?? signal)));
    this.conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(this.proc.stdout), new rpc.StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      const w = this.waiters.get(p.uri);
      if (w) {
        this.waiters.delete(p.uri);
        w(p);
      }
    });
    this.conn.onRequest(rpc.ConfigurationRequest.type, (p) => p.items.map(() => null));
    this.conn.onRequest(rpc.RegistrationRequest.type, () => null);
    this.conn.onRequest(rpc.WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onError(() => {});
    this.conn.listen();
    const root = pathToFileURL(this.dir).href;
    const init = await withTimeout(
      this.conn.sendRequest(rpc.InitializeRequest.type, {
        processId: process.pid,
        rootUri: root,
        workspaceFolders: [{ uri: root, name: 'fuzz' }],
        capabilities: {
          textDocument: { diagnostic: { dynamicRegistration: false }, publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
          workspace: { configuration: true },
        },
      }),
      timeoutMs,
      'initialize',
    );
    await this.conn.sendNotification(rpc.InitializedNotification.type, {});
    this.capabilities = init.capabilities ?? {};
    return !!this.capabilities.textDocumentSync;
  }

  alive() {
    return this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async close() {
    if (!this.alive()) return;
    try {
      await withTimeout(this.conn.sendRequest(rpc.ShutdownRequest.type), 5000, 'shutdown');
      await this.conn.sendNotification(rpc.ExitNotification.type);
      await withTimeout(this.exited, 5000, 'exit');
    } catch {
      this.proc.kill('SIGKILL');
    } finally {
      this.conn.dispose();
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /**
   * Opens one input and pulls its diagnostics, asks for code actions over the whole document,
   * then deletes its second part (as if half-typed) with an incremental change and does both
   * again, and closes it. Everything must come back in range of the text the server was given.
   */
  async check(input, budgetMs) {
    const failures = [];
    if (!this.alive()) {
      try {
        this.conn?.dispose();
        await this.start(30_000);
      } catch (err) {
        return { failures: [{ kind: 'crash', detail: `server cannot be restarted: ${err.message}` }] };
      }
    }
    const file = path.join(this.dir, `input-${++this.version}${input.ext}`);
    fs.writeFileSync(file, input.bytes);
    const uri = pathToFileURL(file).href;
    const text = editorText(input.bytes);
    const starts = lineStarts(text);
    const died = this.exited.then((c) => Promise.reject(new Error(`server exited (${c})`)));
    died.catch(() => {});
    const request = (what, promise) => withTimeout(Promise.race([promise, died]), budgetMs, what, this.proc.pid);
    const checkText = async (stage, current, currentStarts) => {
      const violations = [];
      const report = await request(`${stage}: diagnostics`, this.conn.sendRequest(rpc.DocumentDiagnosticRequest.type, { textDocument: { uri } }));
      const diagnostics = report?.kind === 'full' ? report.items : [];
      for (const d of diagnostics) {
        if (typeof d.message !== 'string' || d.message === '') violations.push(`${stage}: diagnostic without a message`);
        checkLspRange(`${stage}: diagnostic "${String(d.message).slice(0, 80)}"`, d.range, current, currentStarts, violations);
      }
      if (this.capabilities.codeActionProvider) {
        const end = positionAt(currentStarts, current.length);
        const actions = await request(`${stage}: codeAction`, this.conn.sendRequest(rpc.CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics } }));
        for (const a of actions ?? []) {
          const edits = a.edit?.changes?.[uri] ?? a.edit?.documentChanges?.flatMap((c) => (c.textDocument?.uri === uri ? c.edits : [])) ?? [];
          for (const e of edits) checkLspRange(`${stage}: code action "${a.title}" edit`, e.range, current, currentStarts, violations);
        }
      }
      return violations;
    };
    try {
      await this.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: LANGUAGE_IDS[input.ext] ?? 'typescript', version: 1, text } });
      const violations = await checkText('opened', text, starts);
      // Half-typed: everything after about 62% of the text deleted, as one incremental change.
      let cut = Math.floor(text.length * 0.618);
      // Not inside a CRLF or a surrogate pair: positions there do not exist.
      if (cut > 0 && text.charCodeAt(cut - 1) === 13 && text.charCodeAt(cut) === 10) cut--;
      if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]) && /[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
      const from = positionAt(starts, cut);
      await this.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: from, end: positionAt(starts, text.length) }, text: '' }] });
      const truncated = text.slice(0, cut);
      violations.push(...(await checkText('truncated', truncated, lineStarts(truncated))));
      for (const v of violations) failures.push({ kind: 'invalid', detail: v });
    } catch (err) {
      if (err.hang) failures.push({ kind: 'hang', detail: err.message });
      else failures.push({ kind: 'crash', detail: `${err.message}; stderr: ${this.stderr.slice(-1500)}` });
      if (err.hang && this.alive()) this.proc.kill('SIGKILL');
    } finally {
      this.waiters.delete(uri);
      if (this.alive()) await this.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri } }).catch(() => {});
      fs.rmSync(file, { force: true });
    }
    return { failures };
  }
}
