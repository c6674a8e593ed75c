/**
 * A scatter of runs as SVG, shared by the Trade-offs view and the Sweep view's Pareto section: axes linear
 * or log (core/tradeoff/scale), points coloured by a third metric (hollow where it is missing), the
 * non-dominated front drawn bigger (and joined by a line when the front is over the two axes), lineage
 * arrows from a run to each run made from it, and a brush: dragging a rectangle reports it in data space,
 * a double-click clears it. A click on a point opens it.
 */
import { brushOf, project, type Axis, type Brush } from '../../src/core/tradeoff/scale';
import type { Edge } from '../../src/core/tradeoff/lineage';
import { compactNumber } from '../../src/core/dashboard/present';
import { svg } from './parcoords';

export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
  /** The colour metric's value; undefined: drawn hollow. */
  c?: number;
  front: boolean;
  selected?: boolean;
  title: string;
  /** Extra data-* attributes of its circle (a run id, a trial number). */
  data?: Record<string, string>;
}

export interface ScatterView {
  className: string;
  width: number;
  height: number;
  axes: { x: Axis; y: Axis };
  labels: { x: string; y: string };
  points: ScatterPoint[];
  edges?: Edge[];
  /** Join the front's points by a line (a front over exactly the two axes). */
  frontLine?: boolean;
  colorDomain?: [number, number];
  brush?: Brush;
}

export interface ScatterHandlers {
  open(id: string): void;
  brush?(b: Brush | undefined): void;
}

const M = { left: 70, right: 24, top: 14, bottom: 42 };
/** Viridis at five stops: ordered in lightness, readable on dark and light themes, and for colour-blind eyes. */
export const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** The ramp's colour at `u` in [0, 1], interpolated between stops. */
export function rampColor(u: number): string {
  const s = Math.min(RAMP.length - 1.0001, Math.max(0, u * (RAMP.length - 1)));
  const i = Math.floor(s);
  const [a, b] = [RAMP[i], RAMP[i + 1]].map((hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)));
  return `#${a.map((v, k) => Math.round(v + (b[k] - v) * (s - i)).toString(16).padStart(2, '0')).join('')}`;
}

/** Tick values: 1, 2 and 5 times powers of ten on a log axis (powers alone over many decades), five even steps otherwise. */
function ticks(a: Axis): number[] {
  const [lo, hi] = a.domain;
  if (a.log) {
    const steps = Math.log10(hi / lo) > 3 ? [1] : [1, 2, 5];
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const s of steps) if (s * 10 ** e >= lo && s * 10 ** e <= hi) out.push(s * 10 ** e);
    return out.length >= 2 ? out : [lo, hi];
  }
  return Array.from({ length: 5 }, (_, i) => lo + (i * (hi - lo)) / 4);
}

/** A tick's text: on a linear axis with as many decimals as its step needs (0.9312, 0.9325: not 0.931 twice). */
function tickText(a: Axis, t: number): string {
  if (a.log) return compactNumber(t, 3);
  const step = (a.domain[1] - a.domain[0]) / 4;
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(step)));
  return Math.abs(t) >= 1e5 || decimals > 8 ? compactNumber(t, 3) : String(Number(t.toFixed(decimals)));
}

