/**
 * Sweep: one hyperparameter sweep of the store. Parallel coordinates of its trials with brushing (the
 * trials table lists those within every brush), best-so-far against cumulative epochs (rounds) per objective,
 * parameter importance, and with two or more objectives the Pareto scatter. A trial opens its run.
 */
import type { SweepTrialView, SweepView } from '../../src/core/sweep/view';
import { drawChart, type LineChart } from '../lib/chart';
import { stepsLabel } from '../../src/core/dashboard/federated';
import { axisCaps, formatMetric, showParam } from '../../src/core/dashboard/present';
import { trialFacts, type TrialRunFacts } from '../../src/core/dashboard/trial';
import { fill, h } from '../lib/dom';
import { axesOf, validBrushes, type Brushes } from '../lib/parallel';
import { drawParallel } from '../lib/parcoords';
import { drawScatter } from '../lib/scatter';
import { axisFor } from '../../src/core/tradeoff/scale';
import * as ui from '../toolkit';
import type { View, ViewContext } from './types';

/** This view's part of `UIState.views`: the sweep shown and its brushes. */
interface SweepState { id?: string; brushes?: Brushes }

const stateOf = (ctx: ViewContext): SweepState => (ctx.state.views.sweep ?? {}) as SweepState;
const setState = (ctx: ViewContext, s: SweepState) => ctx.set({ views: { ...ctx.state.views, sweep: s } });

function facts(v: SweepView): HTMLElement {
  const counts = Object.entries(v.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ');
  return h('p', { class: 'muted' }, `${v.id} · sampler ${v.sampler.type} · stopper ${v.stopper.type} · ${counts || 'no trials yet'}`,
    v.message ? ` · ${v.message}` : '');
}

function importanceBars(v: SweepView): HTMLElement {
  if (!v.importance) return h('p', { class: 'muted' }, 'Importance needs at least 4 completed trials.');
  return h('div', {}, h('p', { class: 'muted' }, v.importance.method), ...v.importance.byObjective.map((shares, j) =>
    h('div', { class: 'importance', 'data-objective': v.objectives[j].metric },
      h('h4', {}, v.objectives[j].metric),
      ...Object.entries(shares).sort((a, b) => b[1] - a[1]).map(([path, share]) => {
        const bar = h('span', { class: 'imp-bar' });
        bar.style.width = `${Math.min(1, Math.max(0, share)) * 100}%`;
        return h('div', { class: 'imp-row', 'data-param': path }, h('span', { class: 'imp-label' }, path), h('span', { class: 'imp-track' }, bar), h('span', { class: 'num' }, `${(share * 100).toFixed(0)}%`));
      }))));
}

/** The first two objectives of the completed trials, the sweep's Pareto front (over all its objectives) marked. */
function paretoScatter(v: SweepView, open: (t: SweepTrialView) => void): SVGSVGElement {
  const done = v.trials.filter((t) => t.values && t.values.length >= 2 && t.values.slice(0, 2).every(Number.isFinite));
  const [a, b] = v.objectives;
  return drawScatter({
    className: 'pareto', width: 440, height: 300,
    axes: { x: axisFor(a.metric, done.map((t) => t.values![0]), false), y: axisFor(b.metric, done.map((t) => t.values![1]), false) },
    labels: { x: `${a.metric} (${a.direction})`, y: `${b.metric} (${b.direction})` },
    points: done.map((t) => ({
      id: String(t.number), x: t.values![0], y: t.values![1], front: t.pareto, data: { trial: String(t.number) },
      title: `trial ${t.number}: ${formatMetric(a.metric, t.values![0])}, ${formatMetric(b.metric, t.values![1])}${t.pareto ? ' (Pareto front)' : ''}`,
    })),
    frontLine: v.objectives.length === 2,
  }, { open: (id) => open(done.find((t) => String(t.number) === id)!) });
}

/**
 * The trials in a table: state, epochs and objective values as every view shows them (`trialFacts`), so
 * a pruned trial reads `pruned` with the epochs its run trained and its value where it stopped (in
 * italics: not a result), as in the Runs tree and table. Parameter values as written in the spec. `steps`
 * heads the column of epochs trained (`rounds` for a federated sweep).
 */
function trialsTable(v: SweepView, shown: SweepTrialView[], runs: Map<string, TrialRunFacts>, steps: string, open: (t: SweepTrialView) => void): HTMLElement {
  const paths = v.parameters.map((p) => p.path);
  return h('table', { class: 'grid trials' },
    h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'state'), ...paths.map((p) => h('th', {}, p)), ...v.objectives.map((o) => h('th', {}, o.metric)), h('th', {}, steps))),
    h('tbody', {}, ...shown.map((t) => {
      const f = trialFacts(v, t, t.runId ? runs.get(t.runId) : undefined);
      const why = t.pruned ? `pruned at ${t.pruned.reason}` : undefined;
      return h('tr', { class: `trial-row${t.best ? ' best' : ''}`, 'data-trial': t.number, 'data-state': f.state, title: [why, t.runId ? 'click to open the run' : undefined].filter(Boolean).join('; ') || undefined, onclick: () => open(t) },
        h('td', { class: 'num' }, String(t.number), t.best ? ' ★' : ''), h('td', {}, h('span', { class: `status s-${f.state}` }, f.state)),
        ...paths.map((p) => h('td', {}, t.params[p] === undefined ? '—' : showParam(t.params[p]))),
        // In the metric's unit, as the Runs tree shows the same trial (95.3%, not 0.9533).
        ...v.objectives.map((o) => h('td', { class: `num${f.state === 'completed' ? '' : ' partial'}`, 'data-metric': o.metric }, f.values[o.metric] === undefined ? '' : formatMetric(o.metric, f.values[o.metric]))),
        h('td', { class: 'num' }, String(f.epochs)));
    })));
}

