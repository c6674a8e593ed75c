import { kindOf, type RunRecord } from '../core/store/types';
import { flatten, varyingPaths } from '../core/compare';
import { num } from '../core/format';
import { metricRow } from '../core/dashboard/conditions';
import { stepsLabel } from '../core/dashboard/federated';
import { oneLine } from './terminal';

/** Widest a hyperparameter cell is shown (a long command line or path is cut in the middle; --json has it whole). */
const MAX_CELL = 48;
const fit = (s: string): string => (s.length <= MAX_CELL ? s : `${s.slice(0, MAX_CELL / 2 - 1)}\u2026${s.slice(-(MAX_CELL / 2 - 2))}`);

/** Columns aligned with two spaces; numbers right-aligned; each cell (header too) on one line (`oneLine`). */
export function table(header: string[], rows: string[][]): string {
  const [head, ...body] = [header, ...rows].map((r) => r.map(oneLine));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const isNum = (s: string) => /^-?[\d.]+(e[-+]?\d+)?%?$/.test(s);
  const line = (r: string[]) => r.map((c, i) => (isNum(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}


// packed_bytes: a compressed run's (or trade-off trial's) size is as much its result as its accuracy.
const METRIC_ORDER = ['test_accuracy', 'test_mse', 'packed_bytes', 'robust_accuracy', 'clean_accuracy', 'val_accuracy', 'val_mse', 'val_loss', 'test_loss', 'accuracy', 'mse', 'loss'];

/** The final metrics worth a column: those any run has, in a fixed order of importance. */
export const metricColumns = (runs: RunRecord[], max = 5): string[] =>
  METRIC_ORDER.filter((m) => runs.some((r) => r.final?.[m] !== undefined)).slice(0, max);

export const duration = (r: RunRecord): string => (r.timings ? `${(r.timings.totalMs / 1000).toFixed(1)}s` : '');

/** Runs made from another run's model: their names say what was done, so their specs add no columns. */
const DERIVED = new Set(['compress', 'evaluate']);

/**
 * One table of runs: identity, status, backend, the hyperparameters that differ, and the main metrics. A
 * robustness metric's header names its headline eps when the runs share one; measured under different
 * evaluations, each cell names its eps and a note under the table says the column does not rank (as `hone compare`).
 */
export function runsTable(runs: RunRecord[]): string {
  const params = varyingPaths(runs.filter((r) => !DERIVED.has(kindOf(r))).map((r) => r.spec)).slice(0, 6);
  const metrics = metricColumns(runs);
  const specs = runs.map((r) => r.spec);
  const rows = metrics.map((m) => metricRow(m, specs, runs.map((r) => r.final?.[m] !== undefined), false));
  // Runs trained on queue agents: which agent, in a column of its own (only when there are such runs).
  const agents = runs.some((r) => r.remote);
  // Federated runs count rounds (core/dashboard/federated.ts): the column says which it counts.
  const header = ['id', 'name', 'status', 'backend', ...(agents ? ['agent'] : []), stepsLabel(runs.map((r) => r.kind)), 'time', ...params, ...rows.map((m) => `${m.label}${m.apart ? ' \u2020' : ''}`)];
  const body = runs.map((r, i) => {
    const flat = flatten(r.spec);
    return [
      r.id, r.name, r.status, r.backend?.name ?? '', ...(agents ? [r.remote ? r.remote.agent?.name ?? (r.status === 'queued' ? '(waiting)' : '(none)') : ''] : []), `${r.epochsDone}/${r.epochsPlanned}`, duration(r),
      ...params.map((p) => (flat[p] === undefined ? '' : fit(String(flat[p])))),
      ...metrics.map((m, j) => `${num(r.final?.[m])}${rows[j].eps[i] !== undefined ? ` (eps ${rows[j].eps[i]})` : ''}`),
    ];
  });
  const apart = metrics.filter((_, j) => rows[j].apart);
  const note = `\u2020 ${apart.join(', ')}: measured under different robustness evaluations (\`hone compare\` shows which), so the values do not rank against each other`;
  return table(header, body) + (apart.length ? `\n${note}` : '');
}
