/**
 * UI state: everything the user chose (view, selection, filters, sort, columns, chart options). With the
 * store records it determines the whole page. It is saved through the host on every change and restored
 * field by field, so a state saved by an older version (or tampered with) falls back to defaults.
 */
export type XAxis = 'step' | 'epoch' | 'time';

export interface UIState {
  view: string;
  /** Runs ticked in the table; Curves shows them. */
  selected: string[];
  /** Runs in the Compare view. */
  compare: string[];
  /** The run the Run detail view shows. */
  detail?: string;
  sort: { key: string; desc: boolean };
  /** Words that every shown run must contain (name, id, experiment, status, backend, overrides). */
  filter: string;
  /** Per-column filters by column key: text, or a comparison such as `>0.9` or `<=1e-3`. */
  columnFilters: Record<string, string>;
  /** Column keys the user hid among those shown by default (name, status, varying parameters, headline metrics). */
  hidden: string[];
  /** Column keys the user showed among those hidden by default (constant settings, other metrics). */
  shown: string[];
  x: XAxis;
  logY: boolean;
  /** Exponential moving average weight in [0, 0.99]. */
  smoothing: number;
  onlyChanged: boolean;
  /** Palette slot per watched run (lib/colors.ts `assignColors`): a run keeps its colour while it is shown. */
  colors: Record<string, number>;
  /** State of views added later, by view id. */
  views: Record<string, unknown>;
}

export const defaultState = (): UIState => ({
  view: 'runs',
  selected: [],
  compare: [],
  sort: { key: 'created', desc: true },
  filter: '',
  columnFilters: {},
  hidden: [],
  shown: [],
  x: 'epoch',
  logY: false,
  smoothing: 0,
  onlyChanged: true,
  colors: {},
  views: {},
});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
const stringMap = (v: unknown): Record<string, string> | undefined =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string') ? (v as Record<string, string>) : undefined;
const numberMap = (v: unknown): Record<string, number> | undefined =>
  isObject(v) && Object.values(v).every((x) => Number.isInteger(x)) ? (v as Record<string, number>) : undefined;

/** A saved state made whole: every field that is missing or malformed takes its default. */
export function restoreState(saved: unknown): UIState {
  const d = defaultState();
  if (!isObject(saved)) return d;
  const s = saved;
  const sort = isObject(s.sort) && typeof s.sort.key === 'string' && typeof s.sort.desc === 'boolean' ? { key: s.sort.key, desc: s.sort.desc } : d.sort;
  return {
    view: typeof s.view === 'string' ? s.view : d.view,
    selected: strings(s.selected) ?? d.selected,
    compare: strings(s.compare) ?? d.compare,
    ...(typeof s.detail === 'string' ? { detail: s.detail } : {}),
    sort,
    filter: typeof s.filter === 'string' ? s.filter : d.filter,
    columnFilters: stringMap(s.columnFilters) ?? d.columnFilters,
    hidden: strings(s.hidden) ?? d.hidden,
    shown: strings(s.shown) ?? d.shown,
    x: s.x === 'step' || s.x === 'epoch' || s.x === 'time' ? s.x : d.x,
    logY: typeof s.logY === 'boolean' ? s.logY : d.logY,
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing <= 0.99 ? s.smoothing : d.smoothing,
    onlyChanged: typeof s.onlyChanged === 'boolean' ? s.onlyChanged : d.onlyChanged,
    colors: numberMap(s.colors) ?? d.colors,
    views: isObject(s.views) ? s.views : d.views,
  };
}
