import { syncIndex } from '../store';
import { MAX_POINTS } from './downsample';
import { DashboardFeed } from './feed';
import type { Snapshot } from './html';
import type { SeriesMessage } from './protocol';

export interface SnapshotOptions {
  /** Points per series at most (default 1,500). */
  maxPoints?: number;
  /**
   * Points in all series together at most (default 2,000,000): a store of thousands of long runs is drawn
   * with fewer points per series, so the page stays small. Never below 100 per series.
   */
  pointBudget?: number;
  /** Significant digits kept of values and times (default 6: charts show 4; the rest only bloats the page). */
  digits?: number;
  /** Bytes of each run's log tail (default 4 KiB). */
  logBytes?: number;
  /** Only these runs (default: every run); sweeps are kept when one of their trials' runs is. */
  only?: ReadonlySet<string>;
}

/** Points per series for a page of `series` series: the budget shared out, within [100, maxPoints]. */
export function pointsPerSeries(series: number, opts: SnapshotOptions = {}): number {
  return Math.max(100, Math.min(opts.maxPoints ?? MAX_POINTS, Math.floor((opts.pointBudget ?? 2_000_000) / Math.max(1, series))));
}

const rounder = (digits: number) => (v: number | null) => (v === null ? null : Number(v.toPrecision(digits)));

function rounded(s: SeriesMessage, digits: number): SeriesMessage {
  const r = rounder(digits);
  const metrics = Object.fromEntries(Object.entries(s.metrics).map(([k, p]) => [k, { ...p, time: p.time.map((t) => r(t)!), y: p.y.map(r), ...(p.mean && { mean: p.mean.map(r) }) }]));
  return { ...s, metrics };
}

/**
 * Everything a standalone dashboard shows, read through the same `DashboardFeed` the extension uses:
 * the `init` message, then each run watched once for its series and asked for its detail.
 */
export async function dashboardSnapshot(storeDir: string, opts: SnapshotOptions = {}): Promise<Snapshot> {
  // Series per run: its epoch metrics (test metrics are computed once, not per epoch) plus the learning rate.
  const series = (await syncIndex(storeDir)).filter((s) => !opts.only || opts.only.has(s.id)).reduce((n, s) => n + 1 + Object.keys(s.final ?? {}).filter((m) => !m.startsWith('test_')).length, 0);
  const feed = new DashboardFeed(storeDir, { maxPoints: pointsPerSeries(series, opts), logBytes: opts.logBytes ?? 4096 });
  const all = await feed.init();
  const only = opts.only;
  const init = only ? { ...all, runs: all.runs.filter((r) => only.has(r.id)), sweeps: all.sweeps?.filter((s) => s.trials.some((t) => t.runId && only.has(t.runId))) } : all;
  const runs: Snapshot['runs'] = [];
  for (const run of init.runs) {
    const [s] = feed.watch([run.id]);
    const detail = (await feed.receive({ type: 'detail', runId: run.id })).messages[0];
    runs.push({ series: rounded(s, opts.digits ?? 6), detail: detail?.type === 'detail' ? detail : undefined });
  }
  return { init: { ...init, standalone: true }, runs };
}
