/**
 * Number formatting shared by the CLI tables, the Runs tree and the dashboard: 4 significant digits, more
 * where 4 would make a fraction look whole (0.99996 is `0.99996`, not `1.000`).
 */
export function num(v: number | undefined): string {
  if (typeof v !== 'number') return '';
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  for (let p = 4; p < 12; p++) {
    const s = v.toPrecision(p);
    if (!Number.isInteger(Number(s))) return s;
  }
  return String(v);
}

/**
 * A duration in the parts the dashboard and the extension show it in: seconds to a tenth below a minute,
 * else minutes and seconds, else hours and minutes. Whole seconds are taken first, so that 119.6 s is
 * 2 min 0 s, never 1 min 60 s.
 */
export function durationParts(ms: number): { seconds: string } | { min: number; sec: number } | { h: number; min: number } {
  const s = ms / 1000;
  if (Number(s.toFixed(1)) < 60) return { seconds: s.toFixed(1) };
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  return m < 60 ? { min: m, sec: whole % 60 } : { h: Math.floor(m / 60), min: m % 60 };
}

/**
 * What a run's provenance says of its code when it names no git commit, and what its machine is: an
 * imported run's code was never seen, and the machine recorded is where it was imported, not trained.
 */
export const provenanceWording = (kind: string): { code: string; machine: string } => (kind === 'import'
  ? { code: 'not known: imported from logs, its code was not tracked', machine: 'imported on' }
  : { code: 'not in a git work tree', machine: 'machine' });
