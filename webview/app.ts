/**
 * The dashboard shell: tabs from the view registry, one section per view (mounted when first shown), the
 * UI state (saved through the host on every change), and the render loop: host messages and user actions
 * schedule a redraw of the active view, at most 10 times a second. After each redraw has painted, a
 * `hone:painted` event says which view it was, whether all the series it needs had arrived, how many
 * watched runs still wait for theirs, and when (performance.now()) the redraw started.
 */
import { MAX_WATCHED } from '../src/core/dashboard/protocol';
import type { Host } from './host';
import { h } from './lib/dom';
import { afterPaint, throttle } from './lib/schedule';
import { applyMessage, DataModel } from './model';
import { assignColors } from './lib/colors';
import { restoreState, type UIState } from './state';
import { VIEWS } from './views';
import type { ViewContext, ViewInstance } from './views/types';

export function startApp(root: HTMLElement, host: Host): void {
  const model = new DataModel();
  let state = restoreState(host.getState());
  if (!VIEWS.some((v) => v.id === state.view)) state.view = VIEWS[0].id;
  const save = (next: UIState) => {
    state = next;
    host.setState(state);
  };

  const ctx: ViewContext = {
    model,
    get state() {
      return state;
    },
    set(patch) {
      save({ ...state, ...patch });
      schedule();
    },
    open(id, runIds, sweepId) {
      const view = VIEWS.find((v) => v.id === id);
      if (view) ctx.set({ view: id, ...((runIds || sweepId) && view.opened ? view.opened({ runIds, sweepId }, state) : {}) });
    },
    post: (msg) => host.post(msg),
  };

  const tabs = h('nav', { class: 'tabs', role: 'tablist' }, ...VIEWS.map((v) =>
    h('button', { class: 'tab', role: 'tab', 'data-view': v.id, onclick: () => ctx.open(v.id) }, v.title)));
  const storeLabel = h('span', { class: 'muted store' });
  const main = h('main', {});
  const loading = h('p', { class: 'muted empty' }, 'Loading runs...');
  const problem = h('p', { class: 'problem', role: 'alert', hidden: true });
  root.append(h('header', { class: 'bar' }, h('strong', { class: 'brand' }, 'Hone'), tabs, storeLabel), problem, loading, main);
  const mounted = new Map<string, { el: HTMLElement; view: ViewInstance }>();

  let watchKey = '';
  let watched: string[] = [];
  /**
   * Asks the host for the series of the runs the views draw (active view first), and gives them colours.
   * Every view's runs are watched, not only the active one's: runs ticked in the table stream in before
   * Curves or Compare is opened. Returns the runs the active view draws.
   */
  function syncWatch(): string[] {
    const active = VIEWS.find((v) => v.id === state.view)!;
    const ids = [...new Set([active, ...VIEWS].flatMap((v) => v.watch?.(state) ?? []))].filter((id) => model.runs.has(id)).slice(0, MAX_WATCHED);
    const key = [...ids].sort().join(',');
    watched = ids;
    if (key !== watchKey) {
      watchKey = key;
      for (const id of model.series.keys()) if (!ids.includes(id)) model.series.delete(id);
      host.post({ type: 'watch', runIds: ids });
    }
    const colors = assignColors(state.colors, ids);
    if (colors !== state.colors) save({ ...state, colors });
    return active.watch?.(state) ?? [];
  }

  /** Redraws the active view; `at` is when the throttle started this redraw. */
  function render(at: number): void {
    problem.hidden = !model.error;
    problem.textContent = model.error ?? '';
    loading.hidden = !!model.error;
    if (!model.loaded) return;
    // Runs deleted since they were selected leave the selection (saved across reloads): else the count,
    // Compare and Curves would name runs that are gone.
    const live = state.selected.filter((id) => model.runs.has(id));
    if (live.length !== state.selected.length) save({ ...state, selected: live });
    loading.remove();
    storeLabel.textContent = model.store;
    const needed = syncWatch();
    for (const t of Array.from(tabs.children)) {
      const on = (t as HTMLElement).dataset.view === state.view;
      t.classList.toggle('active', on);
      t.setAttribute('aria-selected', String(on));
    }
    let m = mounted.get(state.view);
    if (!m) {
      const el = h('section', { class: 'view', 'data-view': state.view, role: 'tabpanel' });
      main.append(el);
      m = { el, view: VIEWS.find((v) => v.id === state.view)!.mount(el, ctx) };
      mounted.set(state.view, m);
    }
    for (const [id, other] of mounted) other.el.hidden = id !== state.view;
    m.view.update();
    const view = state.view;
    const complete = needed.every((id) => model.series.has(id) || !model.runs.has(id));
    const pending = watched.filter((id) => !model.series.has(id)).length;
    void afterPaint().then(() => {
      performance.mark(`hone:painted:${view}`);
      document.dispatchEvent(new CustomEvent('hone:painted', { detail: { view, complete, pending, at } }));
    });
  }
  const schedule = throttle(render, 100);

  host.listen((msg) => {
    const open = applyMessage(model, msg);
    if (open) ctx.open(open.view, open.runIds, open.sweepId);
    schedule();
  });
  host.post({ type: 'ready' });
}
