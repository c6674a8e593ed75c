/**
 * The Trade-offs view's lists: the front (each run's objective values, a value its model lent it marked),
 * the runs not plotted or not ranked and why, and each front run's provenance (the chain of runs it was
 * made from, its spec, and the command, code, machine and data its run.json records), which `hone report`
 * carries to people without VS Code.
 */
import { formatMetric } from '../../src/core/dashboard/present';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import type { RunValues, TradeoffPlot } from '../../src/core/tradeoff';
import { h } from '../lib/dom';
import { provenance, runLink } from './detail';
import type { ViewContext } from './types';

/** The front's runs by their first objective, best first (ties in front order). */
export function frontOrder(plot: TradeoffPlot, points: Map<string, RunValues>): RunValues[] {
  const o = plot.objectives[0];
  const rows = plot.front.front.map((id) => points.get(id)!);
  return o ? rows.sort((a, b) => (a.values[o.metric] - b.values[o.metric]) * (o.better === 'max' ? -1 : 1)) : rows;
}

/** The front in a table, in `frontOrder`. */
export function frontTable(ctx: ViewContext, plot: TradeoffPlot, points: Map<string, RunValues>): HTMLElement {
  const { objectives } = plot;
  if (!objectives.length) return h('p', { class: 'muted' }, 'Choose objectives with a direction to see the front.');
  const rows = frontOrder(plot, points);
  if (!rows.length) return h('p', { class: 'muted' }, 'No run has every objective.');
  return h('table', { class: 'grid front-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'run'), h('th', {}, 'kind'), ...objectives.map((o) => h('th', { class: 'num', title: `${o.better === 'max' ? 'higher' : 'lower'} is better` }, `${o.metric} ${o.better === 'max' ? '↑' : '↓'}`)))),
    h('tbody', {}, ...rows.map((p) => {
      const r = ctx.model.runs.get(p.id)!;
      return h('tr', { 'data-run': p.id }, h('td', {}, runLink(ctx, p.id)), h('td', {}, r.kind),
        ...objectives.map((o) => {
          const from = p.from[o.metric] ? ctx.model.runs.get(p.from[o.metric]) : undefined;
          return h('td', { class: `num${from ? ' inherited' : ''}`, 'data-metric': o.metric, title: from ? `of the model it evaluated: ${from.name}` : undefined }, formatMetric(o.metric, p.values[o.metric]));
        }));
    })));
}

/** Runs in scope that the plot cannot place, or the front cannot rank, each with why. */
export function leftOut(ctx: ViewContext, plot: TradeoffPlot, left: { id: string; reason: string }[]): HTMLElement | undefined {
  const name = (id: string) => ctx.model.runs.get(id)?.name ?? id;
  const items = [
    ...left.map((l) => ({ id: l.id, why: l.reason, kind: 'left' })),
    ...plot.notPlotted.map((l) => ({ id: l.id, why: `not plotted: ${l.reason}`, kind: 'not-plotted' })),
    ...plot.front.missing.map((m) => ({ id: m.id, why: `not ranked: no ${m.metrics.join(', no ')}`, kind: 'not-ranked' })),
  ];
  if (!items.length) return undefined;
  const ids = new Set(items.map((i) => i.id));
  return h('details', { class: 'left-out' }, h('summary', {}, `${ids.size} run${ids.size === 1 ? '' : 's'} not plotted or not ranked`),
    h('ul', {}, ...items.map((i) => h('li', { 'data-run': i.id, class: i.kind }, runLink(ctx, i.id, name(i.id)), ` · ${i.why}`))));
}

/** The runs `r` was made from, nearest first, each a link; a deleted one by its recorded name. */
function chain(ctx: ViewContext, r: RunInfo): (HTMLElement | string)[] {
  const out: (HTMLElement | string)[] = [];
  const seen = new Set([r.id]);
  for (let c: RunInfo | undefined = r; c && (c.parent || c.parentRemoved);) {
    const p: RunInfo | undefined = c.parent ? ctx.model.runs.get(c.parent) : undefined;
    out.push(' ← ', p ? runLink(ctx, p.id) : h('span', { class: 'muted' }, c.parentRemoved ? `${c.parentRemoved.name} (deleted)` : c.parent!));
    if (!p || seen.has(p.id)) break;
    seen.add(p.id);
    c = p;
  }
  return out;
}

/** One block per front run: lineage, provenance (asked of the host once per run), spec. */
export function provenanceBlocks(ctx: ViewContext, ids: string[], asked: Set<string>): HTMLElement[] {
  return ids.flatMap((id) => {
    const r = ctx.model.runs.get(id);
    if (!r) return [];
    const d = ctx.model.details.get(id);
    if (!d && !asked.has(id)) {
      asked.add(id);
      ctx.post({ type: 'detail', runId: id });
    }
    const spec = h('pre', { class: 'code' });
    spec.textContent = JSON.stringify(r.spec, null, 2);
    const block = h('div', { class: 'front-provenance provenance', 'data-run': id },
      h('h4', {}, runLink(ctx, id), ` · ${r.kind}`, ...chain(ctx, r)),
      h('p', { class: 'muted' }, `${r.id} · ${r.status} · created ${r.created.replace('T', ' ').slice(0, 19)}`),
      d ? provenance(ctx, r, d.provenance) : h('p', { class: 'muted' }, 'loading...'),
      h('details', {}, h('summary', {}, 'spec'), spec));
    return [block];
  });
}
