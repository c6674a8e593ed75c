/** The Runs table: every run, its varying hyperparameters and metrics; sort, filter, choose columns, select. */
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { fill, h } from '../lib/dom';
import { prunedRuns } from '../../src/core/dashboard/trial';
import { filterRows, matchesText, runColumns, sortRows, visibleColumns, type Column } from '../lib/table-model';
import { VirtualTable } from '../lib/virtual-table';
import * as ui from '../toolkit';
import type { View, ViewContext } from './types';

/** The runs shown and their columns, recomputed only when the runs or the filters and sort change. */
function memoRows() {
  let key = '';
  let out: { all: Column[]; columns: Column[]; rows: RunInfo[] } = { all: [], columns: [], rows: [] };
  return (ctx: ViewContext) => {
    const { model, state } = ctx;
    const k = JSON.stringify([model.runsVersion, model.sweepsVersion, state.filter, state.columnFilters, state.sort, state.hidden, state.shown]);
    if (k === key) return out;
    key = k;
    const matched = [...model.runs.values()].filter((r) => matchesText(r, state.filter));
    // Hyperparameter columns are those that vary across the runs the text filter shows.
    const all = runColumns(matched, { pruned: prunedRuns(model.sweeps) });
    const columns = visibleColumns(all, state.hidden, state.shown);
    const rows = sortRows(filterRows(matched, all, state.columnFilters), all.find((c) => c.key === state.sort.key), state.sort.desc);
    return (out = { all, columns, rows });
  };
}

/** Shows or hides column `c`: against its default, so a later default (a newly varying parameter) still applies. */
function toggle(ctx: ViewContext, c: Column, on: boolean): void {
  const { hidden, shown } = ctx.state;
  const without = (xs: string[]) => xs.filter((k) => k !== c.key);
  ctx.set(c.shown
    ? { hidden: on ? without(hidden) : [...without(hidden), c.key], shown: without(shown) }
    : { shown: on ? [...without(shown), c.key] : without(shown), hidden: without(hidden) });
}

function columnChooser(ctx: ViewContext, all: Column[]): HTMLElement {
  const groups: [string, (c: Column) => boolean][] = [
    ['Run', (c) => c.group === 'run'],
    ['Parameters tried (vary within an experiment)', (c) => c.group === 'param' && c.shown],
    ['Other settings (differ between experiments)', (c) => c.group === 'param' && !c.shown],
    ['Final metrics', (c) => c.group === 'final'],
    ['Best metrics', (c) => c.group === 'best'],
  ];
  const visible = new Set(visibleColumns(all, ctx.state.hidden, ctx.state.shown).map((c) => c.key));
  return h('div', { class: 'popover', role: 'dialog', 'aria-label': 'choose columns' }, ...groups.flatMap(([title, inGroup]) => {
    const cols = all.filter(inGroup).filter((c) => !c.pinned);
    if (!cols.length) return [];
    return [h('h4', {}, title), ...cols.map((c) => {
      const box = ui.checkbox(c.title && c.title !== c.label && c.group === 'param' ? c.title : c.label, (on) => toggle(ctx, c, on));
      box.set(visible.has(c.key));
      box.el.dataset.key = c.key;
      return box.el;
    })];
  }));
}

export const runsView: View = {
  id: 'runs',
  title: 'Runs',
  mount(root, ctx) {
    const rowsOf = memoRows();
    let anchor: string | undefined;
    let chooserOpen = false;
    const select = (ids: string[]) => ctx.set({ selected: ids });
    const table = new VirtualTable({
      onSort: (key) => ctx.set({ sort: { key, desc: ctx.state.sort.key === key ? !ctx.state.sort.desc : false } }),
      onFilter: (key, value) => ctx.set({ columnFilters: { ...ctx.state.columnFilters, [key]: value } }),
      onRowClick: (id, how) => {
        const sel = new Set(ctx.state.selected);
        const rows = rowsOf(ctx).rows.map((r) => r.id);
        if (how.range && anchor && rows.includes(anchor)) {
          const [a, b] = [rows.indexOf(anchor), rows.indexOf(id)].sort((p, q) => p - q);
          rows.slice(a, b + 1).forEach((r) => sel.add(r));
        } else if (sel.has(id)) sel.delete(id);
        else sel.add(id);
        anchor = id;
        ctx.set({ selected: [...sel], detail: id });
      },
      onRowOpen: (id) => ctx.open('detail', [id]),
      onSelectAll: (on) => {
        const shown = new Set(rowsOf(ctx).rows.map((r) => r.id));
        select(on ? [...new Set([...ctx.state.selected, ...shown])] : ctx.state.selected.filter((id) => !shown.has(id)));
      },
    });
    const filter = ui.textField('Filter runs: name, status, tags, overrides...', (v) => ctx.set({ filter: v }));
    const count = h('span', { class: 'muted count' });
    const chooser = h('div', { class: 'chooser' });
    const columnsButton = ui.button('Columns', () => {
      chooserOpen = !chooserOpen;
      fill(chooser, chooserOpen ? columnChooser(ctx, rowsOf(ctx).all) : undefined);
    }, { title: 'choose which columns to show' });
    const clear = ui.button('Clear selection', () => select([]));
    const curves = ui.button('Curves', () => ctx.open('curves'), { title: 'overlay the selected runs per metric' });
    const compare = ui.button('Compare', () => ctx.open('compare', ctx.state.selected), { primary: true, title: 'compare the selected runs side by side' });
    filter.el.classList.add('grow');
    root.append(h('div', { class: 'toolbar' }, filter.el, count, columnsButton.el, clear.el, curves.el, compare.el), chooser, table.el);
    root.classList.add('fill');

    return {
      update() {
        const { state, model } = ctx;
        const { columns, rows } = rowsOf(ctx);
        filter.set(state.filter);
        const n = state.selected.length;
        count.textContent = `${rows.length.toLocaleString('en')} of ${model.runs.size.toLocaleString('en')} runs${n ? ` · ${n} selected` : ''}`;
        compare.set({ label: n >= 2 ? `Compare ${n}` : 'Compare', disabled: n < 2 });
        curves.set({ disabled: n < 1 });
        clear.set({ disabled: n < 1 });
        table.set({ columns, rows, selected: new Set(state.selected), sort: state.sort, filters: state.columnFilters, focused: state.detail });
      },
    };
  },
};
