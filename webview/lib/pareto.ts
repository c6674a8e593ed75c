/**
 * A two-objective scatter of a sweep's completed trials as SVG, the Pareto front (trials no other
 * dominates; Deb et al. 2002, NSGA-II's first front) drawn bigger and joined by a line.
 */
import type { SweepObjective } from '../../src/core/spec/sweep-types';
import type { SweepTrialView } from '../../src/core/sweep/view';
import { show } from './dom';
import { svg } from './parcoords';

const W = 440;
const H = 300;
const M = { left: 64, right: 32, top: 16, bottom: 40 };

export function drawPareto(objectives: [SweepObjective, SweepObjective], trials: SweepTrialView[], open: (t: SweepTrialView) => void): SVGSVGElement {
  const root = svg('svg', { width: W, height: H, class: 'pareto' });
  const done = trials.filter((t) => t.values && t.values.length >= 2 && t.values.slice(0, 2).every(Number.isFinite));
  const extent = (j: number) => {
    const xs = done.map((t) => t.values![j]);
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const pad = hi > lo ? (hi - lo) * 0.08 : Math.abs(lo) * 0.05 || 0.5;
    return [lo - pad, hi + pad];
  };
  if (!done.length) return root;
  const [x0, x1] = extent(0);
  const [y0, y1] = extent(1);
  const px = (v: number) => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  root.append(svg('rect', { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom, class: 'pc-frame' }));
  root.append(svg('text', { x: (W + M.left) / 2, y: H - 8, 'text-anchor': 'middle', class: 'pc-label' }, `${objectives[0].metric} (${objectives[0].direction})`));
  root.append(svg('text', { x: 14, y: (H - M.bottom) / 2, 'text-anchor': 'middle', class: 'pc-label', transform: `rotate(-90 14 ${(H - M.bottom) / 2})` }, `${objectives[1].metric} (${objectives[1].direction})`));
  for (const [v, x] of [[x0, px(x0)], [x1, px(x1)]]) root.append(svg('text', { x, y: H - M.bottom + 14, 'text-anchor': 'middle', class: 'pc-tick' }, show(v)));
  for (const [v, y] of [[y0, py(y0)], [y1, py(y1)]]) root.append(svg('text', { x: M.left - 4, y: y + 4, 'text-anchor': 'end', class: 'pc-tick' }, show(v)));
  const front = done.filter((t) => t.pareto).sort((a, b) => a.values![0] - b.values![0]);
  root.append(svg('path', { d: front.map((t, i) => `${i ? 'L' : 'M'}${px(t.values![0])},${py(t.values![1])}`).join(''), class: 'front-line' }));
  for (const t of done) {
    const c = svg('circle', { cx: px(t.values![0]), cy: py(t.values![1]), r: t.pareto ? 5 : 3, class: t.pareto ? 'point front' : 'point', 'data-trial': t.number });
    c.append(svg('title', {}, `trial ${t.number}: ${show(t.values![0])}, ${show(t.values![1])}${t.pareto ? ' (Pareto front)' : ''}`));
    c.addEventListener('click', () => open(t));
    root.append(c);
  }
  return root;
}
