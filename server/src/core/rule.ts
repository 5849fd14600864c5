// What a rule is, and what it may touch while it checks one file. Rules see the TypeScript
// compiler API (through ts-morph's bundled `ts`) and return plain data through `report`;
// nothing here knows about terminals, LSP or VS Code.
import { ts } from 'ts-morph';
import type { Fix, RelatedLocation, Severity } from './findings';

export const DOCS_BASE = 'https://github.com/racelint/racelint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

/** A validation error in a rule's options, phrased for the user. */
export class OptionsError extends Error {}

export interface ReportDescriptor {
  /** The node to underline, or an explicit [start, end) offset range. */
  node?: ts.Node;
  start?: number;
  end?: number;
  message: string;
  related?: Array<{ node?: ts.Node; start?: number; end?: number; file?: ts.SourceFile; message: string }>;
  fixes?: Fix[];
  suggestions?: Fix[];
}

export interface RuleContext<Options> {
  readonly sourceFile: ts.SourceFile;
  readonly program: ts.Program;
  /** The type checker. Lazy: rules should find syntactic candidates first and ask types last. */
  readonly checker: ts.TypeChecker;
  readonly options: Options;
  readonly severity: Severity;
  report(descriptor: ReportDescriptor): void;
  /** Per-file memo shared by rules (e.g. the async-segment model computed once for three rules). */
  shared<T>(key: string, compute: () => T): T;
}

export interface RuleDefinition<Options = unknown> {
  id: string;
  description: string;
  defaultLevel: 'warn' | 'error';
  /** Whether the rule needs the type checker (it always gets a program; this is for docs). */
  requiresTypes: boolean;
  /** Validates and completes user options; throws OptionsError with a user-facing message. */
  parseOptions(raw: unknown): Options;
  /** JSON schema of the options, for schema/racelint.schema.json. */
  optionsSchema: object;
  /**
   * Cheap syntactic pre-filter over the raw text: return false to skip the file entirely
   * (no AST walk, no types). Optional.
   */
  mayApply?(text: string): boolean;
  check(context: RuleContext<Options>): void;
}

export type AnyRule = RuleDefinition<any>;

export type { RelatedLocation };
