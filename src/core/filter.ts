/**
 * Run filters as users type them (`hone ls --filter 'status=completed tag=baseline val_accuracy>0.9'`):
 * clauses separated by spaces, all of which must hold. A clause is `key op value` with op one of
 * `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (contains). Values with spaces or operator characters are quoted
 * ("my tag", 'a=b', with \" and \\ escapes inside double quotes). Keys name a run field (status, kind,
 * name, experiment, tag, starred, parent, backend, sweep, id, note), else a final metric, else a spec
 * path (`train.lr`, `params.lr` for exec runs). Numbers compare as numbers, the rest as text. A key that
 * no run of the store has is refused (`unknownKey`) rather than read as a missing value. `parent` and
 * `sweep` take a run or sweep reference (`resolveReferences`).
 */
import { flatten } from './compare';
import { didYouMean } from './spec/suggest';
import type { RunRecord } from './store/types';

export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

export interface Clause {
  key: string;
  op: FilterOp;
  value: string;
}

export class FilterError extends Error {
  constructor(readonly text: string, readonly position: number, expected: string) {
    super(`--filter: expected ${expected} at character ${position + 1}: ${text.slice(0, position)}\u2192${text.slice(position, position + 20)}`);
  }
}

const OPS: FilterOp[] = ['>=', '<=', '!=', '=', '>', '<', '~'];
const KEY = /[A-Za-z_][\w.[\]/-]*/y;

/** Parses a filter; throws FilterError naming the position of the first problem. */
export function parseFilter(text: string): Clause[] {
  const clauses: Clause[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  for (ws(); i < text.length; ws()) {
    KEY.lastIndex = i;
    const key = KEY.exec(text)?.[0];
    if (!key) throw new FilterError(text, i, 'a key such as status, tag or val_accuracy');
    i += key.length;
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new FilterError(text, i, `an operator (${OPS.join(' ')})`);
    i += op.length;
    const [value, next] = readValue(text, i);
    i = next;
    clauses.push({ key, op, value });
  }
  return clauses;
}

function readValue(text: string, i: number): [string, number] {
  const q = text[i];
  if (q === '"' || q === "'") {
    let out = '';
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === q) return [out, j + 1];
      if (q === '"' && text[j] === '\\' && j + 1 < text.length) out += text[++j];
      else out += text[j];
    }
    throw new FilterError(text, i, `a closing ${q}`);
  }
  let j = i;
  while (j < text.length && !/\s/.test(text[j])) j++;
  if (j === i) throw new FilterError(text, i, 'a value (quote it if it has spaces)');
  return [text.slice(i, j), j];
}

const FIELDS: Record<string, (r: RunRecord) => unknown> = {
  id: (r) => r.id, name: (r) => r.name, experiment: (r) => r.experiment, status: (r) => r.status,
  kind: (r) => r.kind ?? 'train', parent: (r) => r.parent, backend: (r) => r.backend?.name,
  sweep: (r) => r.sweep?.id, starred: (r) => Boolean(r.starred), note: (r) => r.note, tag: (r) => r.tags ?? [],
};

/** The value(s) `key` names in a run; undefined when it has none. */
export function valueOf(r: RunRecord, key: string): unknown {
  if (Object.hasOwn(FIELDS, key)) return FIELDS[key](r);
  if (r.final && Object.hasOwn(r.final, key)) return r.final[key];
  return flatten(r.spec)[key];
}

/**
 * Why `key` names nothing in `runs` (`no run has 'stauts' (did you mean 'status'?)`), or undefined when
 * it is a run field, or a final metric or spec path of at least one run. A typo must be refused: it has
 * no value anywhere, so `stauts!=completed` held for every run (and `hone rm --filter` deleted them all).
 * A store without runs checks nothing: there is nothing to select.
 */
