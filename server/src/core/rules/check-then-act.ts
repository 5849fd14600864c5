// A check whose decision is acted on after an await or across workers, without a re-check.
// (Placeholder: the rule's check is written in its own change.)
import type { RuleDefinition } from '../rule';
import { noOptions } from './options';

export const checkThenAct: RuleDefinition<Record<string, never>> = {
  id: 'check-then-act',
  description: 'A check whose decision is acted on after an await or across workers, without a re-check.',
  defaultLevel: 'warn',
  requiresTypes: true,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  parseOptions: noOptions('check-then-act'),
  check() {},
};
