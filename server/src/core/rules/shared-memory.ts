// Plain access to SharedArrayBuffer-backed memory shared with workers, split atomics, use after transfer.
// (Placeholder: the rule's check is written in its own change.)
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';

export const sharedMemory: RuleDefinition<Record<string, never>> = {
  id: 'shared-memory',
  description: 'Plain access to SharedArrayBuffer-backed memory shared with workers, split atomics, use after transfer.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('shared-memory'),
  check() {},
};
