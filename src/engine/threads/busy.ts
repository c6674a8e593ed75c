import { readFileSync } from 'node:fs';

/** `0-3,8` (Cpus_allowed_list in /proc/<pid>/status) as the CPU numbers it names. */
export function parseCpuList(list: string): Set<number> {
  const cpus = new Set<number>();
  for (const part of list.trim().split(',').filter(Boolean)) {
    const [lo, hi = lo] = part.split('-').map(Number);
    for (let c = lo; c <= hi; c++) cpus.add(c);
  }
  return cpus;
}

/** Jiffies of each CPU (the `cpuN` lines of /proc/stat) that `allowed` holds: [busy, total] per CPU. */
function jiffies(allowed: Set<number>): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const m of readFileSync('/proc/stat', 'utf8').matchAll(/^cpu(\d+) (.*)$/gm)) {
    if (!allowed.has(Number(m[1]))) continue;
    // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
    const f = m[2].trim().split(/\s+/).slice(0, 8).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    out.set(Number(m[1]), [total - f[3] - f[4], total]);
  }
  return out;
}

/**
 * How many of the cores this process may run on (its CPU affinity: a cpuset, taskset, a container's
 * CPUs) other processes keep busy, from /proc/stat over `ms` milliseconds during which this process
 * waits (so its own work is not counted). CPUs outside the affinity do not count: their load takes
 * nothing from this run's cores. Linux only; elsewhere, or on any error, 0.
 */
export async function busyCores(ms = 200): Promise<number> {
  if (process.platform !== 'linux') return 0;
  try {
    const allowed = parseCpuList(/^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '');
    const before = jiffies(allowed);
    await new Promise((r) => setTimeout(r, ms));
    let busy = 0;
    for (const [cpu, [b1, t1]] of jiffies(allowed)) {
      const [b0, t0] = before.get(cpu) ?? [b1, t1];
      if (t1 > t0) busy += (b1 - b0) / (t1 - t0);
    }
    return busy;
  } catch {
    return 0;
  }
}
