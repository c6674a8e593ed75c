/**
 * Run detail: one run's status, lineage (the run it was made from and those made from it, each a link),
 * its tags, note and star (edited here), metrics (beside its parent's: lineage-metrics.ts), provenance
 * (command, code, data, machine), files, model summary, curves, spec and log tail.
 */
import type { RunDetail, RunInfo } from '../../src/core/dashboard/protocol';
import type { Provenance } from '../../src/core/store/types';
import { provenanceWording } from '../../src/core/format';
import { mountCurves } from '../lib/curves';
import { duration, facts, fill, h, type Fact } from '../lib/dom';
import { parseLayer } from '../lib/layers';
import * as ui from '../toolkit';
import type { View, ViewContext } from './types';
import { metricsSection } from './lineage-metrics';
import { mountAnnotations } from './annotations';
import { federationSection } from './federation';
import { stepUnit } from '../../src/core/dashboard/federated';

/** A link to another run's detail (its name, its id in the tooltip); plain text when the run is not in the store. */
export function runLink(ctx: ViewContext, id: string, fallback?: string): HTMLElement {
  const r = ctx.model.runs.get(id);
  if (!r) return h('span', { class: 'muted', title: id }, fallback ?? id);
  return h('a', { href: '#', class: 'run-link', 'data-run': r.id, title: `${r.id} · ${r.status}`, onclick: (e: Event) => (e.preventDefault(), ctx.open('detail', [r.id])) }, r.name);
}

function lineage(ctx: ViewContext, r: RunInfo): Fact[] {
  const children = [...ctx.model.runs.values()].filter((c) => c.parent === r.id);
  const parent = r.parent ? runLink(ctx, r.parent) : r.parentRemoved ? h('span', { class: 'muted', title: r.parentRemoved.id }, `${r.parentRemoved.name} (deleted ${r.parentRemoved.removed.slice(0, 10)})`) : undefined;
  const list = children.length ? h('span', { class: 'links' }, ...children.flatMap((c, i) => [i ? ', ' : '', runLink(ctx, c.id)])) : undefined;
  return [['made from', parent], ['runs made from it', list]];
}

export function provenance(ctx: ViewContext, r: RunInfo, p: Provenance | undefined): HTMLElement {
  if (!p) return h('p', { class: 'muted' }, 'No provenance recorded (a run from before Hone recorded it).');
  const git = p.git && h('span', {},
    h('code', {}, p.git.commit.slice(0, 12)), p.git.branch ? ` on ${p.git.branch}` : '',
    p.git.dirty ? h('span', { class: 'dirty' }, ' · uncommitted changes') : ' · clean',
    p.git.diffFile && !ctx.model.standalone ? h('span', {}, ' ', ui.button('Open git.diff', () => ctx.post({ type: 'openFile', runId: r.id, file: 'diff' }), { title: 'the uncommitted changes when the run started' }).el) : undefined,
    p.git.untracked?.length ? ` · ${p.git.untracked.length} untracked file(s)` : '');
  const m = p.machine;
  const data = p.data && h('span', {}, h('code', { title: p.data.sha256 }, `sha256 ${p.data.sha256.slice(0, 16)}…`),
    p.data.files?.length ? h('ul', { class: 'files' }, ...p.data.files.map((f) => h('li', {}, h('code', {}, f.path), ` · ${f.bytes.toLocaleString('en')} bytes · `, h('code', { title: f.sha256 }, f.sha256.slice(0, 12))))) : undefined);
  return facts([
    ['command', h('code', { class: 'command' }, p.command.join(' '))],
    ['folder', p.cwd],
    ['code', git ?? h('span', { class: 'muted' }, provenanceWording(r.kind).code)],
    ['data', data],
    [provenanceWording(r.kind).machine, `${m.host} · ${m.os} · ${m.cpu} × ${m.cores} · ${(m.memoryMB / 1024).toFixed(1)} GiB${m.gpus?.length ? ` · ${m.gpus.join(', ')}` : ''}`],
  ]);
}

