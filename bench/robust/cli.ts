// The real CLI, as the robustness bench drives it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/**
 * `hone <args> --json`: the first run it printed, and the wall time. hone exits 0 only when every run it
 * made completed; anything else throws (with the run's status and message when it printed one), so a
 * failed run never reaches the report.
 */
export function hone(args: string[]): { view: any; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  let view;
  try {
    const parsed = JSON.parse(r.stdout);
    view = Array.isArray(parsed) ? parsed[0] : parsed;
  } catch {
    view = undefined;
  }
  if (r.status !== 0 || !view) {
    const run = view ? `: run ${view.id} ${view.status}${view.message ? `: ${view.message}` : ''}` : ' without a run (its error is above)';
    throw new Error(`hone ${args[0]} exited ${r.status ?? r.signal}${run}`);
  }
  return { view, seconds: (performance.now() - t0) / 1000 };
}

/** `hone attack` settings: PGD-50 with 10 restarts at step 0.01 (eps / 30), as Wong et al. evaluate. */
export const PGD_50_10 = ['--set', 'robustness.evaluate.attacks=[{"attack":"pgd","steps":50,"restarts":10,"stepSize":0.0333333}]', '--set', 'robustness.evaluate.checks=false'];
