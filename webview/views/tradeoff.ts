/**
 * Trade-offs: runs as points of any two metrics (default: packed size on a log axis against test accuracy,
 * coloured by robust accuracy), the non-dominated front over the chosen objectives drawn and listed, lineage
 * as arrows from a run to the runs made from it, and a brush whose runs become the selection (Compare and
 * Curves then show them). A point opens its run. Opened on all runs, on given runs, or on a sweep's trials.
 * A robustness metric the runs measured under different evaluations (another headline eps, norm or attack
 * set: core/dashboard/conditions.ts) is one number per evaluation, not one measurement: the view lists the
 * evaluations, and draws no front over it as an objective. The logic lives in core/tradeoff; this file wires it to the page.
 */
import { mixedSentence, type MixedMetric } from '../../src/core/dashboard/conditions';
import { formatMetric } from '../../src/core/dashboard/present';
import { metricInfo } from '../../src/core/metrics/registry';
import { defaultChoice, inBrush, lineageEdges, metricCounts, scopePoints, tradeoffPlot, type Brush, type Scope, type TradeoffChoice } from '../../src/core/tradeoff';
import { fill, h } from '../lib/dom';
import { drawScatter, RAMP } from '../lib/scatter';
import * as ui from '../toolkit';
import { frontOrder, frontTable, leftOut, provenanceBlocks } from './tradeoff-parts';
import type { View, ViewContext } from './types';

/** This view's part of `UIState.views`: what it shows, the user's choices over the defaults, the brush. */
interface TradeoffState extends Scope, Partial<Omit<TradeoffChoice, 'color'>> {
  /** Every run, though runs were opened (`runIds` is kept for the scope picker). */
  all?: boolean;
  /** '' for no colour. */
  color?: string;
  brush?: Brush;
}

const stateOf = (ctx: ViewContext): TradeoffState => (ctx.state.views.tradeoff ?? {}) as TradeoffState;
const setState = (ctx: ViewContext, patch: Partial<TradeoffState>, more: Parameters<ViewContext['set']>[0] = {}) =>
  ctx.set({ ...more, views: { ...ctx.state.views, tradeoff: { ...stateOf(ctx), ...patch } } });
const scopeOf = (s: TradeoffState): Scope => (s.all ? {} : s.sweepId ? { sweepId: s.sweepId } : s.runIds ? { runIds: s.runIds } : {});
const scopeKey = (s: Scope) => (s.sweepId ? `sweep:${s.sweepId}` : s.runIds ? 'ids' : 'all');
/**
 * The brush's runs are the selection, so a change that drops the brush (another scope, axis or log scale)
 * drops that selection too: it would otherwise stay ticked, and counted by Compare, with no brush to show
 * for it. A selection made elsewhere (no brush here) stays.
 */
const unbrushed = (s: TradeoffState | undefined) => (s?.brush ? { selected: [] } : {});
/** Another scope starts afresh on its own defaults (a sweep's objectives), keeping only the runs opened. */
const rescope = (ctx: ViewContext, key: string) => {
  const { runIds } = stateOf(ctx);
  const next: TradeoffState = key === 'all' ? { runIds, all: true } : key === 'ids' ? { runIds } : { runIds, sweepId: key.slice('sweep:'.length) };
  ctx.set({ ...unbrushed(stateOf(ctx)), views: { ...ctx.state.views, tradeoff: next } });
};
const MAX_PROVENANCE = 12;

/** Which metrics of the plot mix data sections or robustness evaluations, each with those listed. */
function mixedNote(mixed: MixedMetric[], objectives: string[]): HTMLElement | undefined {
  if (!mixed.length) return undefined;
  return h('div', { class: 'mixed-evaluations' }, ...mixed.map((m) => h('div', { 'data-metric': m.metric },
    h('p', {}, `${mixedSentence(m)}${objectives.includes(m.metric) ? ': no front is drawn while it is an objective (untick it, or open runs measured alike)' : ''}:`),
    h('ul', {}, ...m.evaluations.map((e) => h('li', {}, e))))));
}

/** The default choice with the user's choices over it, where they still name a metric the points have. */
function choiceOf(s: TradeoffState, have: string[], dflt: TradeoffChoice): TradeoffChoice {
  const ok = (m: string | undefined) => (m !== undefined && have.includes(m) ? m : undefined);
  return {
    x: ok(s.x) ?? dflt.x,
    y: ok(s.y) ?? dflt.y,
    color: s.color === '' ? undefined : ok(s.color) ?? dflt.color,
    logX: s.logX ?? dflt.logX,
    logY: s.logY ?? dflt.logY,
    objectives: s.objectives?.filter((m) => have.includes(m)) ?? dflt.objectives,
  };
}