const heading = (r: RunInfo): HTMLElement[] => [
  h('h2', {}, r.starred ? h('span', { class: 'star', title: 'starred' }, '★ ') : '', r.name, ' ', h('span', { class: `status s-${r.status}` }, r.status)),
  h('p', { class: 'muted' }, `${r.id} · ${r.kind}`, r.message ? ` · ${r.message}` : ''),
];

function body(ctx: ViewContext, r: RunInfo, d: RunDetail | undefined): (HTMLElement | undefined)[] {
  const skipped = Object.entries(d?.skipped ?? {}).map(([b, why]) => `${b}: ${why}`).join('\n');
  const model = r.model;
  return [
    facts([
      ['experiment', r.experiment],
      ...lineage(ctx, r),
      ['backend', r.backend && `${r.backend}${d?.backendReason ? ` (${d.backendReason})` : ''}`],
      ['skipped backends', skipped || undefined],
      [`${stepUnit(r.kind)}s`, `${r.epochsDone} / ${r.epochsPlanned}${r.bestEpoch ? `, best ${stepUnit(r.kind)} ${r.bestEpoch}` : ''}`],
      ['duration', duration(r.durationMs) || undefined],
      ['created', r.created],
      ['finished', r.finished],
      ['overrides', r.overrides.join(' ') || undefined],
      ['seed', d && String(d.seed)],
      ['versions', d && Object.entries(d.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ]),
    federationSection(r, d),
    metricsSection(ctx, r),
    h('section', { class: 'provenance' }, h('h3', {}, 'Provenance'), d ? provenance(ctx, r, d.provenance) : h('p', { class: 'muted' }, 'loading...')),
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
  ];
}

export const detailView: View = {
  id: 'detail',
  title: 'Run detail',
  watch: (s) => (s.detail ? [s.detail] : []),
  opened: ({ runIds }) => (runIds?.[0] ? { detail: runIds[0] } : {}),
  mount(root, ctx) {
    // Three parts, each redrawn only when what it shows changes; the annotations keep their elements
    // (annotations.ts), so a click on Star or a note or tag being typed is never lost to a redraw.
    const head = h('div', {});
    const notes = mountAnnotations(ctx);
    const info = h('div', {});
    const empty = h('p', { class: 'muted empty' }, 'Double-click a run in the Runs table to see its detail.');
    const top = h('div', {}, empty, head, notes.el, info);
    const curvesBox = h('section', {}, h('h3', {}, 'Curves'));
    const spec = h('pre', { class: 'code' });
    const log = h('pre', { class: 'code log' });
    const rest = h('div', {}, curvesBox, h('section', {}, h('h3', {}, 'Spec'), spec), h('section', {}, h('h3', {}, 'Log (tail)'), log));
    root.append(top, rest);
    const curves = mountCurves(curvesBox, ctx, () => (ctx.state.detail ? [ctx.state.detail] : []));
    let requested: RunInfo | undefined;
    let drawn: [RunInfo?, RunDetail?, number?] = [];
    return {
      update() {
        const { model, state } = ctx;
        const r = state.detail ? model.runs.get(state.detail) : undefined;
        for (const part of [rest, head, notes.el, info]) part.hidden = !r;
        empty.hidden = !!r;
        if (!r) {
          drawn = [];
          return;
        }
        // A changed run (new epoch, new status) arrives as a new object: ask again for its log tail.
        if (requested !== r) {
          requested = r;
          ctx.post({ type: 'detail', runId: r.id });
        }
        const d = model.details.get(r.id);
        // Redrawn when the run, its detail or the other runs (links to parent and children) change.
        if (drawn[0] !== r || drawn[1] !== d || drawn[2] !== model.runsVersion) {
          if (drawn[0] !== r) fill(head, ...heading(r));
          drawn = [r, d, model.runsVersion];
          fill(info, ...body(ctx, r, d));
          spec.textContent = JSON.stringify(r.spec, null, 2);
          log.textContent = d?.logTail ?? '';
        }
        notes.update(r);
        curves.update();
      },
    };
  },
};
