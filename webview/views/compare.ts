/**
 * Compare: two or more runs side by side. The spec diff highlights the fields that differ (and in which
 * runs), the metrics table marks the best value of each row, and the curves overlay the runs. A robustness
 * metric measured under different evaluations (core/dashboard/conditions.ts, as `hone compare` judges it) is
 * marked † and starred nowhere; a headline metric names its eps.
 */
import { specDiff } from '../../src/core/compare';
import { APART_WHY, metricRow } from '../../src/core/dashboard/conditions';
import { bestValue, sortMetrics } from '../../src/core/dashboard/metrics';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { colorOf } from '../lib/colors';
import { mountCurves } from '../lib/curves';
import { formatMetric, showParam } from '../../src/core/dashboard/present';
import { extraDigits } from '../../src/core/format';
import { runValues, tradeoffMetrics } from '../../src/core/tradeoff';
import { fill, h, show } from '../lib/dom';
import * as ui from '../toolkit';
import type { View, ViewContext } from './types';

const MAX_COMPARE = 50;

function runHeads(ctx: ViewContext, runs: RunInfo[]): HTMLElement[] {
  return runs.map((r) => {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = colorOf(ctx.state.colors, r.id);
    return h('th', { title: r.id, 'data-run': r.id }, swatch, r.name);
  });
}

/** Each run's parent (lineage), a link when it is in the store: a row above the spec's fields. */
function parentRow(ctx: ViewContext, runs: RunInfo[]): HTMLElement | undefined {
  if (!runs.some((r) => r.parent || r.parentRemoved)) return undefined;
  const cell = (r: RunInfo) => {
    const p = r.parent ? ctx.model.runs.get(r.parent) : undefined;
    if (p) return h('a', { href: '#', class: 'run-link', 'data-run': p.id, title: p.id, onclick: (e: Event) => (e.preventDefault(), ctx.open('detail', [p.id])) }, p.name);
    if (r.parent) return h('span', { class: 'muted' }, r.parent);
    return r.parentRemoved ? h('span', { class: 'muted', title: r.parentRemoved.id }, `${r.parentRemoved.name} (deleted)`) : '—';
  };
  const changed = new Set(runs.map((r) => r.parent ?? r.parentRemoved?.id ?? '')).size > 1;
  return h('tr', { class: `lineage${changed ? ' changed' : ''}`, 'data-path': '(parent)' }, h('th', { scope: 'row' }, 'made from'), ...runs.map((r) => h('td', {}, cell(r))));
}

function diffTable(ctx: ViewContext, runs: RunInfo[]): HTMLElement {
  const rows = specDiff(runs.map((r) => r.spec)).filter((d) => d.changed || !ctx.state.onlyChanged);
  return h('table', { class: 'grid diff' },
    h('thead', {}, h('tr', {}, h('th', {}, 'field'), ...runHeads(ctx, runs))),
    h('tbody', {}, parentRow(ctx, runs), ...rows.map((d) => h('tr', { class: d.changed ? 'changed' : '', 'data-path': d.path },
      h('th', { scope: 'row' }, d.path),
      ...d.values.map((v, i) => h('td', { class: d.differs[i] ? 'diff' : '' }, v === undefined ? '—' : showParam(v)))))),
  );
}

/** One row of a starred table: a metric's values across the runs, and per run a note that marks the cell as lent. */
interface StarRow {
  /** The row's key (`data-metric`): the metric, or `best <metric>`. */
  label: string;
  metric: string;
  values: (number | undefined)[];
  /** The spec of the run each value was measured in: what a robustness metric's evaluation is read from. */
  specs: unknown[];
  notes?: (string | undefined)[];
}

/** Under a table with a † row. */
const APART_NOTE = `\u2020 not starred: ${APART_WHY} (see the spec), so the values do not rank.`;

interface StarTable {
  cls: string;
  corner: string;
  /** A cell's text, `extra` digits past the table's own (see extraDigits). */
  format: (metric: string, v: number | undefined, extra: number) => string;
  /** The best cell's tooltip, when it has one. */
  bestTitle?: string;
}

/**
 * Metrics by run, the best of each row starred by the metric's registry direction (Metrics and Trade-offs
 * alike), unless the row's values were measured on different data or under different robustness evaluations;
 * then a note follows.
 */
