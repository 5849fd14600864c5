// The core face of the fuzz harness, run in a child process (forked with tsx) so the parent can
// kill it when an input hangs. One Linter serves many inputs, as in the language server: each
// input is written to disk, prechecked as the CLI does, then given to the project as the
// editor's text, linted, fixed, and formatted; every output is checked against invariants.mjs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FORMATTERS } from '../../server/src/cli/formatters';
import type { FileResult, Fix } from '../../server/src/core/findings';
import { applyEdits, syntaxErrors } from '../../server/src/core/fixes';
import { Linter } from '../../server/src/core/linter';
import { readTextFile } from '../../server/src/core/project';
// @ts-ignore: plain ES module shared with the driver
import { checkFileResult, checkGithubReport, checkJsonReport, checkSarifReport } from './invariants.mjs';

export interface CoreJob {
  id: number;
  bytes: Uint8Array;
  ext: string;
}

export interface CoreFailure {
  kind: 'crash' | 'invalid';
  detail: string;
}

export interface CoreOutcome {
  id: number;
  failures: CoreFailure[];
  stats: {
    skipped?: string;
    parseError?: boolean;
    findings: number;
    fixesChecked: number;
    fixPasses?: boolean;
    ms: number;
  };
}

/** How many fixes and suggestions of one input are applied and re-parsed one by one. */
const MAX_FIXES_CHECKED = 20;

export class CoreFace {
  readonly dir: string;
  private readonly linter: Linter;
  private readonly used = new Set<string>();

  constructor(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelint-fuzz-'))) {
    this.dir = dir;
    // A package.json pins the inferred project's root to this directory.
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "racelint-fuzz", "private": true }\n');
    this.linter = new Linter({ cwd: dir });
  }

  run(job: CoreJob): CoreOutcome {
    const t0 = Date.now();
    const failures: CoreFailure[] = [];
    const stats: CoreOutcome['stats'] = { findings: 0, fixesChecked: 0, ms: 0 };
    const file = path.join(this.dir, `input${job.ext}`).split(path.sep).join('/');
    try {
      // Other inputs' files stay in the project; empty them so they cannot affect this one.
      for (const other of this.used) if (other !== file) this.linter.setFileText(other, '');
      fs.writeFileSync(file, job.bytes);
      const skip = this.linter.precheck(file);
      if (skip) {
        stats.skipped = skip.message;
        if (skip.kind !== 'skipped' || !skip.message.trim()) failures.push({ kind: 'invalid', detail: `precheck returned ${JSON.stringify(skip)}` });
        return { id: job.id, failures, stats: { ...stats, ms: Date.now() - t0 } };
      }
      const text = readTextFile(file);
      this.used.add(file);
      this.linter.setFileText(file, text);
      const result = this.linter.lintFile(file);
      stats.findings = result.findings.length;
      stats.parseError = result.problems.some((p) => p.kind === 'parse-error');
      stats.skipped = result.problems.find((p) => p.kind === 'skipped')?.message;
      this.check('lint', result, text, failures);
      this.checkFormatters([result], new Map([[file, text]]), failures);
      stats.fixesChecked = this.checkEachFix(file, result, text, failures);
      if (result.findings.some((f) => f.fixes.length > 0)) {
        stats.fixPasses = true;
        const fixed = this.linter.fixFile(file);
        this.check('fix', fixed, fixed.source ?? '', failures);
        if (fixed.fixedSource !== undefined) {
          if (fixed.originalSource !== text) failures.push({ kind: 'invalid', detail: 'fixFile: originalSource is not the text it was given' });
          const before = syntaxErrors(file, text).length;
          const after = syntaxErrors(file, fixed.fixedSource).length;
          if (after > before) failures.push({ kind: 'invalid', detail: `fixFile output has ${after} syntax errors, its input ${before}` });
        }
        this.checkFormatters([fixed], new Map([[file, fixed.source ?? text]]), failures);
        this.linter.setFileText(file, text);
      }
    } catch (err) {
      failures.push({ kind: 'crash', detail: `uncaught: ${(err as Error)?.stack ?? String(err)}` });
    }
    return { id: job.id, failures, stats: { ...stats, ms: Date.now() - t0 } };
  }

  private check(stage: string, result: FileResult, text: string, failures: CoreFailure[]): void {
    const { violations, crashes } = checkFileResult(result, text) as { violations: string[]; crashes: string[] };
    for (const c of crashes) failures.push({ kind: 'crash', detail: `${stage}: internal error: ${c}` });
    for (const v of violations) failures.push({ kind: 'invalid', detail: `${stage}: ${v}` });
  }

  private checkFormatters(results: FileResult[], texts: Map<string, string>, failures: CoreFailure[]): void {
    const ctx = { cwd: this.dir, root: this.dir, color: false, version: '0.0.0-fuzz' };
    for (const [name, format] of Object.entries(FORMATTERS)) {
      let out: string;
      try {
        out = format(results, ctx);
      } catch (err) {
        failures.push({ kind: 'crash', detail: `formatter ${name} threw: ${(err as Error)?.stack ?? err}` });
        continue;
      }
      const violations: string[] =
        name === 'json' ? checkJsonReport(out, texts) : name === 'sarif' ? checkSarifReport(out) : name === 'github' ? checkGithubReport(out) : typeof out === 'string' ? [] : ['not a string'];
      for (const v of violations) failures.push({ kind: 'invalid', detail: `formatter ${name}: ${v}` });
    }
  }

  /** Applies fixes and suggestions one at a time: each must apply and leave the file parseable. */
  private checkEachFix(file: string, result: FileResult, text: string, failures: CoreFailure[]): number {
    const all: Array<{ fix: Fix; where: string }> = [];
    for (const f of result.findings) {
      for (const fix of [...f.fixes, ...f.suggestions]) all.push({ fix, where: `${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1}` });
    }
    // Each check re-parses the whole file: on a multi-megabyte input a few make the point.
    const picked = all.slice(0, text.length > 500_000 ? 3 : MAX_FIXES_CHECKED);
    if (picked.length === 0) return 0;
    const before = syntaxErrors(file, text).length;
    for (const { fix, where } of picked) {
      let out: string;
      try {
        out = applyEdits(text, fix.edits);
      } catch (err) {
        failures.push({ kind: 'invalid', detail: `fix "${fix.description}" (${where}) cannot be applied: ${(err as Error).message}` });
        continue;
      }
      const errors = syntaxErrors(file, out);
      if (errors.length > before) {
        failures.push({ kind: 'invalid', detail: `fix "${fix.description}" (${where}) breaks the syntax: ${errors[0]}` });
      }
    }
    return picked.length;
  }
}

// As a child process: take jobs over IPC until the parent disconnects.
if (process.send && process.env.RACELINT_FUZZ_CHILD === '1') {
  const face = new CoreFace();
  // Warm up (lib files parsed, rules loaded) so the first input's budget measures the input.
  face.run({ id: -1, bytes: Buffer.from('export async function warm() {\n  await Promise.resolve();\n}\nwarm();\n'), ext: '.ts' });
  process.on('message', (msg: { type: 'job'; job: CoreJob }) => {
    if (msg?.type !== 'job') return;
    const job = { ...msg.job, bytes: Buffer.from(msg.job.bytes) };
    const outcome = face.run(job);
    process.send!({ type: 'outcome', outcome, rss: process.memoryUsage().rss });
  });
  process.on('disconnect', () => {
    fs.rmSync(face.dir, { recursive: true, force: true });
    process.exit(0);
  });
  process.send({ type: 'ready' });
}
