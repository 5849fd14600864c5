// The JSON Schema of racelint.json, generated from the rule registry so it never drifts from
// what the config loader accepts. `npm run schema` writes schema/racelint.schema.json; a test
// checks the committed file is current.
import { RULES } from './rules';

export function configJsonSchema(): object {
  const level = { enum: ['off', 'warn', 'error'], description: 'off, warn or error' };
  const rules: Record<string, object> = {};
  for (const rule of RULES) {
    rules[rule.id] = {
      description: `${rule.description} (default: ${rule.defaultLevel})`,
      markdownDescription: `${rule.description}\n\n[Documentation](https://github.com/racelint/racelint/blob/main/docs/rules/${rule.id}.md)`,
      oneOf: [
        level,
        { type: 'array', items: [level, rule.optionsSchema], minItems: 1, maxItems: 2, additionalItems: false },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/racelint/racelint/blob/main/schema/racelint.schema.json',
    title: 'racelint configuration',
    description: 'racelint.json, or the "racelint" key of package.json. The nearest one above a file applies.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Rule levels and options: "<rule>": "off" | "warn" | "error" | [level, options].',
        type: 'object',
        additionalProperties: false,
        properties: rules,
      },
      ignore: {
        description: 'Globs, relative to this file, of files and folders not to lint (node_modules, build output and .gitignored files are skipped already).',
        type: 'array',
        items: { type: 'string' },
      },
    },
  };
}