function starTable(ctx: ViewContext, runs: RunInfo[], t: StarTable, rows: StarRow[]): HTMLElement {
  let anyApart = false;
  const table = h('table', { class: `grid ${t.cls}` },
    h('thead', {}, h('tr', {}, h('th', {}, t.corner), ...runHeads(ctx, runs))),
    h('tbody', {}, ...rows.map((row) => {
      const cond = metricRow(row.metric, row.specs, row.values.map((v) => v !== undefined));
      anyApart ||= cond.apart;
      const best = cond.apart ? undefined : bestValue(row.metric, row.values);
      const extra = extraDigits(best, row.values, (v, e) => t.format(row.metric, v, e));
      const name = `${row.label.slice(0, row.label.length - row.metric.length)}${cond.label}${cond.apart ? ' \u2020' : ''}`;
      return h('tr', { 'data-metric': row.label, class: cond.apart ? 'apart' : '' }, h('th', { scope: 'row' }, name),
        ...row.values.map((v, i) => {
          const note = row.notes?.[i];
          const isBest = best !== undefined && v === best;
          return h('td', { class: `num${isBest ? ' best' : ''}${note ? ' inherited' : ''}`, title: note ?? (isBest ? t.bestTitle : undefined) },
            t.format(row.metric, v, extra), cond.eps[i] === undefined ? '' : ` (eps ${cond.eps[i]})`, isBest ? ' ★' : '');
        }));
    })));
  return anyApart ? h('div', {}, table, h('p', { class: 'muted apart-note' }, APART_NOTE)) : table;
}

/**
 * Size, compression and robustness side by side, each in its unit and starred by its registry direction.
 * An evaluation run shows the size of the model it evaluated (in italics), as the Trade-offs view does.
 */
function tradeoffTable(ctx: ViewContext, runs: RunInfo[]): HTMLElement | undefined {
  const values = runs.map((r) => runValues(r, ctx.model.runs));
  const metrics = tradeoffMetrics(values.flatMap((v) => Object.keys(v.values)));
  if (!metrics.length) return undefined;
  const lentBy = (id: string | undefined) => (id ? ctx.model.runs.get(id)?.name : undefined);
  return starTable(ctx, runs, { cls: 'tradeoffs', corner: 'trade-off', format: (m, x, extra) => (x === undefined ? '—' : formatMetric(m, x, extra)) },
    metrics.map((m) => ({
      label: m, metric: m, values: values.map((v) => v.values[m]),
      specs: values.map((v, i) => (v.from[m] ? ctx.model.runs.get(v.from[m])?.spec : runs[i].spec)),
      notes: values.map((v) => {
        const from = lentBy(v.from[m]);
        return from ? `of the model it evaluated: ${from}` : undefined;
      }),
    })));
}

function metricsTable(ctx: ViewContext, runs: RunInfo[]): HTMLElement {
  const rows = [
    ...sortMetrics(runs.flatMap((r) => Object.keys(r.final))).map((m) => ({ label: m, metric: m, values: runs.map((r) => r.final[m]), specs: runs.map((r) => r.spec) })),
    ...sortMetrics(runs.flatMap((r) => Object.keys(r.best))).map((m) => ({ label: `best ${m}`, metric: m, values: runs.map((r) => r.best[m]), specs: runs.map((r) => r.spec) })),
  ];
  return starTable(ctx, runs, { cls: 'metrics', corner: 'metric', format: (_m, v, extra) => show(v, extra), bestTitle: 'best of this row' }, rows);
}

export const compareView: View = {
  id: 'compare',
  title: 'Compare',
  watch: (s) => s.compare,
  // The runs compared become the selection too: Curves then draws them without another pick.
  opened: ({ runIds = [] }) => ({ compare: runIds.slice(0, MAX_COMPARE), selected: runIds.slice(0, MAX_COMPARE) }),
  mount(root, ctx) {
    const heading = h('h2', {});
    const onlyChanged = ui.checkbox('only fields that differ', (v) => ctx.set({ onlyChanged: v }));
    const diff = h('div', { class: 'scroll-x' });
    const metrics = h('div', { class: 'scroll-x' });
    const tradeoffs = h('section', {});
    const curvesBox = h('div', {});
    const body = h('div', {},
      h('section', {}, h('div', { class: 'section-head' }, h('h3', {}, 'Spec'), onlyChanged.el), diff),
      tradeoffs,
      h('section', {}, h('h3', {}, 'Metrics'), metrics),
      h('section', {}, h('h3', {}, 'Curves'), curvesBox));
    const empty = h('p', { class: 'muted empty' }, 'Select two or more runs in the Runs table, then press Compare.');
    root.append(heading, empty, body);
    const curves = mountCurves(curvesBox, ctx, () => ctx.state.compare);
    let key = '';
    return {
      update() {
        const { model, state } = ctx;
        const runs = model.pick(state.compare);
        const ok = runs.length >= 2;
        empty.hidden = ok;
        body.hidden = !ok;
        heading.textContent = ok ? `Comparing ${runs.length} runs` : '';
        if (!ok) return;
        onlyChanged.set(state.onlyChanged);
        const k = JSON.stringify([model.runsVersion, state.compare, state.onlyChanged, runs.map((r) => state.colors[r.id])]);
        if (k !== key) {
          key = k;
          fill(diff, diffTable(ctx, runs));
          fill(metrics, metricsTable(ctx, runs));
          const t = tradeoffTable(ctx, runs);
          tradeoffs.hidden = !t;
          fill(tradeoffs, h('h3', {}, 'Trade-offs'), h('div', { class: 'scroll-x' }, t));
        }
        curves.update();
      },
    };
  },
};
