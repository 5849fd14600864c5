// google-gemini/gemini-cli PR #18506 (fixes #18504): policy rules approved "always allow" are
// appended to the user's policy file through a sequential queue on the persister, and each write
// goes to a temp file of its own before the rename.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

interface PolicyRule {
  toolName: string;
  decision: 'allow' | 'deny';
  argsPattern?: string;
}

interface PolicyFile {
  rule: PolicyRule[];
}

declare function parseToml(text: string): PolicyFile;
declare function stringifyToml(value: PolicyFile): string;

export class PolicyPersister {
  private writeQueue: Promise<void> = Promise.resolve();

  constructor(private readonly policyPath: string) {}

  persistRule(rule: PolicyRule): Promise<void> {
    const next = this.writeQueue.then(() => this.appendRule(rule));
    this.writeQueue = next.catch((error) => {
      console.error('Failed to persist policy rule', error);
    });
    return next;
  }

  private async appendRule(rule: PolicyRule): Promise<void> {
    let existing: PolicyFile = { rule: [] };
    try {
      existing = parseToml(await fs.readFile(this.policyPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    existing.rule = [...(existing.rule ?? []), rule];
    await fs.mkdir(path.dirname(this.policyPath), { recursive: true });
    const tmpPath = `${this.policyPath}.${randomUUID()}.tmp`;
    await fs.writeFile(tmpPath, stringifyToml(existing), 'utf8');
    await fs.rename(tmpPath, this.policyPath);
  }
}
