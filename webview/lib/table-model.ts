/**
 * The runs table as data: which columns exist (fixed ones, the hyperparameters that vary, final and best
 * metrics), and filtering and sorting of rows. Pure, so it is unit-tested without a browser.
 */
import { flatten, varyingPaths } from '../../src/core/compare';
import { sortMetrics } from '../../src/core/dashboard/metrics';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { duration, show, showValue } from './dom';

export type Cell = string | number | undefined;

export interface Column {
  /** Unique and stable: `name`, `param:train.l2`, `final:val_loss`, `best:val_loss`. */
  key: string;
  label: string;
  group: 'run' | 'param' | 'final' | 'best';
  numeric: boolean;
  width: number;
  get(r: RunInfo): Cell;
  /** The cell's text (defaults to `show`). */
  text?(v: Cell): string;
}

const flatCache = new WeakMap<RunInfo, Record<string, unknown>>();
/** The run's spec flattened once per RunInfo object (a changed run arrives as a new object). */
export function flatSpec(r: RunInfo): Record<string, unknown> {
  let f = flatCache.get(r);
  if (!f) flatCache.set(r, (f = flatten(r.spec)));
  return f;
}

const FIXED: Column[] = [
  { key: 'name', label: 'name', group: 'run', numeric: false, width: 240, get: (r) => r.name },
  { key: 'status', label: 'status', group: 'run', numeric: false, width: 112, get: (r) => r.status },
  { key: 'experiment', label: 'experiment', group: 'run', numeric: false, width: 140, get: (r) => r.experiment },
  { key: 'backend', label: 'backend', group: 'run', numeric: false, width: 76, get: (r) => r.backend },
  { key: 'epochs', label: 'epochs', group: 'run', numeric: true, width: 72, get: (r) => r.epochsDone, text: (v) => show(v) },
  { key: 'duration', label: 'duration', group: 'run', numeric: true, width: 76, get: (r) => r.durationMs, text: (v) => duration(v as number | undefined) },
  { key: 'created', label: 'created', group: 'run', numeric: false, width: 150, get: (r) => r.created.replace('T', ' ').slice(0, 19) },
];

/** A hyperparameter's value as a sortable cell: numbers stay numbers, the rest becomes text. */
const paramCell = (v: unknown): Cell => (v === undefined || typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v));

/** The table's columns for `runs`: fixed ones, varying hyperparameters, final metrics, best metrics. */
export function runColumns(runs: RunInfo[]): Column[] {
  const params = varyingPaths(runs.map(flatSpec));
  const finals = sortMetrics(runs.flatMap((r) => Object.keys(r.final)));
  const bests = sortMetrics(runs.flatMap((r) => Object.keys(r.best)));
  const numeric = (path: string) => runs.some((r) => typeof flatSpec(r)[path] === 'number');
  return [
    ...FIXED,
    ...params.map((p): Column => ({
      key: `param:${p}`, label: p, group: 'param', numeric: numeric(p), width: Math.min(200, Math.max(80, 20 + p.length * 8)),
      get: (r) => paramCell(flatSpec(r)[p]), text: showValue,
    })),
    ...finals.map((m): Column => ({ key: `final:${m}`, label: m, group: 'final', numeric: true, width: 92, get: (r) => r.final[m] })),
    ...bests.map((m): Column => ({ key: `best:${m}`, label: `best ${m}`, group: 'best', numeric: true, width: 100, get: (r) => r.best[m] })),
  ];
}

export const cellText = (c: Column, v: Cell): string => (c.text ? c.text(v) : show(v));

/** Whether every word of `text` occurs in the run's name, id, experiment, status, backend or overrides. */
export function matchesText(r: RunInfo, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = [r.name, r.id, r.experiment, r.status, r.backend ?? '', ...r.overrides].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

const COMPARE = /^(<=|>=|!=|<|>|=)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/i;

/**
 * Whether a cell passes a column filter: `>0.9`, `<=1e-3`, `=0`, `!=0` compare numbers; `!text` excludes;
 * anything else is a case-insensitive substring of the cell's text. An empty filter passes everything.
 */
export function matchesFilter(value: Cell, shown: string, expr: string): boolean {
  const e = expr.trim();
  if (!e) return true;
  const m = COMPARE.exec(e);
  if (m) {
    if (typeof value !== 'number') return false;
    const x = Number(m[2]);
    switch (m[1]) {
      case '<': return value < x;
      case '<=': return value <= x;
      case '>': return value > x;
      case '>=': return value >= x;
      case '=': return value === x;
      default: return value !== x;
    }
  }
  if (e.startsWith('!') && e.length > 1) return !shown.toLowerCase().includes(e.slice(1).toLowerCase());
  return shown.toLowerCase().includes(e.toLowerCase());
}

/** Rows passing every column filter (filters on columns that do not exist are ignored). */
export function filterRows(runs: RunInfo[], columns: Column[], filters: Record<string, string>): RunInfo[] {
  const active = columns.filter((c) => filters[c.key]?.trim());
  if (!active.length) return runs;
  return runs.filter((r) => active.every((c) => {
    const v = c.get(r);
    return matchesFilter(v, cellText(c, v), filters[c.key]);
  }));
}

/** Natural order for text ("run 9" before "run 10"); one shared collator, as `localeCompare` with options builds one per call. */
const collator = new Intl.Collator(undefined, { numeric: true });

/** Rows sorted by `column`; missing values always last; ties keep the input order. */
export function sortRows(runs: RunInfo[], column: Column | undefined, desc: boolean): RunInfo[] {
  if (!column) return runs;
  // NaN (a diverged run's loss) sorts with the missing values.
  const keyed = runs.map((r, i) => ({ r, i, v: ((v) => (Number.isNaN(v) ? undefined : v))(column.get(r)) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return (desc ? -c : c) || a.i - b.i;
  });
  return keyed.map((k) => k.r);
}
