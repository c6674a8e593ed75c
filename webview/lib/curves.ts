/**
 * Overlaid metric curves of a set of runs, one chart per metric, with the shared chart options (x axis,
 * log y, smoothing) and a legend mapping each run's stable colour to its name. Used by the Curves,
 * Compare and Run detail views. Datasets are rebuilt only for series whose data or options changed.
 */
import type { ChartDataset } from 'chart.js';
import { downsample, type RawPoint } from '../../src/core/dashboard/downsample';
import { sortMetrics } from '../../src/core/dashboard/metrics';
import { axisCaps } from '../../src/core/dashboard/present';
import { epochAxisLabel, stepAxisLabel } from '../../src/core/dashboard/federated';
import * as ui from '../toolkit';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import type { ViewContext } from '../views/types';
import type { XAxis } from '../state';
import { drawChart, type LineChart, type Point } from './chart';
import { colorOf } from './colors';
import { fill, h } from './dom';
import { smooth } from './smooth';

const X_LABELS: Record<XAxis, string> = { step: 'step', epoch: 'epoch', time: 'wall time (s)' };
/** The x axis' title: federated runs count rounds on the step and the epoch axis alike. */
function xLabel(axis: XAxis, runs: { kind: RunInfo['kind'] }[]): string {
  const kinds = runs.map((r) => r.kind);
  return axis === 'epoch' ? epochAxisLabel(kinds) : axis === 'step' ? stepAxisLabel(kinds) : X_LABELS[axis];
}

/**
 * Points per chart, all runs together. A chart is a few hundred pixels wide, so more points add no detail
 * but cost Chart.js time; with many runs each series is downsampled further (min/max/last again).
 */
const CHART_POINTS = 4_000;
export const seriesLimit = (runs: number): number => Math.max(200, Math.min(1500, Math.floor(CHART_POINTS / Math.max(1, runs))));

interface Card {
  el: HTMLElement;
  canvas: HTMLCanvasElement;
  chart?: LineChart;
  key: string;
}

export function mountCurves(root: HTMLElement, ctx: ViewContext, runIds: () => string[]): { update(): void } {
  const x = ui.dropdown(Object.entries(X_LABELS).map(([value, label]) => ({ value, label: `x: ${label}` })), (v) => ctx.set({ x: v as XAxis }));
  const logY = ui.checkbox('log y', (v) => ctx.set({ logY: v }));
  const range = h('input', { type: 'range', min: 0, max: 0.99, step: 0.01, 'aria-label': 'smoothing' });
  const rangeText = h('span', { class: 'muted' });
  range.addEventListener('input', () => ctx.set({ smoothing: Number(range.value) }));
  const legend = h('div', { class: 'legend' });
  const grid = h('div', { class: 'chart-grid' });
  const empty = h('p', { class: 'muted empty' }, 'Select runs in the Runs table to draw their curves.');
  root.append(h('div', { class: 'toolbar' }, x.el, logY.el, h('label', { class: 'smoothing' }, 'smoothing ', range, rangeText)), legend, empty, grid);

  const cards = new Map<string, Card>();
  const pointCache = new Map<string, { key: string; data: Point[] }>();
  let legendKey = '';

  /** One run's points for one metric under the current options, cached by series version and options. */
  function points(id: string, metric: string, limit: number): Point[] | undefined {
    const s = ctx.model.series.get(id);
    const p = s?.metrics.get(metric);
    if (!s || !p) return undefined;
    const { x: axis, smoothing, logY: log } = ctx.state;
    const key = `${s.version}|${axis}|${smoothing}|${log}|${limit}`;
    const cached = pointCache.get(`${id}|${metric}`);
    if (cached?.key === key) return cached.data;
    const raw: RawPoint[] = [];
    smooth(p, smoothing).forEach((y, i) => {
      if (y !== undefined) raw.push({ i: raw.length, step: p.step[i], epoch: p.epoch[i], time: p.time[i], y: y === null || (log && y <= 0) ? NaN : y });
    });
    const data = (raw.length > limit ? downsample(raw, limit) : raw).map((r) => ({ x: r[axis], y: Number.isFinite(r.y) ? r.y : null }));
    pointCache.set(`${id}|${metric}`, { key, data });
    return data;
  }

  function update(): void {
    const { state, model } = ctx;
    x.set(state.x);
    logY.set(state.logY);
    range.value = String(state.smoothing);
    rangeText.textContent = state.smoothing.toFixed(2);
    const runs = model.pick(runIds());
    const axisTitle = xLabel(state.x, runs);
    for (const axis of ['step', 'epoch'] as const) x.relabel(axis, `x: ${xLabel(axis, runs)}`);
    const key = runs.map((r) => `${r.id}:${r.name}:${state.colors[r.id]}:${model.series.has(r.id)}`).join('|');
    if (key !== legendKey) {
      legendKey = key;
      fill(legend, ...runs.map((r) => {
        const swatch = h('span', { class: 'swatch' });
        swatch.style.background = colorOf(state.colors, r.id);
        return h('span', { class: 'legend-item', 'data-run': r.id, title: r.id }, swatch, r.name, model.series.has(r.id) ? '' : ' (loading)');
      }));
    }
    empty.hidden = runs.length > 0;
    const metrics = sortMetrics(runs.flatMap((r) => [...(model.series.get(r.id)?.metrics.keys() ?? [])]));
    for (const [m, card] of cards) if (!metrics.includes(m)) (card.chart?.destroy(), card.el.remove(), cards.delete(m));
    for (const pid of pointCache.keys()) if (!runs.some((r) => pid.startsWith(`${r.id}|`))) pointCache.delete(pid);
    const limit = seriesLimit(runs.length);
    metrics.forEach((m, i) => {
      let card = cards.get(m);
      if (!card) {
        const canvas = h('canvas', { 'aria-label': `${m} curves` });
        const el = h('div', { class: 'chart-card', 'data-metric': m }, h('h3', {}, m), h('div', { class: 'chart-box' }, canvas));
        // In the page before the chart is made: a chart made on a detached canvas draws again once attached.
        grid.insertBefore(el, grid.children[i] ?? null);
        cards.set(m, (card = { el, canvas, key: '' }));
      }
      if (grid.children[i] !== card.el) grid.insertBefore(card.el, grid.children[i] ?? null);
      const sets: ChartDataset<'line', Point[]>[] = [];
      const parts: string[] = [state.x, axisTitle, String(state.logY)];
      for (const r of runs) {
        const data = points(r.id, m, limit);
        if (!data) continue;
        const color = colorOf(state.colors, r.id);
        sets.push({ label: r.name, data, borderColor: color, backgroundColor: color });
        parts.push(`${r.id}:${pointCache.get(`${r.id}|${m}`)!.key}:${color}`);
      }
      const chartKey = parts.join('|');
      if (chartKey !== card.key) {
        card.key = chartKey;
        // A metric's axis stays within what it can take: accuracy never past 1, a loss never below 0.
        const ys = sets.flatMap((d) => d.data.map((p) => p.y)).filter((y): y is number => y !== null && Number.isFinite(y));
        const yCaps = ys.length && !state.logY ? axisCaps(m, Math.min(...ys), Math.max(...ys)) : undefined;
        card.chart = drawChart(card.canvas, card.chart, { datasets: sets, xLabel: axisTitle, integerX: state.x !== 'time', logY: state.logY, yCaps });
        // What is drawn, for tests and anyone inspecting the page.
        card.el.dataset.runs = String(sets.length);
        card.el.dataset.x = axisTitle;
        card.el.dataset.points = String(sets.reduce((n, d) => n + d.data.length, 0));
      }
    });
  }
  return { update };
}
