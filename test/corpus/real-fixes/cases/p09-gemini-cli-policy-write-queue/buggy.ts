// google-gemini/gemini-cli issue #18504 (buggy twin): two tool approvals persisted at once both read
// the policy file, each appends its own rule, and the later write drops the other's rule.
import * as fs from 'node:fs/promises';

interface PolicyRule {
  toolName: string;
  decision: 'allow' | 'deny';
}

interface PolicyFile {
  rule: PolicyRule[];
}

declare function parseToml(text: string): PolicyFile;
declare function stringifyToml(value: PolicyFile): string;

export class PolicyPersister {
  constructor(private readonly policyPath: string) {}

  async persistRule(rule: PolicyRule): Promise<void> {
    let existing: PolicyFile = { rule: [] };
    try {
      existing = parseToml(await fs.readFile(this.policyPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    existing.rule = [...(existing.rule ?? []), rule];
    await fs.writeFile(this.policyPath, stringifyToml(existing), 'utf8');
    //    ^ lost-update
  }
}
