// Words for race findings, shared by the race rules so that they describe locations, suspension
// points and concurrency sources the same way.
import { ts } from 'ts-morph';
import type { RaceSource } from './model';
import type { SharedLocation } from './sharedLocations';

function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** "`revenue` (a module variable)", "`this.balance`", "the file at `path`". */
export function describeLocation(loc: SharedLocation): string {
  if (loc.entry !== undefined && loc.kind !== 'store') return `the \`${loc.entry}\` entry of ${describeLocation({ ...loc, entry: undefined })}`;
  switch (loc.kind) {
    case 'module':
      return loc.text === 'this' ? 'this object (a module-level object)' : `\`${loc.text}\` (module state)`;
    case 'captured':
      return `\`${loc.text}\` (captured from the enclosing function)`;
    case 'instance':
      return `\`${loc.text}\``;
    case 'static':
      return `\`${loc.text}\` (static state)`;
    case 'store':
      if (loc.resource === 'resource:') return `the state behind \`${loc.text}()\``;
      if (loc.resource?.startsWith('sql:')) return `the \`${loc.text}\` table`;
      return loc.entry !== undefined ? `the \`${loc.entry}\` entry of the store \`${loc.text}\`` : `the store \`${loc.text}\``;
    case 'file':
      return `the file at \`${loc.text}\``;
    case 'slot':
      return loc.setter && loc.text !== `${loc.setter}()` && !loc.text.endsWith('()') ? `\`${loc.text}\` (state set through \`${loc.setter}\`)` : `the state behind \`${loc.setter}\``;
  }
}

/** "the `await` on line 12", "the `.then` on line 12", "the callback of `fs.stat(…)` on line 12", "the `for await` on line 12". */
export function describeSuspension(node: ts.Node): string {
  const line = lineOf(node);
  if (ts.isAwaitExpression(node)) return `the \`await\` on line ${line}`;
  if (ts.isYieldExpression(node)) return `the \`yield\` on line ${line}`;
  if (ts.isForOfStatement(node)) return `the \`for await\` on line ${line}`;
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text)) return `the \`.${callee.name.text}\` on line ${line}`;
    // A callback-style call: its callback runs later, as another task.
    const name = callee.getText().replace(/\s+/g, '');
    return `the callback of \`${name.length > 40 ? `${name.slice(0, 37)}...` : name}(…)\` on line ${line}`;
  }
  // A completion handler put on an object just made (`req.onsuccess = () => …`): see flow.ts.
  if (ts.isBinaryExpression(node) && ts.isPropertyAccessExpression(node.left)) return `the \`${node.left.name.text}\` handler on line ${line}`;
  return `the suspension on line ${line}`;
}

/** The concurrency clause, with the other writer when that is the race. */
export function describeSource(why: RaceSource): string {
  if (why.otherWriter) return `${why.source.description}, and it writes the same state (line ${lineOf(why.otherWriter.node)})`;
  return why.source.description;
}

export function relatedSource(why: RaceSource): { node: ts.Node; message: string } | undefined {
  if (why.otherWriter) return { node: why.otherWriter.node, message: 'another task writes it here' };
  let root = why.source;
  while (root.via) root = root.via;
  return { node: root.site, message: 'concurrent runs come from here' };
}

export { lineOf };
