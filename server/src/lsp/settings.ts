// The `racelint.*` settings: read per document through `workspace/configuration` (section
// `racelint`, scoped to the document), or, for clients without it, from `initializationOptions`
// and `workspace/didChangeConfiguration`. Whatever arrives is validated here; a bad entry is
// dropped with a message and never stops linting.
import * as os from 'node:os';
import * as path from 'node:path';
import { applyRuleSettings, ConfigError, defaultRules, type RuleSetting } from '../core/config';

export type RunMode = 'onType' | 'onSave';
export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface RacelintSettings {
  enable: boolean;
  run: RunMode;
  /** Rule levels (and options) over each file's racelint.json: `LinterOptions.ruleOverrides`. */
  rules: Record<string, RuleSetting>;
  /** An absolute path to the racelint.json used for every file instead of the nearest one. */
  configFile?: string;
  trace: TraceLevel;
}

export const SECTION = 'racelint';

export const DEFAULT_SETTINGS: RacelintSettings = { enable: true, run: 'onType', rules: {}, trace: 'off' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `racelint` section inside whatever a client sends: the section itself, `{ racelint: ... }`
 * (didChangeConfiguration and most initializationOptions), or `{ settings: { racelint: ... } }`.
 */
export function racelintSection(raw: unknown): Record<string, unknown> | undefined {
  if (!isObject(raw)) return undefined;
  if (isObject(raw.racelint)) return raw.racelint;
  if (isObject(raw.settings) && isObject(raw.settings.racelint)) return raw.settings.racelint;
  const known = ['enable', 'run', 'rules', 'configFile', 'trace'];
  return Object.keys(raw).some((k) => known.includes(k)) ? raw : undefined;
}

export interface ParsedSettings {
  settings: RacelintSettings;
  /** What was wrong with the input, phrased for the user (each entry was ignored). */
  problems: string[];
}

/**
 * Validates raw settings. `folder` anchors a relative `configFile` (the VS Code client already
 * sends it absolute; other editors may not).
 */
export function parseSettings(raw: unknown, folder?: string): ParsedSettings {
  const problems: string[] = [];
  const r = isObject(raw) ? raw : {};
  const settings: RacelintSettings = { ...DEFAULT_SETTINGS, rules: {} };
  if (r.enable !== undefined) {
    if (typeof r.enable === 'boolean') settings.enable = r.enable;
    else problems.push(`racelint.enable must be true or false (got ${JSON.stringify(r.enable)}); using true`);
  }
  if (r.run !== undefined) {
    if (r.run === 'onType' || r.run === 'onSave') settings.run = r.run;
    else problems.push(`racelint.run must be "onType" or "onSave" (got ${JSON.stringify(r.run)}); using "onType"`);
  }
  if (r.rules !== undefined && r.rules !== null) {
    if (!isObject(r.rules)) {
      problems.push('racelint.rules must be an object such as { "floating-promise": "off" }; ignoring it');
    } else {
      // Entry by entry, so one typo does not throw away the other overrides.
      for (const [id, setting] of Object.entries(r.rules)) {
        try {
          applyRuleSettings(defaultRules(), { [id]: setting }, 'racelint.rules setting', 'racelint.rules');
          settings.rules[id] = setting as RuleSetting;
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          problems.push(`${err.message}; ignoring it`);
        }
      }
    }
  }
  if (typeof r.configFile === 'string' && r.configFile.trim() !== '') {
    const resolved = resolveConfigFile(r.configFile.trim(), folder);
    if (resolved) settings.configFile = resolved;
    else problems.push(`racelint.configFile "${r.configFile}" is relative and there is no workspace folder to resolve it against; ignoring it`);
  } else if (r.configFile !== undefined && r.configFile !== null && r.configFile !== '') {
    problems.push('racelint.configFile must be a path; ignoring it');
  }
  const trace = isObject(r.trace) ? r.trace.server : undefined;
  if (trace === 'messages' || trace === 'verbose') settings.trace = trace;
  return { settings, problems };
}

function resolveConfigFile(p: string, folder: string | undefined): string | undefined {
  if (p.includes('${workspaceFolder}')) {
    if (!folder) return undefined;
    p = p.split('${workspaceFolder}').join(folder);
  }
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  if (path.isAbsolute(p)) return path.normalize(p);
  return folder ? path.resolve(folder, p) : undefined;
}

export function sameSettings(a: RacelintSettings, b: RacelintSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where the settings come from and how they are cached. */
export interface SettingsSource {
  /** Asks the client (`workspace/configuration`); undefined when the client cannot be asked. */
  fetch?(scopeUri: string | undefined): Promise<unknown>;
  /** Reports what was wrong with the settings (each problem once). */
  problem(message: string): void;
}

/**
 * Settings per document: asked from the client when it supports `workspace/configuration`
 * (scoped to the document), otherwise the last settings it pushed (`didChangeConfiguration`)
 * or sent as `initializationOptions`. Cached until the configuration changes.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<RacelintSettings>>();

  constructor(
    private readonly source: SettingsSource,
    private pushed: Record<string, unknown> | undefined,
  ) {}

  /** The settings of a document (or of a folder, or global with no scope). */
  forScope(scopeUri: string | undefined, folder: string | undefined): Promise<RacelintSettings> {
    const key = `${scopeUri ?? ''}\0${folder ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.load(scopeUri, folder);
      this.cache.set(key, p);
    }
    return p;
  }

  /** Forget everything cached; `pushed` replaces the pushed settings when the client sent some. */
  invalidate(pushed?: unknown): void {
    this.cache.clear();
    const section = racelintSection(pushed);
    if (section) this.pushed = section;
  }

  private async load(scopeUri: string | undefined, folder: string | undefined): Promise<RacelintSettings> {
    let raw: unknown;
    if (this.source.fetch) {
      try {
        raw = await this.source.fetch(scopeUri);
      } catch {
        raw = undefined;
      }
    }
    // A client that has nothing configured answers null: fall back to what it pushed.
    if (raw === null || raw === undefined || (typeof raw === 'object' && Object.keys(raw as object).length === 0)) raw = this.pushed ?? raw;
    const { settings, problems } = parseSettings(raw, folder);
    for (const p of problems) this.source.problem(p);
    return settings;
  }
}
