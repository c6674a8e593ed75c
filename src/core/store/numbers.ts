/**
 * JSON has no NaN or Infinity, and a diverged run's losses are exactly that: `JSON.stringify` would turn
 * them into `null`. Hone writes non-finite numbers as the strings "NaN", "Infinity", "-Infinity" and turns
 * them back into numbers where numbers are expected (metric maps, lr, time), never anywhere else, so a run
 * named "NaN" stays a string.
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space);
}

/** A number read back from `stringifyJson` output: non-finite strings become numbers, anything else NaN. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  return NaN;
}

/**
 * A `Record<string, number>` read back from `stringifyJson` output; undefined stays undefined. Built with
 * `fromEntries`, which defines keys rather than assigning them, so a metric named `__proto__` stays a key.
 */
export function toNumberMap(v: unknown): Record<string, number> | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toNumber(x)]));
}
