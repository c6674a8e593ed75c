/** Pure helpers for comparing runs: flattening specs and finding the fields that differ. */

/** `{a: {b: [1, 2]}}` -> `{ 'a.b[0]': 1, 'a.b[1]': 2 }`; leaves only. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

/** One flattened field across several objects. */
export interface DiffRow {
  path: string;
  /** The field's value in each object (undefined where it is missing). */
  values: unknown[];
  /** Per object: whether its value differs from the first object's. */
  differs: boolean[];
  /** Whether the value is not the same in every object. */
  changed: boolean;
}

/** Every flattened field of `objects`, in first-seen order, with which objects differ from the first. */
export function specDiff(objects: unknown[]): DiffRow[] {
  const flat = objects.map((o) => flatten(o));
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  return paths.map((path) => {
    const values = flat.map((f) => f[path]);
    const first = JSON.stringify(values[0]);
    const differs = values.map((v) => JSON.stringify(v) !== first);
    return { path, values, differs, changed: differs.includes(true) };
  });
}

/** Fields that name or document a spec rather than configure it. */
const IGNORED = new Set(['name', 'description', '$schema']);

/**
 * The flattened paths whose values are not the same in every object (a path missing from some counts
 * as differing), in first-seen order. Used for the hyperparameter columns of run tables.
 */
export function varyingPaths(objects: unknown[]): string[] {
  return specDiff(objects).filter((r) => r.changed && !IGNORED.has(r.path)).map((r) => r.path);
}
