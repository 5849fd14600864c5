// Shared state read before an await and written after it, from the value read, while other tasks can run the same code.
// (Placeholder: the rule's check is written in its own change.)
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';

export const lostUpdate: RuleDefinition<Record<string, never>> = {
  id: 'lost-update',
  description: 'Shared state read before an await and written after it, from the value read, while other tasks can run the same code.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('lost-update'),
  check() {},
};
