/**
 * The runs table as data: which columns exist (fixed ones, the hyperparameters that vary, final and best
 * metrics), and filtering and sorting of rows. Pure, so it is unit-tested without a browser.
 */
import { flatten, varyingPaths } from '../../src/core/compare';
import { metricRow, ranks } from '../../src/core/dashboard/conditions';
import { stepsLabel } from '../../src/core/dashboard/federated';
import { sortMetrics } from '../../src/core/dashboard/metrics';
import { HEADLINE, headlineMetric, lastSegment, showParam } from '../../src/core/dashboard/present';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { shownStatus } from '../../src/core/dashboard/trial';
import { betterOf, metricInfo, type Better } from '../../src/core/metrics/registry';
import { isTradeoffMetric } from '../../src/core/tradeoff/columns';
import { duration, show } from './dom';

export type Cell = string | number | undefined;

export interface Column {
  /** Unique and stable: `name`, `param:train.l2`, `final:val_loss`, `best:val_loss`. */
  key: string;
  label: string;
  /** The header's tooltip: the full path or the metric's meaning. */
  title?: string;
  group: 'run' | 'param' | 'final' | 'best';
  numeric: boolean;
  width: number;
  /** Shown unless the user hid it: name, status, the parameters that vary, the headline metrics. */
  shown: boolean;
  /** Kept in view while the table scrolls sideways (the run's name). */
  pinned?: boolean;
  /** A metric column's direction (the registry's): the best cell among the rows shown gets a star. */
  better?: Better;
  /**
   * Whether the values of these rows rank against each other (absent: they do). Robustness metrics measured
   * under different evaluations (headline eps, norm, attacks) do not, so no cell of theirs is starred.
   */
  ranks?(rows: RunInfo[]): boolean;
  get(r: RunInfo): Cell;
  /** The cell's text (defaults to `show`). */
  text?(v: Cell): string;
  /** How the column's filter reads the number of a comparison, when not as a plain number in the cell's units. */
  filter?: ColumnFilter;
}

/** A column filter whose numbers are written otherwise than `get` returns them (durations: seconds or `1m30s`, cells in ms). */
export interface ColumnFilter {
  /** The number a comparison is written with (`60`, `1m`), in the units of `get`; undefined when it is not one. */
  operand(text: string): number | undefined;
  placeholder: string;
  /** The filter box's tooltip: how to write it. */
  title: string;
}

const flatCache = new WeakMap<RunInfo, Record<string, unknown>>();
/** The run's spec flattened once per RunInfo object (a changed run arrives as a new object). */
export function flatSpec(r: RunInfo): Record<string, unknown> {
  let f = flatCache.get(r);
  if (!f) flatCache.set(r, (f = flatten(r.spec)));
  return f;
}