export const sweepView: View = {
  id: 'sweep',
  title: 'Sweep',
  opened: ({ sweepId }, state) => (sweepId ? { views: { ...state.views, sweep: { id: sweepId } } } : {}),
  mount(root, ctx) {
    const pick = h('div', { class: 'toolbar' });
    const head = h('div', {});
    const count = h('span', { class: 'count muted' });
    const pc = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    pc.classList.add('parcoords');
    const table = h('div', { class: 'scroll-x' });
    const charts = h('div', { class: 'chart-grid' });
    const importance = h('div', {});
    const pareto = h('section', {}, h('h3', {}, 'Pareto front'));
    const body = h('div', {},
      h('section', {}, h('div', { class: 'section-head' }, h('h3', {}, 'Trials'), count, h('span', { class: 'muted' }, 'drag along an axis to filter, double-click it to clear')),
        h('div', { class: 'pc-box' }, pc), table),
      h('section', {}, h('h3', {}, 'Best so far'), charts),
      h('section', {}, h('h3', {}, 'Parameter importance'), importance),
      pareto);
    const empty = h('p', { class: 'muted empty' }, 'No sweeps in this store yet: open a spec with a sweep section and use its Start Sweep CodeLens (or run hone sweep spec.hone.json).');
    root.append(pick, head, empty, body);
    const open = (t: SweepTrialView) => t.runId && ctx.open('detail', [t.runId]);
    let chartCards: { canvas: HTMLCanvasElement; chart?: LineChart }[] = [];
    let chartsKey = '';
    let key = '';
    let pickKey = '';
    let chooser: ui.Control<string> | undefined;
    return {
      update() {
        const sweeps = ctx.model.sweeps;
        const s = stateOf(ctx);
        const v = sweeps.find((x) => x.id === s.id) ?? sweeps[sweeps.length - 1];
        empty.hidden = !!v;
        body.hidden = !v;
        const pk = sweeps.map((x) => x.id).join(',');
        if (pk !== pickKey) {
          pickKey = pk;
          chooser = sweeps.length > 1 ? ui.dropdown(sweeps.map((x) => ({ value: x.id, label: `${x.name} (${x.id})` })), (id) => setState(ctx, { id, brushes: {} })) : undefined;
          fill(pick, chooser?.el);
        }
        if (!v) return fill(head);
        chooser?.set(v.id);
        const runs = ctx.model.runs as Map<string, TrialRunFacts>;
        // A federated sweep's trials train in rounds: say so wherever the view counts their steps.
        const steps = stepsLabel(v.trials.flatMap((t) => (t.runId && ctx.model.runs.get(t.runId)?.kind) || []));
        const axes = axesOf(v, runs);
        const brushes = validBrushes(s.id === v.id ? s.brushes : undefined, axes);
        const k = JSON.stringify([ctx.model.sweepsVersion, ctx.model.runsVersion, v.id, brushes, root.clientWidth]);
        if (k === key) return;
        key = k;
        fill(head, h('div', { class: 'section-head' }, h('h2', {}, v.name, ' ', h('span', { class: `status s-${v.status}` }, v.status)),
          ui.button('Open in Trade-offs', () => ctx.open('tradeoff', undefined, v.id), { title: 'the trials as points of any two metrics, the front over the objectives' }).el), facts(v));
        const shown = drawParallel(pc, axes, v.trials, brushes, {
          brush: (axis, range) => {
            const next = { ...brushes };
            if (range) next[axis] = range;
            else delete next[axis];
            setState(ctx, { id: v.id, brushes: next });
          },
          open,
        });
        count.textContent = `${shown.length} of ${v.trials.length} trials`;
        fill(table, trialsTable(v, shown, runs, steps, open));
        fill(importance, importanceBars(v));
        pareto.hidden = v.objectives.length < 2;
        if (v.objectives.length >= 2) fill(pareto, h('h3', {}, 'Pareto front'), paretoScatter(v, open));
        // Made again for other objectives (another sweep's): each card's title names its objective.
        const objectives = JSON.stringify(v.objectives.map((o) => o.metric));
        if (objectives !== chartsKey) {
          chartsKey = objectives;
          chartCards.forEach((c) => c.chart?.destroy());
          chartCards = v.objectives.map(() => ({ canvas: h('canvas', {}) }));
          fill(charts, ...chartCards.map((c, j) => h('div', { class: 'chart-card', 'data-objective': v.objectives[j].metric }, h('h3', {}, v.objectives[j].metric), h('div', { class: 'chart-box' }, c.canvas))));
        }
        v.objectives.forEach((o, j) => {
          const card = chartCards[j];
          card.canvas.setAttribute('role', 'img');
          const xLabel = `cumulative ${steps}`;
          card.canvas.setAttribute('aria-label', `best ${o.metric} so far against ${xLabel}`);
          const best = v.history.filter((p) => p.bestSoFar[j] !== undefined).map((p) => ({ x: p.cumulativeEpochs, y: p.bestSoFar[j]! }));
          const tried = v.history.filter((p) => p.values).map((p) => ({ x: p.cumulativeEpochs, y: p.values![j] }));
          const ys = [...best, ...tried].map((p) => p.y).filter(Number.isFinite);
          card.chart = drawChart(card.canvas, card.chart, {
            xLabel, integerX: true, logY: false, yCaps: ys.length ? axisCaps(o.metric, Math.min(...ys), Math.max(...ys)) : undefined,
            datasets: [
              { label: `best ${o.metric}`, data: best, borderColor: '#3ca951', backgroundColor: '#3ca951', stepped: 'before', borderWidth: 2 },
              { label: 'trial', data: tried, showLine: false, pointRadius: 3, borderColor: '#4269d0', backgroundColor: '#4269d0' },
            ],
          });
        });
      },
    };
  },
};
