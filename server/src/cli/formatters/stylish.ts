// The default, human format: a block per file, a summary line at the end.
import * as path from 'node:path';
import { countSeverities, messagesOf, type Formatter } from './index';

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s);

export const formatStylish: Formatter = (results, ctx) => {
  const lines: string[] = [];
  for (const r of results) {
    const messages = messagesOf(r);
    if (messages.length === 0) continue;
    lines.push('', ctx.color ? `\u001b[4m${path.relative(ctx.cwd, r.file) || r.file}\u001b[24m` : path.relative(ctx.cwd, r.file) || r.file);
    const pos = messages.map((m) => `${m.line}:${m.column}`);
    const width = Math.max(...pos.map((p) => p.length));
    messages.forEach((m, i) => {
      const sev = m.severity === 'error' ? paint(ctx.color, 31, 'error  ') : paint(ctx.color, 33, 'warning');
      lines.push(`  ${pos[i].padEnd(width)}  ${sev}  ${m.message}  ${paint(ctx.color, 90, m.ruleId ?? '')}`.trimEnd());
    });
  }
  const { errors, warnings, fixableErrors, fixableWarnings } = countSeverities(results);
  const total = errors + warnings;
  if (total > 0) {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
    lines.push('', paint(ctx.color, errors > 0 ? 31 : 33, summary));
    if (fixableErrors + fixableWarnings > 0) {
      lines.push(`  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.`);
    }
    lines.push('');
  }
  return lines.join('\n');
};
