/** Curves: the selected runs overlaid, one chart per metric. */
import { MAX_WATCHED } from '../../src/core/dashboard/protocol';
import { mountCurves } from '../lib/curves';
import type { View } from './types';

/** More runs than this in one chart is noise; the first ones selected are drawn. */
const MAX_CURVES = 20;

export const curvesView: View = {
  id: 'curves',
  title: 'Curves',
  watch: (s) => s.selected.slice(0, Math.min(MAX_CURVES, MAX_WATCHED)),
  mount(root, ctx) {
    const note = document.createElement('p');
    note.className = 'muted';
    root.append(note);
    const curves = mountCurves(root, ctx, () => curvesView.watch!(ctx.state));
    return {
      update() {
        const n = ctx.state.selected.length;
        note.textContent = n > MAX_CURVES ? `Showing the first ${MAX_CURVES} of ${n} selected runs.` : '';
        curves.update();
      },
    };
  },
};
