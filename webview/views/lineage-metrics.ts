/**
 * The Metrics section of Run detail: a run's final and best metrics, or for a run made from another (a compressed
 * or an attacked model) the parent's beside them, so sizes, robust accuracy and accuracy read against the
 * model they came from. Units, labels and which value is better come from the metric registry; a metric
 * the registry does not know is shown, never starred, and neither is a tie or a robustness metric the two
 * runs measured under different evaluations (core/dashboard/conditions.ts: each cell then names its eps).
 */
import { metricRow } from '../../src/core/dashboard/conditions';
import { bestValue, sortMetrics } from '../../src/core/dashboard/metrics';
import { formatMetric } from '../../src/core/dashboard/present';
import { extraDigits } from '../../src/core/format';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { metricInfo } from '../../src/core/metrics/registry';
import { h } from '../lib/dom';
import * as ui from '../toolkit';
import type { ViewContext } from './types';

const cell = (name: string, v: number | undefined, best: boolean, eps: number | undefined, extra: number) =>
  h('td', { class: `num${best ? ' best' : ''}`, title: best ? 'the better of the two' : undefined }, v === undefined ? '—' : formatMetric(name, v, extra), eps === undefined ? '' : ` (eps ${eps})`, best ? ' ★' : '');

/** The row's head: `label` (the metric, with its headline eps where both runs share one), then the registry's name for it. */
function metricHead(name: string, label: string): HTMLElement {
  const info = metricInfo(name);
  return h('th', { scope: 'row', title: info ? `${info.label} (${info.unit}; ${info.better === 'max' ? 'higher' : 'lower'} is better)` : 'a metric the registry does not know: no direction is claimed' },
    label, info && info.label !== name.replace(/_/g, ' ') ? h('span', { class: 'muted' }, ` ${info.label}`) : undefined);
}

export function metricsSection(ctx: ViewContext, r: RunInfo): HTMLElement {
  const parent = r.parent ? ctx.model.runs.get(r.parent) : undefined;
  // The run's own metrics first (a compressed run's sizes, an attacked one's robust accuracy), then those only its parent has.
  const own = sortMetrics(Object.keys(r.final));
  const names = [...own, ...sortMetrics(Object.keys(parent?.final ?? {})).filter((m) => !own.includes(m))];
  if (!names.length) return h('section', {}, h('h3', {}, 'Metrics'), h('p', { class: 'muted' }, 'no metrics yet'));
  const link = parent && h('a', { href: '#', class: 'run-link', 'data-run': parent.id, title: parent.id, onclick: (e: Event) => (e.preventDefault(), ctx.open('detail', [parent.id])) }, parent.name);
  // Without a parent, the second column is the run's best value of each metric (its best epoch's).
  const head = h('tr', {}, h('th', {}, 'metric'), h('th', { class: 'num' }, parent ? `this run (${r.kind})` : 'final'), h('th', { class: 'num parent' }, ...(link ? ['made from ', link] : ['best'])));
  const rows = names.map((name) => {
    const values = [r.final[name], parent ? parent.final[name] : r.best[name]];
    // Without a parent both values are this run's, measured alike.
    const row = metricRow(name, parent ? [r.spec, parent.spec] : [r.spec], parent ? values.map((v) => v !== undefined) : [values[0] !== undefined]);
    // bestValue gives none for a tie: neither is the better of the two.
    const best = parent && metricInfo(name) && !row.apart ? bestValue(name, values) : undefined;
    const extra = extraDigits(best, values, (v, e) => formatMetric(name, v, e));
    return h('tr', { 'data-metric': name }, metricHead(name, row.label), ...values.map((v, i) => cell(name, v, best !== undefined && v === best, row.eps[i], extra)));
  });
  const compare = parent && ui.button('Compare With Parent', () => ctx.open('compare', [parent.id, r.id]), { title: 'spec and every metric of the two runs side by side' }).el;
  return h('section', { class: 'metrics-section' },
    h('div', { class: 'section-head' }, h('h3', {}, 'Metrics'), compare),
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid metrics beside' }, h('thead', {}, head), h('tbody', {}, ...rows))));
}
