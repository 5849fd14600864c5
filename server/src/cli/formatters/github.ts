// GitHub Actions workflow commands: one annotation per problem.
//   ::warning file=F,line=L,endLine=L2,col=C,endColumn=C2,title=racelint/<rule>::message
import * as path from 'node:path';
import { messagesOf, type Formatter } from './index';

// Workflow command escaping: data escapes %, CR, LF; properties also escape : and ,.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const formatGithub: Formatter = (results, ctx) => {
  const lines: string[] = [];
  for (const r of results) {
    const file = path.relative(ctx.cwd, r.file).split(path.sep).join('/') || r.file;
    for (const m of messagesOf(r)) {
      const level = m.severity === 'error' ? 'error' : 'warning';
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${m.line}`,
        `endLine=${m.endLine}`,
        `col=${m.column}`,
        `endColumn=${m.endColumn}`,
        `title=${escapeProperty(m.ruleId ? `racelint/${m.ruleId}` : 'racelint')}`,
      ];
      lines.push(`::${level} ${props.join(',')}::${escapeData(m.message)}`);
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
};