export function unknownKey(key: string, runs: RunRecord[]): string | undefined {
  if (Object.hasOwn(FIELDS, key) || !runs.length) return undefined;
  const known = new Set(Object.keys(FIELDS));
  for (const r of runs) {
    for (const k of [...Object.keys(r.final ?? {}), ...Object.keys(flatten(r.spec))]) known.add(k);
  }
  return known.has(key) ? undefined : `no run has '${key}'${didYouMean(key, [...known])}`;
}

/** Run fields that hold a reference, and to what: a run's `parent` is a run id, its `sweep` a sweep id. */
const REFERENCES: Record<string, 'run' | 'sweep'> = { parent: 'run', sweep: 'sweep' };

/** The full id of the run or sweep `ref` names (a name or unique id prefix); throws when it names none or several. */
export type ResolveReference = (kind: 'run' | 'sweep', ref: string) => string;

/**
 * The clauses with `parent=` and `sweep=` (and `!=`) values resolved to the ids runs record, so that a
 * run or sweep is named as everywhere else (a name or unique id prefix). A value some run records as it
 * is stays as given (a parent whose folder was removed by hand still has children). A store without
 * runs resolves nothing, as unknownKey checks nothing there.
 */
export function resolveReferences(clauses: Clause[], runs: RunRecord[], resolve: ResolveReference): Clause[] {
  return clauses.map((c) => {
    const kind = Object.hasOwn(REFERENCES, c.key) ? REFERENCES[c.key] : undefined;
    if (!kind || (c.op !== '=' && c.op !== '!=') || !runs.length || runs.some((r) => valueOf(r, c.key) === c.value)) return c;
    return { ...c, value: resolve(kind, c.value) };
  });
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

function test(actual: unknown, c: Clause): boolean {
  if (Array.isArray(actual)) return c.op === '!=' ? actual.every((a) => test(a, { ...c, op: '=' }) === false) : actual.some((a) => test(a, c));
  if (actual === undefined || actual === null) return c.op === '!=';
  const [a, b] = [num(actual), num(c.value)];
  const text = String(actual);
  switch (c.op) {
    case '=': return a !== undefined && b !== undefined ? a === b : text === c.value;
    case '!=': return a !== undefined && b !== undefined ? a !== b : text !== c.value;
    case '~': return text.includes(c.value);
    default: {
      if (a === undefined || b === undefined) return false;
      return c.op === '>' ? a > b : c.op === '>=' ? a >= b : c.op === '<' ? a < b : a <= b;
    }
  }
}

/** Whether run `r` satisfies every clause. */
export const matches = (r: RunRecord, clauses: Clause[]): boolean => clauses.every((c) => test(valueOf(r, c.key), c));

/** The key a sort names: `val_accuracy` in `val_accuracy:desc`. */
export const sortKey = (spec: string): string => spec.split(':')[0];

/**
 * Sorts runs by `key` (any key a filter accepts), ascending, or descending with `:desc`; runs without a
 * value go last. Stable, so an unsorted listing keeps its order (newest first).
 */
export function sortRuns<T extends { rec: RunRecord }>(runs: T[], spec: string): T[] {
  const [key, dir] = spec.split(':');
  if (dir !== undefined && dir !== 'asc' && dir !== 'desc') throw new FilterError(spec, key.length + 1, 'asc or desc after the colon');
  const sign = dir === 'desc' ? -1 : 1;
  // NaN sorts with the missing values, last either way (as the dashboard's table does).
  const known = (v: unknown) => (Number.isNaN(v) ? undefined : v);
  const keyed = runs.map((run) => ({ run, v: known(valueOf(run.rec, key)) }));
  return keyed.sort((x, y) => {
    if (x.v === undefined || y.v === undefined) return x.v === undefined ? (y.v === undefined ? 0 : 1) : -1;
    const [a, b] = [num(x.v), num(y.v)];
    return sign * (a !== undefined && b !== undefined ? a - b : String(x.v).localeCompare(String(y.v)));
  }).map((k) => k.run);
}
