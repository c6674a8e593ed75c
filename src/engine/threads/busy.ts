import { readFileSync } from 'node:fs';

/** Jiffies of all CPUs from /proc/stat: [busy, total]. */
function jiffies(): [number, number] {
  const stat = readFileSync('/proc/stat', 'utf8');
  // cpu user nice system idle iowait irq softirq steal (guest time is already in user and nice)
  const f = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return [total - f[3] - f[4], total];
}

/**
 * How many cores other processes keep busy, from /proc/stat over `ms` milliseconds during which
 * this process waits (so its own work is not counted). Linux only; elsewhere, or on any error, 0.
 */
export async function busyCores(ms = 200): Promise<number> {
  if (process.platform !== 'linux') return 0;
  try {
    const cpus = (readFileSync('/proc/stat', 'utf8').match(/^cpu\d+ /gm) ?? []).length;
    const [b0, t0] = jiffies();
    await new Promise((r) => setTimeout(r, ms));
    const [b1, t1] = jiffies();
    return t1 > t0 ? (cpus * (b1 - b0)) / (t1 - t0) : 0;
  } catch {
    return 0;
  }
}
