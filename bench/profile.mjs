// Summarises a V8 CPU profile (node --cpu-prof) the way bench/README.md reads them: the
// functions with the most self time, the inclusive time of the phases that matter (program
// construction, binding, each rule's check, the checker queries rules make), and, for the rules,
// which checker query each rule's time goes to.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/.work/dist/racelint.js -f json src > /dev/null
//   node bench/profile.mjs /tmp/prof/*.cpuprofile [--top 25]
import * as fs from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const top = Number(args[args.indexOf('--top') + 1]) || 25;
if (!file) {
  process.stderr.write('usage: node bench/profile.mjs <file.cpuprofile> [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;

// Time per sampled node (µs).
const sampled = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  sampled.set(id, (sampled.get(id) ?? 0) + dt);
  total += dt;
});

const self = new Map();
const inclusive = new Map();
for (const [id, dt] of sampled) {
  const leaf = label(byId.get(id));
  self.set(leaf, (self.get(leaf) ?? 0) + dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = byId.get(cur).callFrame.functionName;
    if (name && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
}

const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n`);
console.log('Self time:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)} ${pct(v)}  ${k}`);

const PHASES = [
  ['start-up (compiling the bundle)', 'wrapSafe'],
  ['program construction', 'createProgram'],
  ['binding (first checker use)', 'getTypeChecker'],
  ['rules (all)', 'runRules'],
  ['  getTypeAtLocation', 'getTypeAtLocation'],
  ['  getResolvedSignature', 'getResolvedSignature'],
  ['  getContextualType', 'getContextualType'],
  ['  getSymbolAtLocation', 'getSymbolAtLocation'],
  ['  typeToString (messages)', 'typeToString'],
  ['result cache', 'plan'],
  ['garbage collection', '(garbage collector)'],
];
console.log('\nPhases (inclusive):');
for (const [name, fn] of PHASES) {
  const v = fn === '(garbage collector)' ? (self.get('(garbage collector) :0') ?? 0) : (inclusive.get(fn) ?? 0);
  if (v > 0) console.log(`${ms(v)} ${pct(v)}  ${name}`);
}
