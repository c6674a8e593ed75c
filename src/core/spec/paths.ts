/**
 * Spec paths as users write them (`train.lr`, `model.layers[0].units`), the form every SpecProblem
 * uses and `--set` accepts. The root is the empty string.
 */

export type PathKey = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends one key: `a` + `b` -> `a.b`, `a` + 0 -> `a[0]`; odd names are quoted: `a["x y"]`. */
export function joinPath(base: string, key: PathKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (!IDENT.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function formatPath(keys: PathKey[]): string {
  return keys.reduce<string>(joinPath, '');
}

/** Converts ajv's JSON pointer (`/model/layers/0/units`); all-digit segments are array indices. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  const keys = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
  return formatPath(keys);
}

const SEGMENT = /^([^.[\]=\s]+)((?:\[\d+\])*)$/;

/**
 * Parses `train.lr` or `model.layers[0].units` into keys; undefined when malformed
 * (empty segment, `[x]`, unbalanced brackets).
 */
export function parsePath(text: string): PathKey[] | undefined {
  if (text === '') return undefined;
  const keys: PathKey[] = [];
  for (const segment of text.split('.')) {
    const m = SEGMENT.exec(segment);
    if (!m) return undefined;
    keys.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  return keys;
}

/**
 * True when one path is the other or lies inside it: `data` and `data.split.val` are related,
 * `data.split` and `data.splitX` are not. Used to skip semantic checks on parts the schema rejected.
 */
export function pathsOverlap(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short === '') return true;
  if (!long.startsWith(short)) return false;
  return long.length === short.length || long[short.length] === '.' || long[short.length] === '[';
}

/** True when `path` is `ancestor` or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path.length >= ancestor.length && pathsOverlap(path, ancestor);
}
