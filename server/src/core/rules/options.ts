// Small validators for rule options, so each rule states its options once and users get
// messages that name the option and what it allows.
import { OptionsError } from '../rule';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function noOptions(ruleId: string) {
  return (raw: unknown): Record<string, never> => {
    if (raw === undefined) return {};
    if (!isPlainObject(raw) || Object.keys(raw).length > 0) {
      throw new OptionsError(`rule "${ruleId}" takes no options`);
    }
    return {};
  };
}

type FieldSpec =
  | { type: 'boolean'; default: boolean }
  | { type: 'number'; default: number; min?: number }
  | { type: 'string[]'; default: string[] };

/** Validates an options object against a flat spec, filling defaults. */
export function objectOptions<T extends Record<string, unknown>>(ruleId: string, spec: { [K in keyof T]: FieldSpec }) {
  return (raw: unknown): T => {
    const out: Record<string, unknown> = {};
    if (raw !== undefined && !isPlainObject(raw)) {
      throw new OptionsError(`options of rule "${ruleId}" must be an object`);
    }
    const given = (raw ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!(key in spec)) {
        throw new OptionsError(`rule "${ruleId}" has no option "${key}" (allowed: ${Object.keys(spec).join(', ') || 'none'})`);
      }
    }
    for (const [key, field] of Object.entries(spec) as Array<[string, FieldSpec]>) {
      const value = given[key];
      if (value === undefined) {
        out[key] = Array.isArray(field.default) ? [...field.default] : field.default;
        continue;
      }
      const bad = (what: string) => new OptionsError(`option "${key}" of rule "${ruleId}" must be ${what}`);
      switch (field.type) {
        case 'boolean':
          if (typeof value !== 'boolean') throw bad('true or false');
          break;
        case 'number':
          if (typeof value !== 'number' || !Number.isFinite(value) || (field.min !== undefined && value < field.min)) {
            throw bad(field.min !== undefined ? `a number >= ${field.min}` : 'a number');
          }
          break;
        case 'string[]':
          if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad('an array of strings');
          break;
      }
      out[key] = value;
    }
    return out as T;
  };
}

/** The JSON schema for a flat spec, for schema/racelint.schema.json. */
export function schemaOf(spec: Record<string, FieldSpec & { description?: string }>): object {
  const properties: Record<string, object> = {};
  for (const [key, field] of Object.entries(spec)) {
    const base = field.type === 'string[]' ? { type: 'array', items: { type: 'string' } } : { type: field.type };
    properties[key] = { ...base, default: field.default, ...(field.description ? { description: field.description } : {}) };
  }
  return { type: 'object', additionalProperties: false, properties };
}
