/** Number formatting shared by the CLI tables, the Runs tree and the dashboard: 4 significant digits. */
export const num = (v: number | undefined): string =>
  typeof v !== 'number' ? '' : Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(4);
