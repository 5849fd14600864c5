// Time budgets for the fuzz harness's child processes, counted in the child's CPU time (read from
// /proc) with a wall-clock cap: on a machine busy with other work a slow input is not a hang, and
// a child blocked without using the CPU (reading a pipe, a deadlock) still hits the cap.
import * as fs from 'node:fs';

/** CPU time (user + system) a process has used, in ms, or undefined where /proc is unavailable. */
export function cpuMsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // 100 ticks a second on Linux
  } catch {
    return undefined;
  }
}

/**
 * Calls `onExceeded({ cpuMs, wallMs })` once the process has used `budgetMs` of CPU since now, or
 * `budgetMs * wallFactor` of wall time. Returns a function that stops watching.
 */
export function watchBudget(pid, budgetMs, onExceeded, wallFactor = 5) {
  const cpu0 = cpuMsOf(pid);
  const t0 = Date.now();
  const timer = setInterval(() => {
    const wallMs = Date.now() - t0;
    const cpu = cpuMsOf(pid);
    const cpuMs = cpu !== undefined && cpu0 !== undefined ? cpu - cpu0 : wallMs;
    if (cpuMs > budgetMs || wallMs > budgetMs * wallFactor) {
      clearInterval(timer);
      onExceeded({ cpuMs, wallMs });
    }
  }, 200);
  return () => clearInterval(timer);
}

export function describeExceeded(budgetMs, { cpuMs, wallMs }) {
  return `no answer within the ${budgetMs} ms budget (${cpuMs} ms of CPU, ${wallMs} ms of wall time)`;
}
