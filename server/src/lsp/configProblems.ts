// Broken configuration, reported where the user can fix it: a diagnostic on the racelint.json
// (or package.json) at the offending key, and one window message per distinct problem. Linting
// goes on with the built-in defaults meanwhile; the diagnostic disappears once the file is fixed.
import * as fs from 'node:fs';
import { DiagnosticSeverity, MessageType, type Connection, type Diagnostic, type Range } from 'vscode-languageserver';
import { ConfigError } from '../core/config';
import { normalizePath } from '../core/project';
import { SOURCE } from './diagnostics';
import { uriOfFile } from './documents';

export class ConfigProblems {
  /** Config file → the message currently shown on it. */
  private readonly onFile = new Map<string, string>();
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly uriOf: (file: string) => string = uriOfFile,
  ) {}

  /** Whether any configuration problem is currently reported. */
  get active(): boolean {
    return this.onFile.size > 0;
  }

  /** The first active problem, for the status item. */
  get summary(): string | undefined {
    const first = this.onFile.values().next();
    return first.done ? undefined : first.value;
  }

  /** A config file could not be used. `file` is where the problem is (ConfigError.file if absent). */
  report(err: Error, fallbackFile?: string): void {
    const file = err instanceof ConfigError ? configPathOf(err.file) : fallbackFile;
    const message = `racelint: ${err.message}. Linting with the default settings until it is fixed.`;
    this.showOnce(message);
    if (!file || !fs.existsSync(file)) return;
    if (this.onFile.get(file) === message) return;
    this.onFile.set(file, message);
    void this.connection.sendDiagnostics({
      uri: this.uriOf(file),
      diagnostics: [diagnosticFor(file, err, message)],
    });
  }

  /** A config file was used successfully: clear what was reported on it. */
  resolved(configFile: string | undefined): void {
    if (!configFile) return;
    this.clear(configPathOf(configFile));
  }

  /** Clear reports on files that are gone or changed (they are re-reported on the next lint if still broken). */
  forget(files?: Iterable<string>): void {
    for (const f of files ?? [...this.onFile.keys()]) this.clear(normalizePath(f));
  }

  /** A settings problem (no file to put a diagnostic on): one message per distinct text. */
  showOnce(message: string, type: MessageType = MessageType.Warning): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.connection.console.warn(message);
    void this.connection.sendNotification('window/showMessage', { type, message });
  }

  private clear(file: string): void {
    if (!this.onFile.has(file)) return;
    this.onFile.delete(file);
    void this.connection.sendDiagnostics({ uri: this.uriOf(file), diagnostics: [] });
  }
}

/** `ConfigError.file` names package.json's section as `…/package.json#racelint`. */
function configPathOf(name: string): string {
  return normalizePath(name.replace(/#racelint$/, ''));
}

function diagnosticFor(file: string, err: Error, message: string): Diagnostic {
  let range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  try {
    const text = fs.readFileSync(file, 'utf8');
    const at = locate(text, err);
    if (at) range = { start: positionAt(text, at[0]), end: positionAt(text, at[1]) };
  } catch {
    // Unreadable: the top of the file will do.
  }
  return { range, severity: DiagnosticSeverity.Error, source: SOURCE, code: 'config', message };
}

/** Where in the config text the problem is: the JSON syntax error, or the key named by the error. */
function locate(text: string, err: Error): [number, number] | undefined {
  const pos = /at position (\d+)/.exec(err.message);
  if (pos) {
    const p = Math.min(Number(pos[1]), text.length);
    return [p, Math.min(p + 1, text.length)];
  }
  if (!(err instanceof ConfigError) || !err.key) return undefined;
  // "rules.floating-promise" → the last key that appears in the text as a property name.
  const parts = err.key.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const needle = JSON.stringify(parts.slice(i).join('.'));
    const at = text.indexOf(needle);
    if (at >= 0) return [at, at + needle.length];
    const single = text.indexOf(JSON.stringify(parts[i]));
    if (single >= 0) return [single, single + JSON.stringify(parts[i]).length];
  }
  return undefined;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
