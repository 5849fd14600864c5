// The registry of rules. Rule ids are public API: never rename one.
import type { AnyRule } from '../rule';
import { floatingPromise } from './floating-promise';
import { misusedPromise } from './misused-promise';
import { lostUpdate } from './lost-update';
import { checkThenAct } from './check-then-act';
import { sharedMemory } from './shared-memory';

export const RULES: readonly AnyRule[] = [floatingPromise, misusedPromise, lostUpdate, checkThenAct, sharedMemory];

export const RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(RULES.map((r) => [r.id, r]));

export function ruleIds(): string[] {
  return RULES.map((r) => r.id);
}
