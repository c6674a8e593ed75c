/**
 * CLI `--set path=value` overrides, applied to the parsed spec before validation so that an
 * override is checked exactly like a value written in the file.
 */
import type { SpecProblem } from './types';
import { formatPath, parsePath, type PathKey } from './paths';
import { showFound } from './describe';
import { parseJson } from './json-syntax';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `0.01` -> 0.01, `[64,64]` -> [64, 64], `adamw` -> "adamw": JSON when it parses, else the text. */
export function parseSetValue(text: string): unknown {
  const parsed = parseJson(text);
  return 'value' in parsed ? parsed.value : text;
}

/**
 * The value of an assignment, read by the spec file's parser so the same rules hold: a duplicate key
 * or an overflowing number is a problem at its path under `keys`, and so is nesting too deep (which
 * is not taken as text either), and so is an object, array or string that breaks off. Other text that is not
 * JSON at all is the string itself.
 */
function readSetValue(text: string, keys: PathKey[], set: string): { value: unknown; problems: SpecProblem[] } {
  const parsed = parseJson(text);
  const at = (path: PathKey[], expected: string, found: string): SpecProblem =>
    ({ path: formatPath([...keys, ...path]), expected, found: `${found} (in ${showFound(set)})` });
  if ('value' in parsed) return { value: parsed.value, problems: parsed.problems.map((p) => at(p.path, p.expected, p.found)) };
  const e = parsed.error;
  if (e.kind === 'depth') return { value: undefined, problems: [at(e.path, e.expected, 'deeper nesting')] };
  // An object, array or string that breaks off is a mistake in JSON, not text meant as such.
  if (/^\s*[[{"]/.test(text)) return { value: undefined, problems: [at([], `JSON: ${e.expected} at column ${e.column} of the value`, e.found)] };
  return { value: text, problems: [] };
}

/** Why an assignment cannot be made; a class so no user value is ever mistaken for it. */
class Failure {
  constructor(readonly expected: string, readonly found: string) {}
}

/**
 * A copy of `target` with `value` at `keys`, copying only the containers on the way and creating
 * missing ones (an object for a name, an array for an index, which may append but not leave holes).
 */
function setIn(target: unknown, keys: PathKey[], value: unknown, done: PathKey[]): unknown {
  if (keys.length === 0) return value;
  const [key, ...rest] = keys;
  const here = formatPath(done) || '(root)';
  if (typeof key === 'number') {
    const arr = target ?? [];
    if (!Array.isArray(arr)) return new Failure(`an array at ${here} to index`, showFound(target));
    if (key > arr.length) return new Failure(`an index <= ${arr.length} at ${here}`, String(key));
    const child = setIn(arr[key], rest, value, [...done, key]);
    if (child instanceof Failure) return child;
    const copy = [...arr];
    copy[key] = child;
    return copy;
  }
  const obj = target ?? {};
  if (!isObj(obj)) return new Failure(`an object at ${here} to set '${key}' in`, showFound(target));
  // Own properties only: `hasOwnProperty` or `constructor` is a new name here, not a function found on the way.
  const child = setIn(Object.hasOwn(obj, key) ? obj[key] : undefined, rest, value, [...done, key]);
  return child instanceof Failure ? child : { ...obj, [key]: child };
}

const problem = (expected: string, found: string): SpecProblem => ({ path: '--set', expected, found });

/** Where a command's assignments may go (`hone compress`: compress and train), and why only there. */
export interface SetScope {
  roots: string[];
  why: string;
}

const within = (path: string, roots: string[]) => roots.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));

/**
 * Applies `--set` assignments in order (`train.lr=0.01`, `model.layers[0]=128`). Pure: `raw` is
 * never mutated. A malformed assignment, or one outside `scope`, becomes a problem at path `--set`
 * and is skipped; the others still apply.
 */
export function applyOverrides(raw: unknown, sets: string[], scope?: SetScope): { value: unknown; problems: SpecProblem[] } {
  let value = raw;
  const problems: SpecProblem[] = [];
  for (const set of sets) {
    const eq = set.indexOf('=');
    const keys = eq < 0 ? undefined : parsePath(set.slice(0, eq).trim());
    if (eq < 0) {
      problems.push(problem('path=value, e.g. train.lr=0.01', showFound(set)));
    } else if (!keys) {
      problems.push(problem('a path like train.lr or model.layers[0] before =', showFound(set)));
    } else if (scope && !within(formatPath(keys), scope.roots)) {
      problems.push(problem(`a path under ${scope.roots.join(' or ')} (${scope.why})`, showFound(set)));
    } else {
      const read = readSetValue(set.slice(eq + 1), keys, set);
      problems.push(...read.problems);
      if (read.problems.length) continue;
      const next = setIn(value, keys, read.value, []);
      if (next instanceof Failure) problems.push(problem(`${next.expected} (in ${showFound(set)})`, next.found));
      else value = next;
    }
  }
  return { value, problems };
}
