// The editor's open documents as racelint sees them: which file each one is, whether racelint
// lints it, and what the server last computed for it. Documents that are not files on disk
// (untitled buffers) get a stand-in path next to the workspace so their imports resolve and the
// nearest racelint.json applies; nothing is ever written there.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Linter } from '../core/linter';
import { isLintable, normalizePath } from '../core/project';
import type { DocumentReport } from './diagnostics';

const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

/** The directories whose files are dependencies or build output, never the user's source. */
const FOREIGN_DIRS = /\/(node_modules|\.git)\//;

/**
 * The file a document stands for. `untitledRoot` is where buffers without a file go: the first
 * workspace folder, or a temporary directory.
 */
export function fileOfUri(uri: string, languageId: string, untitledRoot: string): string {
  if (uri.startsWith('file:')) {
    try {
      return normalizePath(fileURLToPath(uri));
    } catch {
      // A malformed file URI: treat it like any other non-file document below.
    }
  }
  const name = decodeURIComponent(uri.replace(/^[a-z][a-z0-9+.-]*:/i, '')).replace(/[^A-Za-z0-9._-]+/g, '_') || 'untitled';
  const known = EXTENSION_BY_LANGUAGE[languageId];
  const ext = path.extname(name);
  const file = known && ext !== known ? `${name}${known}` : name;
  return normalizePath(path.join(untitledRoot, `.racelint-untitled-${file}`));
}

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** The URI for a file the editor has not opened (a related location, a workspace lint result). */
export function uriOfFile(file: string): string {
  return pathToFileURL(file).href;
}

/** Whether racelint lints a document: TypeScript or JavaScript by extension, not in node_modules. */
export function isLintableFile(file: string): boolean {
  return isLintable(file) && !FOREIGN_DIRS.test(file);
}

/** What the server keeps for one open document. */
export class DocumentState {
  /** Edits since the project last saw the text (the project is brought up to date before a lint). */
  dirty = true;
  /** A file this document depends on changed since `report` was computed. */
  stale = false;
  /** The last lint of this document. */
  report?: DocumentReport;
  /** What was last sent with textDocument/publishDiagnostics (push clients). */
  publishedResultId?: string;
  /** Whether the document was linted before (the first lint may load a whole project). */
  linted = false;
  /** The Linter that last linted it (its project holds the document's text). */
  linter?: Linter;
  /** `run: onSave`: the document was saved since its last lint. */
  savedSinceLint = false;
  /** A pending debounced lint (push clients, `run: onType`). */
  timer?: ReturnType<typeof setTimeout>;
  lastScheduledAt = 0;

  constructor(
    readonly uri: string,
    readonly file: string,
    public document: TextDocument,
  ) {}

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  /** The report, if it was computed from this very text with the current settings. */
  currentReport(settingsEpoch: number): DocumentReport | undefined {
    const r = this.report;
    if (!r || this.dirty || this.stale || r.version !== this.version || r.settingsEpoch !== settingsEpoch) return undefined;
    return r;
  }
}
