// Deterministic generator of broken, odd and oversized source files for the fuzz harness.
//
// Every input is a function of (seed, index) and the base corpus alone, so a failure can be
// regenerated from its seed; saved cases also keep the bytes, because the corpus grows.
// Mutations come in stages: structural edits that keep the file parseable (so the rules, and
// their fixes, actually run), token edits that break it the way a half-typed file is broken,
// whole-text transforms (minify, line endings, huge lines, deep nesting), and finally byte-level
// damage (BOMs, UTF-16, invalid UTF-8, NUL bytes).
import { createRequire } from 'node:module';
import { transformSync } from 'esbuild';

const require = createRequire(import.meta.url);
const { ts } = require('ts-morph');

// ---------------------------------------------------------------------------------------------
// Randomness

function mix32(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A small seeded PRNG (mulberry32) with the choices the mutations need. */
export class Random {
  constructor(seed, index) {
    this.state = mix32(mix32(seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b1)) || 1;
  }
  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    return items[this.int(items.length)];
  }
  /** Picks from [[weight, value], ...]. */
  weighted(entries) {
    const total = entries.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of entries) {
      if ((r -= w) < 0) return v;
    }
    return entries[entries.length - 1][1];
  }
}

// ---------------------------------------------------------------------------------------------
// Views of a text: tokens, statements, insertion points

