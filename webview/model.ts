/**
 * The store as the webview knows it: runs, the series of watched runs, details. It changes only by
 * applying host messages (`applyMessage`); each part carries a version so views redraw only what changed.
 */
import { applyPatch } from '../src/core/dashboard/downsample';
import type { HostMessage, RunDetail, RunInfo, SeriesPoints } from '../src/core/dashboard/protocol';
import type { SweepView } from '../src/core/sweep/view';

export interface RunSeries {
  lines: number;
  metrics: Map<string, SeriesPoints>;
  /**
   * Changed by every patch, to a number no series of this model had before: views cache points by it, and
   * a run's series dropped when it is no longer watched and sent again later must not match their old entry.
   */
  version: number;
}

export class DataModel {
  store = '';
  standalone = false;
  loaded = false;
  runs = new Map<string, RunInfo>();
  /** Bumped whenever a run is added, changed or removed. */
  runsVersion = 0;
  series = new Map<string, RunSeries>();
  /** The last series version given out (`RunSeries.version`). */
  seriesVersion = 0;
  details = new Map<string, RunDetail>();
  sweeps: SweepView[] = [];
  /** Bumped whenever the sweeps arrive again. */
  sweepsVersion = 0;
  /** Why the host cannot read the store just now; the page shows it until the host reads it again. */
  error?: string;

  /** The runs among `ids` that exist, in the order given. */
  pick(ids: string[]): RunInfo[] {
    return ids.flatMap((id) => this.runs.get(id) ?? []);
  }
}

/** Applies one host message; returns the view to open when the host asks for one. */
export function applyMessage(m: DataModel, msg: HostMessage): { view: string; runIds?: string[]; sweepId?: string } | undefined {
  switch (msg.type) {
    case 'init':
      m.store = msg.store;
      m.standalone = !!msg.standalone;
      m.loaded = true;
      m.error = undefined;
      m.runs = new Map(msg.runs.map((r) => [r.id, r]));
      m.series.clear();
      m.details.clear();
      m.runsVersion++;
      m.sweeps = msg.sweeps ?? [];
      m.sweepsVersion++;
      return undefined;
    case 'runs':
      for (const r of msg.upsert) m.runs.set(r.id, r);
      for (const id of msg.removed) {
        m.runs.delete(id);
        m.series.delete(id);
        m.details.delete(id);
      }
      m.runsVersion++;
      return undefined;
    case 'series': {
      let s = m.series.get(msg.runId);
      if (!s) m.series.set(msg.runId, (s = { lines: 0, metrics: new Map(), version: 0 }));
      for (const [name, patch] of Object.entries(msg.metrics)) {
        let points = s.metrics.get(name);
        if (!points) s.metrics.set(name, (points = { step: [], epoch: [], time: [], y: [] }));
        applyPatch(points, patch);
      }
      s.lines = msg.lines;
      s.version = ++m.seriesVersion;
      return undefined;
    }
    case 'sweeps':
      m.sweeps = msg.sweeps;
      m.sweepsVersion++;
      return undefined;
    case 'detail':
      m.details.set(msg.runId, msg.detail);
      return undefined;
    case 'open':
      return { view: msg.view, runIds: msg.runIds, sweepId: msg.sweepId };
    case 'error':
      m.error = msg.message;
      return undefined;
  }
}
