/** Run detail: one run's status, provenance, model summary, files, curves, spec and log tail. */
import type { RunDetail, RunInfo } from '../../src/core/dashboard/protocol';
import { mountCurves } from '../lib/curves';
import { duration, fill, h, show } from '../lib/dom';
import { parseLayer } from '../lib/layers';
import * as ui from '../toolkit';
import type { View, ViewContext } from './types';

const facts = (pairs: [string, string | undefined][]) =>
  h('dl', { class: 'facts' }, ...pairs.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v!)]));

function body(ctx: ViewContext, r: RunInfo, d: RunDetail | undefined): HTMLElement[] {
  const skipped = Object.entries(d?.skipped ?? {}).map(([b, why]) => `${b}: ${why}`).join('\n');
  const model = r.model;
  return [
    h('h2', {}, r.name, ' ', h('span', { class: `status s-${r.status}` }, r.status)),
    h('p', { class: 'muted' }, r.id, r.message ? ` · ${r.message}` : ''),
    facts([
      ['experiment', r.experiment],
      ['backend', r.backend && `${r.backend}${d?.backendReason ? ` (${d.backendReason})` : ''}`],
      ['skipped backends', skipped || undefined],
      ['epochs', `${r.epochsDone} / ${r.epochsPlanned}${r.bestEpoch ? `, best epoch ${r.bestEpoch}` : ''}`],
      ['duration', duration(r.durationMs) || undefined],
      ['created', r.created],
      ['finished', r.finished],
      ['overrides', r.overrides.join(' ') || undefined],
      ['seed', d && String(d.seed)],
      ['host', d?.host],
      ['versions', d && Object.entries(d.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ]),
    h('section', {}, h('h3', {}, 'Files'), d
      ? h('table', { class: 'grid files' }, h('tbody', {}, ...d.files.map((f) => h('tr', {},
        h('th', { scope: 'row' }, f.label), h('td', { class: 'path' }, f.path),
        ctx.model.standalone ? undefined : h('td', {}, ui.button('Reveal', () => ctx.post({ type: 'reveal', runId: r.id, file: f.file })).el)))))
      : h('p', { class: 'muted' }, 'loading...')),
    h('section', {}, h('h3', {}, `Model${model ? `: ${model.params.toLocaleString('en')} parameters` : ''}`), model
      ? h('table', { class: 'grid layers' },
        h('thead', {}, h('tr', {}, h('th', {}, 'layer'), h('th', {}, 'output shape'), h('th', { class: 'num' }, 'parameters'))),
        h('tbody', {}, ...model.layers.map(parseLayer).map((l) => h('tr', {}, h('td', {}, l.name), h('td', {}, l.shape), h('td', { class: 'num' }, l.params)))))
      : h('p', { class: 'muted' }, 'no model summary yet')),
    h('section', {}, h('h3', {}, 'Metrics'), facts([...Object.entries(r.final).map(([k, v]): [string, string] => [k, `${show(v)}${r.best[k] !== undefined ? `  (best ${show(r.best[k])})` : ''}`])])),
  ];
}

export const detailView: View = {
  id: 'detail',
  title: 'Run detail',
  watch: (s) => (s.detail ? [s.detail] : []),
  opened: (runIds) => (runIds[0] ? { detail: runIds[0] } : {}),
  mount(root, ctx) {
    const top = h('div', {});
    const curvesBox = h('section', {}, h('h3', {}, 'Curves'));
    const spec = h('pre', { class: 'code' });
    const log = h('pre', { class: 'code log' });
    const rest = h('div', {}, curvesBox, h('section', {}, h('h3', {}, 'Spec'), spec), h('section', {}, h('h3', {}, 'Log (tail)'), log));
    root.append(top, rest);
    const curves = mountCurves(curvesBox, ctx, () => (ctx.state.detail ? [ctx.state.detail] : []));
    let requested: RunInfo | undefined;
    let drawn: [RunInfo?, RunDetail?] = [];
    return {
      update() {
        const { model, state } = ctx;
        const r = state.detail ? model.runs.get(state.detail) : undefined;
        rest.hidden = !r;
        if (!r) {
          drawn = [];
          return fill(top, h('p', { class: 'muted empty' }, 'Double-click a run in the Runs table to see its detail.'));
        }
        // A changed run (new epoch, new status) arrives as a new object: ask again for its log tail.
        if (requested !== r) {
          requested = r;
          ctx.post({ type: 'detail', runId: r.id });
        }
        const d = model.details.get(r.id);
        if (drawn[0] !== r || drawn[1] !== d) {
          drawn = [r, d];
          fill(top, ...body(ctx, r, d));
          spec.textContent = JSON.stringify(r.spec, null, 2);
          log.textContent = d?.logTail ?? '';
        }
        curves.update();
      },
    };
  },
};