const label = (m: string) => {
  const info = metricInfo(m);
  return info ? `${m} (${info.better === 'max' ? 'higher' : 'lower'} is better)` : m;
};

export const tradeoffView: View = {
  id: 'tradeoff',
  title: 'Trade-offs',
  opened: ({ runIds, sweepId }, state) => ({
    ...unbrushed(state.views.tradeoff as TradeoffState | undefined),
    views: { ...state.views, tradeoff: sweepId ? { sweepId } : { runIds } },
  }),
  mount(root, ctx) {
    const pickers = h('div', { class: 'toolbar tradeoff-pickers' });
    const objectivesBox = h('div', { class: 'toolbar objectives' });
    const count = h('span', { class: 'count muted' });
    const compare = ui.button('Compare', () => ctx.open('compare', ctx.state.selected), { primary: true, title: 'compare the runs in the brush' });
    const clear = ui.button('Clear Brush', () => setState(ctx, { brush: undefined }, { selected: [] }), { title: 'or double-click the plot' });
    const plotBox = h('div', { class: 'scatter-box' });
    const legend = h('div', { class: 'legend muted' });
    const left = h('div', {});
    const front = h('div', { class: 'scroll-x' });
    const prov = h('div', {});
    const empty = h('p', { class: 'muted empty' }, 'No run here has metrics yet: train, compress (hone compress) or attack (hone attack) a model, then compare the results here.');
    const body = h('div', {},
      h('p', { class: 'muted' }, 'Drag a rectangle to select the runs inside (Compare shows them); double-click to clear; click a point to open its run. Arrows go from a run to the runs made from it.'),
      plotBox, legend, left,
      h('section', {}, h('h3', {}, 'Front'), front),
      h('section', {}, h('h3', {}, 'Provenance of the front'), prov));
    root.append(h('div', { class: 'toolbar' }, h('h2', { class: 'scope' }), count, clear.el, compare.el), pickers, objectivesBox, empty, body);
    const asked = new Set<string>();
    let key = '';
    let pickKey = '';
    /** The pickers, made again when the metrics or scopes offered change, and set to the choice at every redraw. */
    let sync: (scope: string, c: TradeoffChoice) => void = () => undefined;
    return {
      update() {
        const { model, state } = ctx;
        const s = stateOf(ctx);
        const runs = [...model.runs.values()];
        const scope = scopeOf(s);
        const scoped = scopePoints(runs, model.sweeps, scope);
        const have = metricCounts(scoped.points).map((m) => m.metric);
        empty.hidden = have.length > 0;
        body.hidden = !have.length;
        const c = choiceOf(s, have, defaultChoice(scoped.points, scoped.sweepObjectives));
        const plot = tradeoffPlot(scoped.points, c, (id) => model.runs.get(id)?.spec, scoped.declared);
        // Redrawn when a front run's provenance arrives too.
        const k = JSON.stringify([model.runsVersion, model.sweepsVersion, s, c, state.selected, plot.front.front.filter((id) => model.details.has(id)), root.clientWidth]);
        // Runs selected and since deleted are not compared: not counted either.
        const n = state.selected.filter((id) => model.runs.has(id)).length;
        compare.set({ label: n >= 2 ? `Compare ${n}` : 'Compare', disabled: n < 2 });
        clear.set({ disabled: !s.brush });
        if (k === key || plotBox.querySelector('svg.dragging')) return;
        key = k;
        root.querySelector('h2.scope')!.textContent = `Trade-offs: ${scoped.title}`;
        const pk = JSON.stringify([have, model.sweeps.map((x) => x.id), scopeKey(scope), s.runIds?.length]);
        if (pk !== pickKey) {
          pickKey = pk;
          const scopes = [{ value: 'all', label: 'All runs' }, ...(s.runIds ? [{ value: 'ids', label: `The ${s.runIds.length} runs opened` }] : []),
            ...model.sweeps.map((x) => ({ value: `sweep:${x.id}`, label: `Sweep ${x.name} (${x.id})` }))];
          const scopePick = ui.dropdown(scopes, (v) => rescope(ctx, v));
          const metricPick = (which: 'x' | 'y' | 'color', none?: string) => {
            const d = ui.dropdown([...(none ? [{ value: '', label: none }] : []), ...have.map((m) => ({ value: m, label: label(m) }))], (v) => setState(ctx, which === 'color' ? { color: v } : { [which]: v, brush: undefined }, which === 'color' ? {} : unbrushed(stateOf(ctx))));
            d.el.dataset.pick = which;
            return d;
          };
          const [x, y, color] = [metricPick('x'), metricPick('y'), metricPick('color', 'no colour')];
          const logX = ui.checkbox('log', (on) => setState(ctx, { logX: on, brush: undefined }, unbrushed(stateOf(ctx))));
          const logY = ui.checkbox('log', (on) => setState(ctx, { logY: on, brush: undefined }, unbrushed(stateOf(ctx))));
          sync = (sc, ch) => {
            scopePick.set(sc);
            x.set(ch.x);
            y.set(ch.y);
            color.set(ch.color ?? '');
            logX.set(ch.logX);
            logY.set(ch.logY);
          };
          [logX.el.dataset.pick, logY.el.dataset.pick] = ['logX', 'logY'];
          fill(pickers, h('span', { class: 'muted' }, 'of'), scopePick.el, h('span', {}, 'x'), x.el, logX.el, h('span', {}, 'y'), y.el, logY.el, h('span', {}, 'colour'), color.el);
        }
        sync(scopeKey(scope), c);
        // The chosen objectives as ticked boxes (untick to drop one), and the other metrics with a direction to add.
        const more = have.filter((m) => (metricInfo(m) || scoped.declared[m]) && !c.objectives.includes(m));
        const add = more.length ? ui.dropdown([{ value: '', label: 'add an objective…' }, ...more.map((m) => ({ value: m, label: label(m) }))], (m) => m && setState(ctx, { objectives: [...c.objectives, m] })) : undefined;
        if (add) add.el.dataset.pick = 'objective';
        fill(objectivesBox, h('span', { class: 'muted' }, 'Front over'), ...c.objectives.map((m) => {
          const box = ui.checkbox(m, (on) => setState(ctx, { objectives: on ? [...c.objectives, m] : c.objectives.filter((o) => o !== m) }));
          box.set(true);
          box.el.dataset.objective = m;
          return box.el;
        }), add?.el);
        const selected = new Set(state.selected);
        const onFront = new Set(plot.front.front);
        const shownRuns = plot.plotted.map((p) => ({ id: p.id, parent: model.runs.get(p.id)?.parent }));
        const show = (m: string, v: number | undefined) => (v === undefined ? `no ${m}` : `${m} ${formatMetric(m, v)}`);
        fill(plotBox, drawScatter({
          className: 'tradeoff', width: Math.max(520, Math.min(960, root.clientWidth - 8)), height: 440, axes: plot.axes,
          labels: { x: `${c.x}${c.logX ? ' (log)' : ''}`, y: `${c.y}${c.logY ? ' (log)' : ''}` },
          points: plot.plotted.map((p) => ({
            id: p.id, x: p.values[c.x], y: p.values[c.y], c: c.color ? p.values[c.color] : undefined, front: onFront.has(p.id), selected: selected.has(p.id), data: { run: p.id },
            title: [model.runs.get(p.id)?.name ?? p.id, show(c.x, p.values[c.x]), show(c.y, p.values[c.y]), c.color ? show(c.color, p.values[c.color]) : undefined, onFront.has(p.id) ? 'on the front' : undefined].filter(Boolean).join(' · '),
          })),
          edges: lineageEdges(shownRuns),
          frontLine: plot.objectives.length === 2 && plot.objectives.every((o) => o.metric === c.x || o.metric === c.y),
          colorDomain: plot.colorDomain,
          brush: s.brush,
        }, {
          open: (id) => ctx.open('detail', [id]),
          brush: (b) => setState(ctx, { brush: b }, { selected: b ? inBrush(plot.plotted, plot.axes, b) : [] }),
        }));
        count.textContent = `${plot.plotted.length} of ${scoped.points.length + scoped.left.length} runs plotted · ${plot.front.front.length} on the front${n ? ` · ${n} selected` : ''}`;
        const ramp = h('span', { class: 'ramp' }, ...RAMP.map((col) => {
          const sw = h('span', { class: 'swatch' });
          sw.style.background = col;
          return sw;
        }));
        fill(legend, c.color && plot.colorDomain ? h('span', {}, `colour: ${c.color} `, formatMetric(c.color, plot.colorDomain[0]), ' ', ramp, ' ', formatMetric(c.color, plot.colorDomain[1]), ' · hollow: no value') : undefined,
          h('span', {}, 'ringed: on the front'),
          plot.unknown.length ? ` · no direction (not an objective): ${plot.unknown.join(', ')}` : undefined);
        fill(left, mixedNote(plot.mixed, c.objectives), leftOut(ctx, plot, scoped.left));
        const points = new Map(scoped.points.map((p) => [p.id, p]));
        fill(front, plot.noFront ? h('p', { class: 'muted no-front' }, `No front: ${plot.noFront} (the evaluations are listed above).`) : frontTable(ctx, plot, points));
        const ids = frontOrder(plot, points).slice(0, MAX_PROVENANCE).map((p) => p.id);
        fill(prov, ...provenanceBlocks(ctx, ids, asked), plot.front.front.length > ids.length ? h('p', { class: 'muted' }, `and ${plot.front.front.length - ids.length} more on the front`) : undefined);
      },
    };
  },
};
