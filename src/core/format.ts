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