export function drawScatter(v: ScatterView, on: ScatterHandlers): SVGSVGElement {
  const { width: W, height: H } = v;
  const root = svg('svg', { width: W, height: H, class: v.className });
  const rx = [M.left, W - M.right] as const;
  const ry = [H - M.bottom, M.top] as const;
  const px = (x: number) => project(v.axes.x, x, rx);
  const py = (y: number) => project(v.axes.y, y, ry);
  const defs = svg('defs', {});
  const marker = svg('marker', { id: `${v.className}-arrow`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0L10,5L0,10z', class: 'lineage-head' }));
  defs.append(marker);
  const area = svg('rect', { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom, class: 'pc-frame brush-area' });
  root.append(defs, area);
  for (const t of ticks(v.axes.x)) root.append(svg('text', { x: px(t), y: H - M.bottom + 14, 'text-anchor': 'middle', class: 'pc-tick' }, tickText(v.axes.x, t)));
  for (const t of ticks(v.axes.y)) root.append(svg('text', { x: M.left - 4, y: py(t) + 4, 'text-anchor': 'end', class: 'pc-tick' }, tickText(v.axes.y, t)));
  root.append(svg('text', { x: (W + M.left) / 2, y: H - 8, 'text-anchor': 'middle', class: 'pc-label x-label' }, v.labels.x));
  const mid = (H - M.bottom + M.top) / 2;
  root.append(svg('text', { x: 14, y: mid, 'text-anchor': 'middle', class: 'pc-label y-label', transform: `rotate(-90 14 ${mid})` }, v.labels.y));
  if (v.brush) {
    const [x0, x1] = v.brush.x.map((x) => Math.min(rx[1], Math.max(rx[0], px(x))));
    const [y0, y1] = v.brush.y.map((y) => Math.min(ry[0], Math.max(ry[1], py(y))));
    root.append(svg('rect', { x: x0, y: y1, width: Math.max(1, x1 - x0), height: Math.max(1, y0 - y1), class: 'pc-brush scatter-brush' }));
  }
  const byId = new Map(v.points.map((p) => [p.id, p]));
  if (v.frontLine) {
    const front = v.points.filter((p) => p.front).sort((a, b) => a.x - b.x);
    root.append(svg('path', { d: front.map((p, i) => `${i ? 'L' : 'M'}${px(p.x)},${py(p.y)}`).join(''), class: 'front-line' }));
  }
  for (const e of v.edges ?? []) {
    const [a, b] = [byId.get(e.from)!, byId.get(e.to)!];
    const [x0, y0, x1, y1] = [px(a.x), py(a.y), px(b.x), py(b.y)];
    // Stop short of the child's circle so the head shows; a child on its parent's spot keeps a zero-length line.
    const len = Math.hypot(x1 - x0, y1 - y0);
    const k = len > 8 ? (len - 6) / len : 1;
    root.append(svg('line', { x1: x0, y1: y0, x2: x0 + (x1 - x0) * k, y2: y0 + (y1 - y0) * k, class: 'lineage', 'marker-end': `url(#${v.className}-arrow)`, 'data-from': e.from, 'data-to': e.to }));
  }
  const [c0, c1] = v.colorDomain ?? [0, 1];
  // Front points last, so they are drawn over the others.
  for (const p of [...v.points].sort((a, b) => Number(a.front) - Number(b.front))) {
    const cls = ['point', p.front ? 'front' : '', p.selected ? 'selected' : '', p.c === undefined && v.colorDomain ? 'no-color' : ''].filter(Boolean).join(' ');
    const c = svg('circle', { cx: px(p.x), cy: py(p.y), r: p.front ? 6 : 4, class: cls, 'data-id': p.id, ...Object.fromEntries(Object.entries(p.data ?? {}).map(([k, x]) => [`data-${k}`, x])) });
    if (p.c !== undefined && v.colorDomain) c.style.fill = rampColor(c1 > c0 ? (p.c - c0) / (c1 - c0) : 0.5);
    c.append(svg('title', {}, p.title));
    c.addEventListener('click', () => on.open(p.id));
    root.append(c);
  }
  if (on.brush) brushing(root, area, v, [rx, ry], on.brush);
  return root;
}

/** Dragging on the plot's background draws a rectangle and reports it in data space; a double-click clears it. */
function brushing(root: SVGSVGElement, area: SVGRectElement, v: ScatterView, [rx, ry]: (readonly [number, number])[], report: (b: Brush | undefined) => void): void {
  const local = (e: MouseEvent): [number, number] => {
    const box = root.getBoundingClientRect();
    return [Math.min(rx[1], Math.max(rx[0], e.clientX - box.left)), Math.min(ry[0], Math.max(ry[1], e.clientY - box.top))];
  };
  area.addEventListener('dblclick', () => report(undefined));
  area.addEventListener('mousedown', (down) => {
    down.preventDefault();
    const from = local(down);
    // A view redrawing on live data leaves a plot marked `dragging` alone until the drag ends.
    root.classList.add('dragging');
    const rect = svg('rect', { x: from[0], y: from[1], width: 0, height: 0, class: 'pc-brush scatter-brush' });
    root.append(rect);
    let to = from;
    const move = (e: MouseEvent) => {
      to = local(e);
      rect.setAttribute('x', String(Math.min(from[0], to[0])));
      rect.setAttribute('y', String(Math.min(from[1], to[1])));
      rect.setAttribute('width', String(Math.abs(to[0] - from[0])));
      rect.setAttribute('height', String(Math.abs(to[1] - from[1])));
    };
    const up = (e: MouseEvent) => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      to = local(e);
      rect.remove();
      root.classList.remove('dragging');
      if (Math.abs(to[0] - from[0]) > 3 || Math.abs(to[1] - from[1]) > 3) report(brushOf(v.axes, { x: rx, y: ry }, from, to));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  });
}
