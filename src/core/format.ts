/**
 * Number formatting shared by the CLI tables, the Runs tree and the dashboard: 4 significant digits, more
 * where 4 would make a fraction look whole (0.99996 is `0.99996`, not `1.000`).
 */
export const num = (v: number | undefined): string => numMore(v, 0);

/** `num` with `extra` digits more, where a row needs them (see extraDigits). */
export function numMore(v: number | undefined, extra: number): string {
  if (typeof v !== 'number') return '';
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  for (let p = 4 + extra; p < 12 + extra; p++) {
    const s = v.toPrecision(p);
    if (!Number.isInteger(Number(s))) return s;
  }
  return String(v);
}

/**
 * How many digits past its own a row's formatter needs so that no other value of the row prints like the
 * starred best one (0.93871 and 0.93874 both print 0.9387 at 4 digits: a star must mark a value the eye can
 * tell from the rest). `print(v, extra)` is the row's formatter; at most 8 more.
 */
export function extraDigits(best: number | undefined, values: readonly (number | undefined)[], print: (v: number, extra: number) => string): number {
  if (best === undefined) return 0;
  for (let extra = 0; extra < 8; extra++) {
    const shown = print(best, extra);
    if (values.every((v) => v === undefined || v === best || print(v, extra) !== shown)) return extra;
  }
  return 8;
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
