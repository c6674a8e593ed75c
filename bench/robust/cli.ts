// The real CLI, as the robustness bench drives it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/** `hone <args> --json`: the first run it printed, and the wall time. */
export function hone(args: string[]): { view: any; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const parsed = JSON.parse(r.stdout || 'null');
  return { view: Array.isArray(parsed) ? parsed[0] : parsed, seconds: (performance.now() - t0) / 1000 };
}

/** `hone attack` settings: PGD-50 with 10 restarts at step 0.01 (eps / 30), as Wong et al. evaluate. */
export const PGD_50_10 = ['--set', 'robustness.evaluate.attacks=[{"attack":"pgd","steps":50,"restarts":10,"stepSize":0.0333333}]', '--set', 'robustness.evaluate.checks=false'];
