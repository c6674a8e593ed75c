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

const NAME = /[^.[\]=\s]+/y;
const INDEX = /\[(\d+)\]/y;
const QUOTED = /\[("(?:[^"\\]|\\.)*")\]/y;

function jsonString(text: string): string | undefined {
  try {
    return JSON.parse(text) as string;
  } catch {
    return undefined;
  }
}

/**
 * Parses a path as `formatPath` writes it (`train.lr`, `model.layers[0].units`,
 * `sweep.parameters["train.lr"].min`) into keys; undefined when malformed (empty segment, `[x]`,
 * unbalanced brackets).
 */
export function parsePath(text: string): PathKey[] | undefined {
  const keys: PathKey[] = [];
  let i = 0;
  const take = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i = re.lastIndex;
    return m;
  };
  while (i < text.length) {
    const dot = keys.length > 0 && text[i] === '.';
    if (dot) i++;
    const name = dot || keys.length === 0 ? take(NAME) : null;
    const index = name || dot ? null : take(INDEX);
    const quoted = name || dot || index ? null : take(QUOTED);
    const key = name ? name[0] : index ? Number(index[1]) : quoted ? jsonString(quoted[1]) : undefined;
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return keys.length > 0 ? keys : undefined;
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

/**
 * `path` and the paths it lies inside, nearest first, down to the root: the prefixes that end before a
 * `.` or `[`. A cut inside a quoted key gives a prefix that no well-formed path equals, so using these
 * to look paths up in a set never matches wrongly. O(path length) per prefix, so a path over 1000
 * characters yields only itself and the root.
 */
export function* ancestorsOf(path: string): Generator<string> {
  yield path;
  if (path === '') return;
  if (path.length <= 1000) {
    for (let i = path.length - 1; i > 0; i--) if (path[i] === '.' || path[i] === '[') yield path.slice(0, i);
  }
  yield '';
}

/** True when `path` is one of `paths` or lies inside one, looked up by its ancestors rather than by comparing every pair. */
export const withinAny = (path: string, paths: ReadonlySet<string>): boolean => {
  if (paths.size === 0) return false;
  for (const a of ancestorsOf(path)) if (paths.has(a)) return true;
  return false;
};