/** What the table knows beside the runs: which runs a sweep pruned (shown `pruned`, as the sweep view says). */
export interface TableContext {
  pruned?: Set<string>;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** A plain number as a filter writes it (`0.9`, `-1`, `1e-3`), else undefined. */
const plainNumber = (text: string): number | undefined => (NUMBER.test(text) ? Number(text) : undefined);

/**
 * A duration as a filter writes it, in ms: seconds (`90`, `4.5`), or with units as the cells read
 * (`90s`, `1m`, `1m30s`, `2h`, `1.5h`); undefined otherwise.
 */
export function durationOperand(text: string): number | undefined {
  const seconds = plainNumber(text);
  if (seconds !== undefined) return seconds * 1000;
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/i.exec(text);
  if (!m || !(m[1] || m[2] || m[3])) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

const DURATION_FILTER: ColumnFilter = {
  operand: durationOperand,
  placeholder: '>1m',
  title: 'seconds, or with units: >90, <1m30s, >=2h',
};

function fixed(runs: RunInfo[], ctx: TableContext): Column[] {
  const pruned = ctx.pruned ?? new Set<string>();
  const any = (f: (r: RunInfo) => boolean) => runs.some(f);
  // A federated run's steps are rounds.
  const steps = `${stepsLabel(runs.map((r) => r.kind))} done`;
  return [
    { key: 'name', label: 'name', group: 'run', numeric: false, width: 200, shown: true, pinned: true, get: (r) => r.name },
    { key: 'status', label: 'status', group: 'run', numeric: false, width: 108, shown: true, get: (r) => shownStatus(r, pruned) },
    { key: 'tags', label: 'tags', group: 'run', numeric: false, width: 104, shown: any((r) => r.tags.length > 0), get: (r) => (r.tags.length ? r.tags.join(', ') : undefined) },
    { key: 'kind', label: 'kind', group: 'run', numeric: false, width: 72, shown: false, get: (r) => r.kind },
    { key: 'experiment', label: 'experiment', group: 'run', numeric: false, width: 140, shown: false, get: (r) => r.experiment },
    { key: 'parent', label: 'parent', group: 'run', numeric: false, width: 140, shown: false, get: (r) => r.parent ?? (r.parentRemoved ? `${r.parentRemoved.name} (deleted)` : undefined) },
    { key: 'backend', label: 'backend', group: 'run', numeric: false, width: 76, shown: false, get: (r) => r.backend },
    { key: 'epochs', label: steps, group: 'run', numeric: true, width: widthFor(steps, [], 104, 180), shown: false, get: (r) => r.epochsDone, text: (v) => show(v) },
    { key: 'duration', label: 'duration', group: 'run', numeric: true, width: 76, shown: false, get: (r) => r.durationMs, text: (v) => duration(v as number | undefined), filter: DURATION_FILTER },
    { key: 'created', label: 'created', group: 'run', numeric: false, width: 150, shown: false, get: (r) => r.created.replace('T', ' ').slice(0, 19) },
  ];
}

/** A hyperparameter's value as a sortable cell: numbers stay numbers, the rest becomes text as written. */
const paramCell = (v: unknown): Cell => (v === undefined || typeof v === 'number' ? v : showParam(v));

/**
 * Paths worth a column by default: those that vary among the runs of one experiment (overrides, sweep
 * trials), and those any run overrides. Paths that differ only between experiments (one spec's seed is 7,
 * another's 42) are the experiments' settings, not what was tried: they stay in the column chooser.
 */
export function triedPaths(runs: RunInfo[], varying: string[]): Set<string> {
  const out = new Set<string>();
  // Runs of one experiment and kind: a tracked command's parameters are not a training spec's.
  const groups = new Map<string, RunInfo[]>();
  for (const r of runs) groups.set(`${r.kind} ${r.experiment}`, [...(groups.get(`${r.kind} ${r.experiment}`) ?? []), r]);
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const p of varying) {
      // Values the runs have: a path some runs lack is not something they tried.
      const values = new Set(group.map((r) => flatSpec(r)[p]).filter((v) => v !== undefined).map((v) => JSON.stringify(v)));
      if (values.size > 1) out.add(p);
    }
  }
  for (const r of runs) {
    for (const o of r.overrides) {
      const path = o.slice(0, o.indexOf('='));
      for (const p of varying) if (p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) out.add(p);
    }
  }
  return out;
}

/** Headline metrics of `runs` (each run's first of HEADLINE), in HEADLINE order. */
export const headlineMetrics = (runs: RunInfo[]): string[] =>
  HEADLINE.filter((m) => runs.some((r) => headlineMetric(r.final)?.[0] === m));

/** A column's width for its label (with its sort arrow) and the texts of its cells: 7.5 px a character, within [min, max]. */
const widthFor = (label: string, texts: string[], min: number, max: number) =>
  Math.round(Math.min(max, Math.max(min, 28 + 7.5 * Math.max(label.length, ...texts.map((t) => t.length)))));

/** The table's columns for `runs`: fixed ones, varying hyperparameters, final metrics, best metrics. */
export function runColumns(runs: RunInfo[], ctx: TableContext = {}): Column[] {
  const params = varyingPaths(runs.map(flatSpec));
  const tried = triedPaths(runs, params);
  const headline = headlineMetrics(runs);
  const finals = sortMetrics(runs.flatMap((r) => Object.keys(r.final)));
  const bests = sortMetrics(runs.flatMap((r) => Object.keys(r.best)));
  const numeric = (path: string) => runs.some((r) => typeof flatSpec(r)[path] === 'number');
  // Short labels (`lr`) unless two varying paths end alike (`model.dropout`, `train.dropout`) or one ends
  // like a column of the run's own (`train.epochs`, beside the epochs it did).
  const ends = params.map(lastSegment);
  const taken = new Set(fixed(runs, ctx).map((c) => c.key));
  const label = (p: string, i: number) => (ends.indexOf(ends[i]) === ends.lastIndexOf(ends[i]) && !taken.has(ends[i]) ? ends[i] : p);
  const sample = runs.slice(0, 200);
  return [
    ...fixed(runs, ctx),
    ...params.map((p, i): Column => ({
      key: `param:${p}`, label: label(p, i), title: p, group: 'param', numeric: numeric(p), shown: tried.has(p),
      width: widthFor(label(p, i), sample.map((r) => showParam(flatSpec(r)[p])), 56, 180),
      get: (r) => paramCell(flatSpec(r)[p]), text: (v) => (typeof v === 'number' ? String(v) : show(v)),
    })),
    ...finals.map((m) => metricColumn(runs, m, 'final', headline.includes(m) || isTradeoffMetric(m))),
    ...bests.map((m) => metricColumn(runs, m, 'best', false)),
  ];
}

