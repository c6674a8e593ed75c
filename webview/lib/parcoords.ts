/**
 * A sweep's parallel coordinates as SVG: one vertical axis per `Axis`, one polyline per trial (the best
 * trial thick, pruned trials dashed, trials outside the brushes greyed), a trial with no value on an axis
 * drawn at the "n/a" row under it. Dragging along an axis brushes a range; a double-click clears it.
 */
import type { SweepTrialView } from '../../src/core/sweep/view';
import { showParam } from '../../src/core/dashboard/present';
import { show } from './dom';
import { brushHeights, brushFromHeights, heightOf, inBrushes, type Axis, type Brushes } from './parallel';

const NS = 'http://www.w3.org/2000/svg';
export const PC = { height: 320, top: 34, bottom: 46, side: 70 };

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface ParallelHandlers {
  /** A new brush on axis `key`, in the axis's terms (see `Brushes`), or none. */
  brush(key: string, range: [number, number] | undefined): void;
  open(t: SweepTrialView): void;
}

/** Redraws `root` (an <svg>) for these axes, trials and brushes; returns the trials within the brushes. */
export function drawParallel(root: SVGSVGElement, axes: Axis[], trials: SweepTrialView[], brushes: Brushes, on: ParallelHandlers): SweepTrialView[] {
  const width = Math.max(480, root.parentElement?.clientWidth ?? 900);
  const plot = PC.height - PC.top - PC.bottom;
  const xOf = (i: number) => PC.side + (axes.length > 1 ? (i * (width - 2 * PC.side)) / (axes.length - 1) : (width - 2 * PC.side) / 2);
  const yOf = (h: number | undefined) => (h === undefined ? PC.top + plot + 18 : PC.top + (1 - h) * plot);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(PC.height));
  root.replaceChildren();
  const lines = svg('g', { class: 'pc-lines' });
  const shown: SweepTrialView[] = [];
  // Greyed lines first, so the ones within the brushes are drawn over them.
  const order = trials.map((t) => ({ t, on: inBrushes(axes, brushes, t) })).sort((a, b) => Number(a.on) - Number(b.on) || Number(a.t.best) - Number(b.t.best));
  for (const { t, on: inside } of order) {
    if (inside) shown.push(t);
    const d = axes.map((a, i) => `${i ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(heightOf(a, a.value(t))).toFixed(1)}`).join('');
    const cls = ['trial', `t-${t.state}`, t.best ? 'best' : '', t.pareto ? 'pareto' : '', inside ? '' : 'out'].filter(Boolean).join(' ');
    const path = svg('path', { d, class: cls, 'data-trial': t.number, ...(t.runId ? { 'data-run': t.runId } : {}) });
    path.append(svg('title', {}, `trial ${t.number} (${t.state}): ${Object.entries(t.params).map(([k, v]) => `${k}=${showParam(v)}`).join(' ')}`));
    path.addEventListener('click', () => on.open(t));
    lines.append(path);
  }
  root.append(lines);
  axes.forEach((a, i) => root.append(axisGroup(a, xOf(i), plot, brushes[a.key], on)));
  shown.sort((a, b) => a.number - b.number);
  return shown;
}

function axisGroup(a: Axis, x: number, plot: number, brush: [number, number] | undefined, on: ParallelHandlers): SVGGElement {
  const g = svg('g', { class: `pc-axis ${a.kind}`, 'data-key': a.key, 'data-top': PC.top, 'data-bottom': PC.top + plot, 'data-x': x });
  const y = (h: number) => PC.top + (1 - h) * plot;
  g.append(svg('line', { x1: x, x2: x, y1: PC.top, y2: PC.top + plot, class: 'pc-line' }));
  g.append(svg('text', { x, y: PC.top - 18, class: 'pc-label', 'text-anchor': 'middle' }, a.label));
  const ticks: [number, string][] = a.scale === 'cat'
    ? a.labels.map((v, k) => [(k + 0.5) / a.labels.length, v])
    : [[0, show(a.min)], [1, show(a.max)]];
  for (const [h, text] of ticks) g.append(svg('text', { x: x - 6, y: y(h) + 4, class: 'pc-tick', 'text-anchor': 'end' }, text));
  g.append(svg('text', { x: x - 6, y: PC.top + plot + 22, class: 'pc-tick', 'text-anchor': 'end' }, 'n/a'));
  const rect = svg('rect', { x: x - 7, width: 14, class: 'pc-brush' });
  const place = (r: [number, number] | undefined) => {
    rect.setAttribute('visibility', r ? 'visible' : 'hidden');
    if (r) {
      rect.setAttribute('y', String(y(r[1])));
      rect.setAttribute('height', String(Math.max(1, (r[1] - r[0]) * plot)));
    }
  };
  place(brush && brushHeights(a, brush));
  if (brush) {
    g.classList.add('brushed');
    g.setAttribute('data-lo', String(brush[0]));
    g.setAttribute('data-hi', String(brush[1]));
  }
  g.append(rect);
  // The hit area: wider than the axis, so a drag need not start exactly on it.
  const hit = svg('rect', { x: x - 14, y: PC.top, width: 28, height: plot, class: 'pc-hit' });
  hit.append(svg('title', {}, 'drag to filter, double-click to clear'));
  const heightAt = (e: PointerEvent) => {
    const box = hit.getBoundingClientRect();
    return Math.min(1, Math.max(0, 1 - (e.clientY - box.top) / box.height));
  };
  let from: number | undefined;
  let range: [number, number] | undefined;
  hit.addEventListener('pointerdown', (e) => {
    from = heightAt(e);
    range = undefined;
    hit.setPointerCapture(e.pointerId);
  });
  hit.addEventListener('pointermove', (e) => {
    if (from === undefined) return;
    const to = heightAt(e);
    range = [Math.min(from, to), Math.max(from, to)];
    place(range);
  });
  hit.addEventListener('pointerup', () => {
    const r = range;
    from = range = undefined;
    // A click (under 3 px of travel) is not a brush.
    if (r && (r[1] - r[0]) * plot >= 3) on.brush(a.key, brushFromHeights(a, r));
    else place(brush && brushHeights(a, brush));
  });
  hit.addEventListener('dblclick', () => on.brush(a.key, undefined));
  g.append(hit);
  return g;
}