function scriptKind(ext) {
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (/^\.[cm]?js$/.test(ext)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function parse(text, ext) {
  return ts.createSourceFile(`input${ext}`, text, ts.ScriptTarget.Latest, true, scriptKind(ext));
}

/** Leaf tokens as the parser saw them (so regexes, templates and JSX text are whole tokens), plus comments. */
function tokensOf(text, ext) {
  if (text.length > 400_000) return [];
  const sf = parse(text, ext);
  const out = [];
  const visit = (node) => {
    const children = node.getChildren(sf);
    if (children.length === 0) {
      if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.end > node.getStart(sf)) {
        out.push({ kind: ts.SyntaxKind[node.kind], start: node.getStart(sf), end: node.end });
      }
      return;
    }
    for (const c of children) visit(c);
  };
  try {
    visit(sf);
  } catch {
    return out; // stack overflow on a deeply nested earlier mutation: use what we have
  }
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia) {
      out.push({ kind: ts.SyntaxKind[k], start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
    }
  }
  return out;
}

/** Statements in every statement list (file, blocks, case clauses, namespaces). */
function statementsOf(text, ext) {
  if (text.length > 400_000) return [];
  const sf = parse(text, ext);
  const out = [];
  const visit = (node, depth) => {
    if (depth > 200) return;
    if (node.statements && Array.isArray(node.statements)) {
      for (const s of node.statements) out.push({ start: s.getStart(sf), end: s.end, kind: ts.SyntaxKind[s.kind], depth });
    }
    ts.forEachChild(node, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  return out;
}

function nodesOf(text, ext, test) {
  if (text.length > 400_000) return [];
  const sf = parse(text, ext);
  const out = [];
  const visit = (node, depth) => {
    if (depth > 200) return;
    if (test(node)) out.push({ start: node.getStart(sf), end: node.end, node });
    ts.forEachChild(node, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  return out;
}

/** Offsets where a statement may begin: file start, after each statement, or the end. */
function statementBoundary(rng, text, ext) {
  const stmts = statementsOf(text, ext);
  if (stmts.length === 0 || rng.chance(0.1)) return rng.chance(0.5) ? 0 : text.length;
  const s = rng.pick(stmts);
  return rng.chance(0.5) ? s.start : s.end;
}

function splice(text, start, end, insert) {
  return text.slice(0, start) + insert + text.slice(end);
}

// ---------------------------------------------------------------------------------------------
// Race-shaped snippets, so rules find something to report and fix even in unrelated files.
// Written without type annotations so they parse as JavaScript too. `$` becomes a unique suffix.

const RACY_SNIPPETS = [
  `let counter$ = 0;\nasync function bump$(n) {\n  counter$ = counter$ + (await Promise.resolve(n));\n}\n`,
  `let total$ = 0;\nasync function add$(n) {\n  const before = total$;\n  await new Promise((r) => setTimeout(r, 1));\n  total$ = before + n;\n}\n`,
  `const cache$ = new Map();\nasync function load$(key) {\n  if (!cache$.has(key)) {\n    const value = await Promise.resolve(key.length);\n    cache$.set(key, value);\n  }\n  return cache$.get(key);\n}\n`,
  `async function save$() {\n  return 1;\n}\nfunction fire$() {\n  save$();\n}\n`,
  `async function task$() {}\nexport function start$() {\n  task$().then(() => task$());\n}\n`,
  `[1, 2, 3].forEach(async (x) => {\n  await Promise.resolve(x);\n});\n`,
  `if (Promise.resolve(true)) {\n  console.log('always');\n}\n`,
  `const sab$ = new SharedArrayBuffer(16);\nconst view$ = new Int32Array(sab$);\nview$[0]++;\nview$[1] = view$[1] + 1;\n`,
  `class Store$ {\n  n = 0;\n  async inc() {\n    const v = this.n;\n    await new Promise((r) => setTimeout(r, 1));\n    this.n = v + 1;\n  }\n}\n`,
  `let busy$ = false;\nasync function once$() {\n  if (busy$) return;\n  await Promise.resolve();\n  busy$ = true;\n}\n`,
  `const seen$ = new Set();\nasync function visit$(id) {\n  if (seen$.has(id)) return;\n  await fetch('https://example.invalid/' + id);\n  seen$.add(id);\n}\n`,
  `let inflight$;\nasync function get$() {\n  if (!inflight$) inflight$ = Promise.resolve(1);\n  return inflight$;\n}\n`,
  `async function each$(items) {\n  for (const x of items) {\n    void Promise.resolve(x);\n    Promise.reject(new Error(String(x)));\n  }\n}\n`,
  `setTimeout(async () => {\n  await Promise.resolve();\n}, 0);\nprocess.on('exit', async () => { await Promise.resolve(); });\n`,
  `let n$ = 0;\nexport async function f$() {\n  n$ += await Promise.resolve(1);\n  n$++;\n}\n`,
];

let snippetCounter = 0;

// ---------------------------------------------------------------------------------------------
// Text mutations. Each takes (rng, text, ext, corpus) and returns the new text, or undefined
// when it does not apply. `keepsSyntax` marks the ones meant to leave a parseable file.

const WRAPPERS = [
  (s) => `async function wrapped$() {\n${s}\n}\n`,
  (s) => `for (const item of [1, 2]) {\n${s}\n}\n`,
  (s) => `setTimeout(async () => {\n${s}\n}, 0);\n`,
  (s) => `Promise.all([1, 2].map(async (item) => {\n${s}\n}));\n`,
  (s) => `try {\n${s}\n} finally {}\n`,
  (s) => `class Wrapped$ {\n  async run() {\n${s}\n  }\n}\n`,
];

const UNICODE_PIECES = [
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  '\uDC00\uD800', // reversed pair
  '\u200F', // right-to-left mark
  '\u202E', // right-to-left override
  '\u2066', // left-to-right isolate
  '\u200B', // zero-width space
  '\u200C', // zero-width non-joiner (valid inside identifiers)
  '\u200D', // zero-width joiner
  '\uFEFF', // BOM in the middle of a file
  '\u00A0', // no-break space (whitespace in JS)
  '\u2028', // line separator
  '\u2029', // paragraph separator
  '\u0085', // next line
  '\u{1F600}', // an astral character (two UTF-16 units)
  '\u{1D465}', // mathematical italic x: an astral identifier start
  'e\u0301', // combining accent
  '\u3000', // ideographic space
  '\uFFFD',
  '\\u0061wait', // an escaped keyword
  '\\u{1F600}',
];

const UNTERMINATED = ['`abc ${', '`', '${', '/[a-z', '/(?<x>', '/\\', '"abc', "'", '/*', '/**', '<div', '</', '#!', '#', '@', '\\', '0x', '1e', '1_', '.', '?.', '=>', '<<<<<<< HEAD\n', '{', '(', '[', ')', ']', '}'];

function renameIdentifier(rng, text, ext) {
  const ids = nodesOf(text, ext, (n) => n.kind === ts.SyntaxKind.Identifier);
  if (ids.length === 0) return undefined;
  const name = rng.pick(ids).node.text;
  const fresh = rng.pick([`${name}2`, `$${name}`, '_', 'await', 'yield', 'let', 'async', 'constructor', '__proto__', `${name}\u200C`]);
  let out = '';
  let at = 0;
  for (const id of ids) {
    if (id.node.text !== name) continue;
    out += text.slice(at, id.start) + fresh;
    at = id.end;
  }
  return out + text.slice(at);
}

export const TEXT_MUTATIONS = {
  // ---- structural, meant to keep the file parseable
  'delete-statement': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const stmts = statementsOf(text, ext);
      if (stmts.length === 0) return undefined;
      const s = rng.pick(stmts);
      return splice(text, s.start, s.end, '');
    },
  },
  'duplicate-statement': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const stmts = statementsOf(text, ext);
      if (stmts.length === 0) return undefined;
      const s = rng.pick(stmts);
      return splice(text, s.end, s.end, '\n' + text.slice(s.start, s.end));
    },
  },
  'move-statement': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const stmts = statementsOf(text, ext);
      if (stmts.length < 2) return undefined;
      const a = rng.pick(stmts);
      const moved = text.slice(a.start, a.end);
      const without = splice(text, a.start, a.end, '');
      const at = statementBoundary(rng, without, ext);
      return splice(without, at, at, '\n' + moved + '\n');
    },
  },
  'wrap-statements': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const stmts = statementsOf(text, ext).filter((s) => !/Declaration$|ImportDeclaration|ExportAssignment/.test(s.kind) || rng.chance(0.2));
      if (stmts.length === 0) return undefined;
      const s = rng.pick(stmts);
      const wrap = rng.pick(WRAPPERS);
      return splice(text, s.start, s.end, wrap(text.slice(s.start, s.end)).replaceAll('$', `_w${snippetCounter++}`));
    },
  },
  'remove-await': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const awaits = nodesOf(text, ext, (n) => n.kind === ts.SyntaxKind.AwaitExpression);
      if (awaits.length === 0) return undefined;
      const a = rng.pick(awaits);
      return splice(text, a.start, a.node.expression.getStart(), '');
    },
  },
  'add-await': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const calls = nodesOf(text, ext, (n) => n.kind === ts.SyntaxKind.CallExpression && n.parent?.kind === ts.SyntaxKind.ExpressionStatement);
      if (calls.length === 0) return undefined;
      const c = rng.pick(calls);
      return splice(text, c.start, c.start, rng.pick(['await ', 'void ', 'return ', 'await await ']));
    },
  },
  'insert-racy-snippet': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const at = statementBoundary(rng, text, ext);
      const snippet = rng.pick(RACY_SNIPPETS).replaceAll('$', `_r${snippetCounter++}`);
      return splice(text, at, at, '\n' + snippet);
    },
  },
  'rename-identifier': {
    keepsSyntax: false,
    apply: renameIdentifier,
  },
  'racelint-directive': {
    keepsSyntax: true,
    apply(rng, text, ext) {
      const at = statementBoundary(rng, text, ext);
      const d = rng.pick([
        '// racelint-disable-next-line',
        '// racelint-disable-next-line lost-update, nope -- why',
        '/* racelint-disable */',
        '/* racelint-disable floating-promise -- */',
        '// racelint-disable-line check-then-act,,',
        '// racelint-disable-next-line --',
      ]);
      return splice(text, at, at, `\n${d}\n`);
    },
  },

  // ---- token damage, the way a half-typed file is broken
  'truncate-at-token': {
    apply(rng, text, ext) {
      const tokens = tokensOf(text, ext);
      if (tokens.length === 0) return text.slice(0, rng.int(text.length + 1));
      const kinds = [...new Set(tokens.map((t) => t.kind))].sort();
      const kind = rng.pick(kinds);
      const t = rng.pick(tokens.filter((x) => x.kind === kind));
      const cut = rng.pick([t.start, t.end, t.start + Math.max(1, Math.floor((t.end - t.start) / 2))]);
      return text.slice(0, Math.min(cut, text.length));
    },
  },
  'delete-token': {
    apply(rng, text, ext) {
      const tokens = tokensOf(text, ext);
      if (tokens.length === 0) return undefined;
      const t = rng.pick(tokens);
      return splice(text, t.start, t.end, '');
    },
  },
  'delete-token-run': {
    apply(rng, text, ext) {
      const tokens = tokensOf(text, ext).sort((a, b) => a.start - b.start);
      if (tokens.length < 2) return undefined;
      const i = rng.int(tokens.length - 1);
      const j = Math.min(tokens.length - 1, i + rng.range(1, 20));
      return splice(text, tokens[i].start, tokens[j].end, '');
    },
  },
  'duplicate-token': {
    apply(rng, text, ext) {
      const tokens = tokensOf(text, ext);
      if (tokens.length === 0) return undefined;
      const t = rng.pick(tokens);
      const piece = text.slice(t.start, t.end);
      return splice(text, t.end, t.end, rng.chance(0.5) ? piece : ' ' + piece);
    },
  },
  'swap-tokens': {
    apply(rng, text, ext) {
      const tokens = tokensOf(text, ext).sort((a, b) => a.start - b.start);
      if (tokens.length < 2) return undefined;
      const i = rng.int(tokens.length - 1);
      const [a, b] = [tokens[i], tokens[i + 1]];
      if (b.start < a.end) return undefined;
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    },
  },
  crossover: {
    apply(rng, text, ext, corpus) {
      const other = rng.pick(corpus);
      const tokens = tokensOf(other.text, other.ext).sort((a, b) => a.start - b.start);
      if (tokens.length === 0) return undefined;
      const i = rng.int(tokens.length);
      const j = Math.min(tokens.length - 1, i + rng.range(0, 60));
      const at = rng.int(text.length + 1);
      return splice(text, at, at, other.text.slice(tokens[i].start, tokens[j].end));
    },
  },
  'insert-unicode': {
    apply(rng, text, ext) {
      const piece = rng.pick(UNICODE_PIECES);
      // Half the time inside a string or comment (still valid), half anywhere.
      const tokens = rng.chance(0.5) ? tokensOf(text, ext).filter((t) => /Literal|Comment|Template|JsxText/.test(t.kind) && t.end - t.start >= 2) : [];
      const at = tokens.length > 0 ? (({ start, end }) => start + 1 + rng.int(end - start - 1))(rng.pick(tokens)) : rng.int(text.length + 1);
      return splice(text, at, at, piece.repeat(rng.chance(0.2) ? rng.range(2, 50) : 1));
    },
  },
  'insert-unterminated': {
    apply(rng, text, ext) {
      const at = rng.chance(0.3) ? text.length : rng.int(text.length + 1);
      return splice(text, at, at, rng.pick(UNTERMINATED));
    },
  },
  'random-characters': {
    apply(rng, text) {
      const alphabet = '{}()[];,.<>/\\`\'"=+-*&|!?:#@$%^~ \n\tabcxyz019';
      let s = '';
      for (let i = rng.range(1, 40); i > 0; i--) s += alphabet[rng.int(alphabet.length)];
      const at = rng.int(text.length + 1);
      return splice(text, at, rng.chance(0.5) ? at : Math.min(text.length, at + rng.int(20)), s);
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Whole-text transforms: huge lines, deep nesting, minified bundles, line endings

const NESTINGS = [
  ['(', '1', ')'],
  ['[', '', ']'],
  ['{a:', '1', '}'],
  ['async () => ', '1', ''],
  ['() => () => ', '0', ''],
  ['f(', '', ')'],
  ['!', 'x', ''],
  ['await ', 'x', ''],
  ['typeof ', 'x', ''],
  ['a ? ', 'b', ' : c'],
  ['`${', '', '}`'],
  ['{', '', '}'],
  ['if (x) {', '', '}'],
  ['async function f() {', '', '}'],
  ['class C { m() {', '', '} }'],
  ['new Promise(async (resolve) => {', 'await resolve(1)', '})'],
  ['<div>', '', '</div>'],
  ['Array<', 'number', '>'],
  ['/*', '', '*/'],
  ['.then(() => 1)', '', ''],
  ['.a', '', ''],
];

export const WHOLE_MUTATIONS = {
  'deep-nesting': {
    apply(rng, text, ext) {
      const [open, core, close] = rng.pick(NESTINGS);
      const depth = rng.pick([20, 60, 150, 400, 1000, 3000, 10000]);
      const balanced = rng.chance(0.7);
      const nest = open === '.a' || open === '.then(() => 1)' ? `x${open.repeat(depth)}` : open.repeat(depth) + core + (balanced ? close.repeat(depth) : '');
      const declaresStatement = open.startsWith('{') || open.startsWith('if') || open.startsWith('async function') || open.startsWith('class') || open.startsWith('/*');
      const at = statementBoundary(rng, text, ext);
      return splice(text, at, at, `\n${declaresStatement ? '' : 'const nested = '}${nest}${declaresStatement ? '' : ';'}\n`);
    },
  },
  'huge-line': {
    apply(rng, text, ext, corpus, limits) {
      const size = Math.floor(rng.weighted([[6, () => rng.range(50_000, 1_000_000)], [3, () => rng.range(1_000_000, 3_500_000)], [2, () => rng.range(3_500_000, 5_500_000)]])() * (limits.hugeScale ?? 1));
      const kind = rng.pick(['string', 'template', 'comment', 'identifier', 'array', 'sum', 'calls', 'regex', 'object', 'unterminated-string']);
      let line;
      switch (kind) {
        case 'string': line = `const big = "${'x'.repeat(size)}";`; break;
        case 'template': line = `const big = \`${'y'.repeat(size)}\`;`; break;
        case 'comment': line = `// ${'z'.repeat(size)}`; break;
        case 'identifier': line = `let ${'i'.repeat(size)} = 1;`; break;
        case 'array': line = `const big = [${'1,'.repeat(size >> 1)}];`; break;
        case 'sum': line = `let big = 1${'+1'.repeat(size >> 1)};`; break;
        case 'calls': line = `async function g() {}\n${'g();'.repeat(size >> 2)}`; break;
        case 'regex': line = `const big = /${'a'.repeat(size)}/;`; break;
        case 'object': line = `const big = {${Array.from({ length: size >> 4 }, (_, i) => `k${i}: ${i}`).join(', ')}};`; break;
        default: line = `const big = "${'s'.repeat(size)}`;
      }
      const at = statementBoundary(rng, text, ext);
      return splice(text, at, at, `\n${line}\n`);
    },
  },
  'line-endings': {
    apply(rng, text) {
      const mode = rng.pick(['crlf', 'cr', 'mixed', 'ls', 'ps', 'nel', 'none']);
      switch (mode) {
        case 'crlf': return text.replace(/\r?\n/g, '\r\n');
        case 'cr': return text.replace(/\r?\n/g, '\r');
        case 'mixed': return text.replace(/\r?\n/g, () => rng.pick(['\n', '\r\n', '\r', '\n\r']));
        case 'ls': return text.replace(/\r?\n/g, () => (rng.chance(0.3) ? '\u2028' : '\n'));
        case 'ps': return text.replace(/\r?\n/g, () => (rng.chance(0.3) ? '\u2029' : '\n'));
        case 'nel': return text.replace(/\r?\n/g, () => (rng.chance(0.3) ? '\u0085' : '\n'));
        default: return text.replace(/\r?\n/g, ' ');
      }
    },
  },
};

function minify(text, ext) {
  const loader = ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : /\.[cm]?ts$/.test(ext) ? 'ts' : 'js';
  try {
    return transformSync(text, { loader, minify: true, logLevel: 'silent' }).code;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Byte damage

function utf16(text, bigEndian) {
  const le = Buffer.from(text, 'utf16le');
  if (bigEndian) le.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
}

const BYTE_MUTATIONS = {
  'utf8-bom': (rng, bytes) => Buffer.concat([Buffer.from(rng.chance(0.8) ? [0xef, 0xbb, 0xbf] : [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), bytes]),
  'invalid-utf8': (rng, bytes) => {
    const bad = rng.pick([[0xff], [0xc0, 0x80], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xfe, 0xfe]]);
    const at = rng.int(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
  },
  'nul-bytes': (rng, bytes) => {
    const at = rng.int(bytes.length + 1);
    const junk = Buffer.alloc(rng.range(1, 64));
    for (let i = 0; i < junk.length; i++) junk[i] = rng.chance(0.5) ? 0 : rng.int(256);
    return Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
  },
  'control-bytes': (rng, bytes) => {
    const at = rng.int(bytes.length + 1);
    const junk = Buffer.from(Array.from({ length: rng.range(1, 16) }, () => rng.pick([1, 2, 7, 8, 11, 12, 27, 127])));
    return Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
  },
  'random-file': (rng) => {
    const b = Buffer.alloc(rng.range(0, 4096));
    for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
    return b;
  },
  'png-header': (rng, bytes) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), bytes.subarray(0, 200)]),
  empty: () => Buffer.alloc(0),
  'whitespace-only': (rng) => Buffer.from(rng.pick(['\n', ' \t\n\r\n', '\ufeff', '\u2028\u2029', '   '])),
};

// ---------------------------------------------------------------------------------------------
// Putting an input together

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

const TEXT_WEIGHTS = [
  [6, 'insert-racy-snippet'],
  [4, 'delete-statement'],
  [4, 'duplicate-statement'],
  [3, 'move-statement'],
  [4, 'wrap-statements'],
  [4, 'remove-await'],
  [3, 'add-await'],
  [1, 'racelint-directive'],
  [2, 'rename-identifier'],
  [6, 'truncate-at-token'],
  [3, 'delete-token'],
  [2, 'delete-token-run'],
  [2, 'duplicate-token'],
  [2, 'swap-tokens'],
  [2, 'crossover'],
  [4, 'insert-unicode'],
  [3, 'insert-unterminated'],
  [1, 'random-characters'],
];

/**
 * Builds input number `index` of a run with `seed`.
 * corpus: [{ path, text, ext }] sorted by path. limits: { hugeScale } (test runs shrink huge lines).
 * Returns { bytes, ext, base, mutations }.
 */
export function makeInput(seed, index, corpus, limits = {}) {
  const rng = new Random(seed, index);
  snippetCounter = index * 1000;
  const base = rng.pick(corpus);
  let text = base.text;
  const ext = rng.chance(0.85) ? base.ext : rng.pick(EXTENSIONS);
  const mutations = [];
  const attempt = (name, fn) => {
    try {
      const out = fn();
      if (out !== undefined) {
        text = out;
        mutations.push(name);
      }
    } catch (err) {
      // A mutation that cannot handle the current text is skipped; note it for the record.
      mutations.push(`${name}(skipped: ${err?.message ?? err})`);
    }
  };

  if (rng.chance(0.06)) {
    attempt('minify', () => {
      let out = minify(text, base.ext);
      if (out !== undefined && rng.chance(0.5)) {
        // A bundle: several minified modules on a handful of lines.
        for (let i = rng.range(1, 8); i > 0; i--) {
          const other = rng.pick(corpus);
          const m = minify(other.text, other.ext);
          if (m) out += `;(function(){${m}})();`;
        }
      }
      return out;
    });
  }

  // Half the inputs keep their syntax, so the rules (and their fixes) run on them; the other
  // half are broken the way half-typed code is.
  const keepSyntax = rng.chance(0.5);
  const weights = keepSyntax ? TEXT_WEIGHTS.filter(([, name]) => TEXT_MUTATIONS[name].keepsSyntax) : TEXT_WEIGHTS;
  if (keepSyntax && rng.chance(0.6)) attempt('insert-racy-snippet', () => TEXT_MUTATIONS['insert-racy-snippet'].apply(rng, text, ext, corpus, limits));
  const editCount = rng.weighted([[3, 0], [40, 1], [30, 2], [15, 3], [8, 4]]);
  for (let i = 0; i < editCount; i++) {
    const name = rng.weighted(weights);
    attempt(name, () => TEXT_MUTATIONS[name].apply(rng, text, ext, corpus, limits));
  }
  if (rng.chance(0.04)) attempt('deep-nesting', () => WHOLE_MUTATIONS['deep-nesting'].apply(rng, text, ext, corpus, limits));
  if (rng.chance(limits.hugeChance ?? 0.015)) attempt('huge-line', () => WHOLE_MUTATIONS['huge-line'].apply(rng, text, ext, corpus, limits));
  if (rng.chance(0.1)) attempt('line-endings', () => WHOLE_MUTATIONS['line-endings'].apply(rng, text, ext, corpus, limits));

  let bytes = Buffer.from(text, 'utf8');
  if (rng.chance(0.02)) {
    bytes = utf16(text, rng.chance(0.3));
    mutations.push('utf16');
  }
  if (rng.chance(0.1)) {
    const name = rng.weighted([[5, 'utf8-bom'], [4, 'invalid-utf8'], [2, 'nul-bytes'], [2, 'control-bytes'], [1, 'random-file'], [1, 'png-header'], [1, 'empty'], [1, 'whitespace-only']]);
    bytes = BYTE_MUTATIONS[name](rng, bytes);
    mutations.push(name);
  }
  return { bytes, ext, base: base.path, mutations };
}
