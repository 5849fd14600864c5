// An async function or promise where a sync callback or a boolean is expected.
// (Placeholder: the rule's check is written in its own change.)
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';

export const misusedPromise: RuleDefinition<Record<string, never>> = {
  id: 'misused-promise',
  description: 'An async function or promise where a sync callback or a boolean is expected.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('misused-promise'),
  check() {},
};
