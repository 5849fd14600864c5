// The `racelint.*` settings as the server receives them through `workspace/configuration`.
// VS Code hands the client whatever the user typed (a string where a boolean belongs, a relative
// path); this module turns it into one well-formed shape, with paths made absolute against the
// workspace folder the settings belong to. No `vscode` import, so node unit tests cover it.
import * as path from 'node:path';

export type RunMode = 'onType' | 'onSave';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** What the server gets for the section `racelint`. */
export interface ServerSettings {
  enable: boolean;
  run: RunMode;
  /** Rule levels and options on top of racelint.json, in racelint.json's own format; the server validates them. */
  rules: Record<string, unknown>;
  /** An absolute path to the configuration file to use instead of the nearest racelint.json, or null. */
  configFile: string | null;
  trace: { server: TraceLevel };
}

export const SETTINGS_SECTION = 'racelint';

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: 'onType',
  rules: {},
  configFile: null,
  trace: { server: 'off' },
};

export interface ResolveContext {
  /** The file system path of the workspace folder the settings apply to, if any. */
  workspaceFolder?: string;
  homeDir?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Makes `racelint.configFile` absolute: `${workspaceFolder}` and a leading `~` are expanded, and a
 * relative path is taken from the workspace folder. With no folder to anchor it, a relative path
 * cannot mean anything reliable, so it is dropped rather than resolved against the server's cwd.
 */
export function resolveConfigFile(value: unknown, ctx: ResolveContext): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let p = value.trim();
  if (p.includes('${workspaceFolder}')) {
    if (!ctx.workspaceFolder) return null;
    p = p.split('${workspaceFolder}').join(ctx.workspaceFolder);
  }
  if (ctx.homeDir && (p === '~' || p.startsWith('~/') || p.startsWith('~\\'))) p = path.join(ctx.homeDir, p.slice(1));
  if (path.isAbsolute(p)) return path.normalize(p);
  return ctx.workspaceFolder ? path.resolve(ctx.workspaceFolder, p) : null;
}

export function toServerSettings(raw: unknown, ctx: ResolveContext = {}): ServerSettings {
  const r = isObject(raw) ? raw : {};
  const trace = isObject(r.trace) ? r.trace.server : undefined;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    run: r.run === 'onSave' || r.run === 'onType' ? r.run : DEFAULT_SETTINGS.run,
    rules: isObject(r.rules) ? { ...r.rules } : {},
    configFile: resolveConfigFile(r.configFile, ctx),
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

/**
 * Settings that a workspace must not set while it is untrusted (VS Code then reads them from the
 * user's own settings only). `configFile` can point racelint at any file on disk, outside the
 * folder the user chose to open; everything else only tunes what racelint reports.
 */
export const RESTRICTED_SETTINGS = ['racelint.configFile'] as const;
