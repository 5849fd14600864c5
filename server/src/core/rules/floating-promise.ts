// A promise that nobody awaits, returns, or handles.
// (Placeholder: the rule's check is written in its own change.)
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';

export const floatingPromise: RuleDefinition<Record<string, never>> = {
  id: 'floating-promise',
  description: 'A promise that nobody awaits, returns, or handles.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('floating-promise'),
  check() {},
};
