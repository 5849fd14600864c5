// racelint's configuration: `racelint.json`, or a "racelint" key in package.json, found upward
// from each linted file (the nearest one wins). JSON only: racelint never runs workspace code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleLevel, Severity } from './findings';
import { OptionsError, type AnyRule } from './rule';
import { RULES, RULES_BY_ID } from './rules';

export const CONFIG_FILE_NAME = 'racelint.json';

export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, unknown];

export interface RacelintConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
}

export interface ActiveRule {
  rule: AnyRule;
  severity: Severity;
  options: unknown;
}

export interface ResolvedConfig {
  /** The file the settings came from, or undefined for the built-in defaults. */
  configFile?: string;
  /** The directory `ignore` globs are relative to. */
  baseDir: string;
  rules: Map<string, ActiveRule>;
  ignore: string[];
}

/** A problem in a configuration file, naming the file, the key and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}: ${key ? `"${key}": ` : ''}${detail}`);
    this.name = 'ConfigError';
  }
}

const LEVELS: readonly RuleLevel[] = ['off', 'warn', 'error'];
const TOP_KEYS = ['$schema', 'rules', 'ignore'];

function levelToSeverity(level: RuleLevel): Severity | undefined {
  return level === 'off' ? undefined : level === 'warn' ? 'warning' : 'error';
}

function parseLevel(file: string, key: string, value: unknown): RuleLevel {
  if (typeof value === 'string' && (LEVELS as string[]).includes(value)) return value as RuleLevel;
  if (value === 0 || value === 1 || value === 2) return LEVELS[value];
  throw new ConfigError(file, key, `must be "off", "warn" or "error" (got ${JSON.stringify(value)})`);
}

/** The rules at their default levels and options. */
export function defaultRules(): Map<string, ActiveRule> {
  const out = new Map<string, ActiveRule>();
  for (const rule of RULES) {
    out.set(rule.id, { rule, severity: levelToSeverity(rule.defaultLevel)!, options: rule.parseOptions(undefined) });
  }
  return out;
}

/** Applies `rules` settings on top of `base`, validating each entry. */
export function applyRuleSettings(base: Map<string, ActiveRule>, settings: unknown, file: string, keyPrefix = 'rules'): Map<string, ActiveRule> {
  const out = new Map(base);
  if (settings === undefined) return out;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigError(file, keyPrefix, 'must be an object mapping rule ids to "off", "warn", "error" or [level, options]');
  }
  for (const [id, setting] of Object.entries(settings as Record<string, unknown>)) {
    const key = `${keyPrefix}.${id}`;
    const rule = RULES_BY_ID.get(id);
    if (!rule) {
      throw new ConfigError(file, key, `unknown rule; the rules are: ${RULES.map((r) => r.id).join(', ')}`);
    }
    let level: RuleLevel;
    let rawOptions: unknown;
    if (Array.isArray(setting)) {
      if (setting.length < 1 || setting.length > 2) {
        throw new ConfigError(file, key, 'must be a level or [level, options]');
      }
      level = parseLevel(file, key, setting[0]);
      rawOptions = setting[1];
    } else {
      level = parseLevel(file, key, setting);
    }
    const severity = levelToSeverity(level);
    if (!severity) {
      out.delete(id);
      continue;
    }
    let options: unknown;
    try {
      options = rule.parseOptions(rawOptions);
    } catch (err) {
      if (err instanceof OptionsError) throw new ConfigError(file, key, err.message);
      throw err;
    }
    out.set(id, { rule, severity, options });
  }
  return out;
}

function parseJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, '', `is not valid JSON: ${(err as Error).message}`);
  }
}

/** Validates a parsed racelint config object and resolves it against the defaults. */
export function resolveConfigObject(raw: unknown, file: string, baseDir: string): ResolvedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, '', 'must contain a JSON object');
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key)) {
      throw new ConfigError(file, key, `unknown key; allowed keys are: ${TOP_KEYS.filter((k) => k !== '$schema').join(', ')}`);
    }
  }
  const obj = raw as RacelintConfigFile;
  const ignore = obj.ignore ?? [];
  if (!Array.isArray(ignore) || ignore.some((g) => typeof g !== 'string')) {
    throw new ConfigError(file, 'ignore', 'must be an array of glob strings');
  }
  return { configFile: file, baseDir, rules: applyRuleSettings(defaultRules(), obj.rules, file), ignore };
}

/** Reads one config file: racelint.json, or package.json with a "racelint" key. */
export function readConfigFile(file: string): ResolvedConfig | undefined {
  const json = parseJsonFile(file);
  const baseDir = path.dirname(file);
  if (path.basename(file) === 'package.json') {
    if (typeof json !== 'object' || json === null || !('racelint' in json)) return undefined;
    return resolveConfigObject((json as Record<string, unknown>).racelint, `${file}#racelint`, baseDir);
  }
  return resolveConfigObject(json, file, baseDir);
}

export function builtinConfig(baseDir: string): ResolvedConfig {
  return { baseDir, rules: defaultRules(), ignore: [] };
}

/**
 * Finds the configuration for files, upward from their directories, with a cache per directory.
 * An explicit config file (`-c`) applies to every file.
 */
export class ConfigResolver {
  private readonly byDir = new Map<string, ResolvedConfig>();
  private readonly explicit?: ResolvedConfig;

  constructor(
    private readonly fallbackDir: string,
    explicitFile?: string,
  ) {
    if (explicitFile) {
      const abs = path.resolve(explicitFile);
      if (!fs.existsSync(abs)) throw new ConfigError(abs, '', 'does not exist');
      this.explicit = readConfigFile(abs) ?? builtinConfig(path.dirname(abs));
    }
  }

  forFile(file: string): ResolvedConfig {
    return this.explicit ?? this.forDir(path.dirname(path.resolve(file)));
  }

  /** Forget cached configs (the language server calls this when a config file changes). */
  clear(): void {
    this.byDir.clear();
  }

  private forDir(dir: string): ResolvedConfig {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let found: ResolvedConfig | undefined;
    const rc = path.join(dir, CONFIG_FILE_NAME);
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(rc)) found = readConfigFile(rc);
    else if (fs.existsSync(pkg)) found = readConfigFile(pkg);
    if (!found) {
      const parent = path.dirname(dir);
      found = parent === dir ? builtinConfig(this.fallbackDir) : this.forDir(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }
}

/** Restricts a resolved config to the given rule ids (`--rule`), keeping their settings. */
export function onlyRules(config: ResolvedConfig, ids: readonly string[]): ResolvedConfig {
  const rules = new Map<string, ActiveRule>();
  for (const id of ids) {
    const existing = config.rules.get(id);
    const rule = RULES_BY_ID.get(id)!;
    rules.set(id, existing ?? { rule, severity: levelToSeverity(rule.defaultLevel)!, options: rule.parseOptions(undefined) });
  }
  return { ...config, rules };
}