/**
 * A final or best metric's column. Its label names the headline eps when every run with a value shares one
 * (`robust_accuracy (eps 0.3)`, as the Compare view); measured under different evaluations it is marked
 * `†`, its tooltip says why, and it stars no cell.
 */
function metricColumn(runs: RunInfo[], m: string, which: 'final' | 'best', shown: boolean): Column {
  const value = (r: RunInfo) => (which === 'final' ? r.final : r.best)[m];
  // The label's \u2020 judges the robustness evaluation only (runs of every experiment share the table);
  // the star judges the rows shown, their data too.
  const row = metricRow(m, runs.map((r) => r.spec), runs.map((r) => value(r) !== undefined), false);
  const label = `${which === 'best' ? 'best ' : ''}${row.label}${row.apart ? ' \u2020' : ''}`;
  return {
    key: `${which}:${m}`, label, title: metricTitle(m, which, row.apart), group: which, numeric: true, shown,
    width: widthFor(label, [], which === 'final' ? 80 : 90, which === 'final' ? 150 : 170), get: value, better: betterOf(m),
    ranks: (rows) => ranks(m, rows.filter((r) => value(r) !== undefined).map((r) => r.spec)),
  };
}

function metricTitle(m: string, which: 'final' | 'best', apart: boolean): string {
  const info = metricInfo(m);
  const what = which === 'final' ? 'at the end of the run (the restored best epoch with early stopping)' : 'best over the epochs';
  const note = apart ? '; \u2020 measured under different robustness evaluations (Compare shows which), so the values do not rank and none is starred' : '';
  const star = info && !info.model ? '; a star only among runs shown that share one data section' : '';
  return `${m}${info ? `: ${info.label}, ${info.better === 'max' ? 'higher' : 'lower'} is better` : ''}; ${what}${star}${note}`;
}

/** The columns shown: each column's default unless the user hid it (`hidden`) or showed it (`shown`). */
export const visibleColumns = (all: Column[], hidden: string[], shownKeys: string[]): Column[] =>
  all.filter((c) => (c.shown && !hidden.includes(c.key)) || shownKeys.includes(c.key));

/** A cell's text; `extra` digits past the usual for a metric column whose best value would print like another (extraDigits). */
export const cellText = (c: Column, v: Cell, extra = 0): string => (c.text ? c.text(v) : show(v, extra));

/** Whether every word of `text` occurs in the run's name, id, experiment, status, backend, kind, overrides, tags or note. */
export function matchesText(r: RunInfo, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = [r.name, r.id, r.experiment, r.status, r.backend ?? '', r.kind, r.note ?? '', ...r.overrides, ...r.tags.map((t) => `#${t} ${t}`)].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

const COMPARE = /^(<=|>=|!=|<|>|=)\s*(.+)$/;
/**
 * Whether a cell passes a column filter: `>0.9`, `<=1e-3`, `=0`, `!=0` compare numbers (read by `operand`,
 * plain numbers by default); `!text` excludes; anything else is a case-insensitive substring of the cell's
 * text. An empty filter passes everything.
 */
export function matchesFilter(value: Cell, shown: string, expr: string, operand: (text: string) => number | undefined = plainNumber): boolean {
  const e = expr.trim();
  if (!e) return true;
  const m = COMPARE.exec(e);
  const x = m ? operand(m[2].trim()) : undefined;
  if (m && x !== undefined) {
    if (typeof value !== 'number') return false;
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
    return matchesFilter(v, cellText(c, v), filters[c.key], c.filter?.operand);
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
