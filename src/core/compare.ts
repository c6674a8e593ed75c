/** Pure helpers for comparing runs: flattening specs and finding the fields that differ. */

/** `{a: {b: [1, 2]}}` -> `{ 'a.b[0]': 1, 'a.b[1]': 2 }`; leaves only. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

const IGNORED = new Set(['name', 'description']);

/**
 * The flattened paths whose values are not the same in every object (a path missing from some counts
 * as differing), in first-seen order. Used for the hyperparameter columns of run tables.
 */
export function varyingPaths(objects: unknown[]): string[] {
  const flat = objects.map((o) => flatten(o));
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((p) => !IGNORED.has(p));
  return paths.filter((p) => flat.some((f) => JSON.stringify(f[p]) !== JSON.stringify(flat[0][p])));
}
