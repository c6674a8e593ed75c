import type { WebviewMessage } from '../../src/core/dashboard/protocol';
import type { DataModel } from '../model';
import type { UIState } from '../state';

/** What a view gets: the data, the UI state, and the ways to change the state or reach the host. */
export interface ViewContext {
  readonly model: DataModel;
  readonly state: UIState;
  /** Merges `patch` into the UI state, saves it and schedules a redraw. */
  set(patch: Partial<UIState>): void;
  /** Switches to view `id`; `runIds` become its runs (Compare's set, Detail's run), `sweepId` the Sweep view's sweep. */
  open(id: string, runIds?: string[], sweepId?: string): void;
  post(msg: WebviewMessage): void;
}

export interface ViewInstance {
  /** Brings the DOM in line with `ctx.model` and `ctx.state`; called at most 10 times a second. */
  update(): void;
}

/**
 * One tab of the dashboard. A new view is a file in this folder exporting a `View`, plus one line in
 * `index.ts`; its own state goes in `state.views[id]`.
 */
export interface View {
  id: string;
  title: string;
  /** The runs whose metric series this view draws in state `s` (the host streams only those). */
  watch?(s: UIState): string[];
  /** What `ctx.open(id, runIds, sweepId)` sets for this view. */
  opened?(what: { runIds?: string[]; sweepId?: string }, state: UIState): Partial<UIState>;
  mount(root: HTMLElement, ctx: ViewContext): ViewInstance;
}
