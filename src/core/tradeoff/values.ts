/**
 * Which number a run has for each metric, as the trade-off view, `hone report` and their tests read it.
 * A run's own final metrics first. An evaluation run (`hone attack`, kind `evaluate`) measured the model of
 * the run it was made from without changing it: that model's accuracy and size are its own too, so it
 * takes the metrics it lacks from its parent (and on up while the parent is itself an evaluation). A sweep
 * trial's objective values, as the sweep recorded them, override its run's. Only finite numbers count:
 * a metric a run lacks is missing, never 0.
 */
import type { RunKind } from '../store/types';

/** The part of a run (the dashboard's RunInfo) the trade-off logic reads. */
export interface TradeoffRun {
  id: string;
  kind: RunKind;
  final: Record<string, number>;
  parent?: string;
}

/** One run's values, and for each value taken from another run, that run's id. */
export interface RunValues {
  id: string;
  values: Record<string, number>;
  from: Record<string, string>;
}

const finite = (m: Record<string, number>) => Object.entries(m).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));

export function runValues(run: TradeoffRun, byId: ReadonlyMap<string, TradeoffRun>): RunValues {
  const out: RunValues = { id: run.id, values: Object.fromEntries(finite(run.final)), from: {} };
  const seen = new Set([run.id]);
  for (let r = run; r.kind === 'evaluate' && r.parent && !seen.has(r.parent);) {
    const p = byId.get(r.parent);
    if (!p) break;
    seen.add(p.id);
    for (const [k, v] of finite(p.final)) {
      if (k in out.values) continue;
      out.values[k] = v;
      out.from[k] = p.id;
    }
    r = p;
  }
  return out;
}

/** A sweep's trial as the trade-off view reads it (core/sweep/view's SweepTrialView). */
export interface TradeoffTrial {
  number: number;
  state: string;
  runId?: string;
  values?: number[];
}

/**
 * The completed trials of a sweep with a run in `byId`: the run's values with the trial's objective values
 * over them. `left` says why the other trials are not there, a trial whose run was deleted included: the
 * sweep's own front may rank it, so leaving it out unsaid would make the two fronts disagree silently.
 * A trial that never had a run (queued, or failed before its run began) is not a run and is not counted.
 */
export function trialValues(
  objectives: readonly { metric: string }[], trials: readonly TradeoffTrial[], byId: ReadonlyMap<string, TradeoffRun>,
): { points: RunValues[]; left: { id: string; reason: string }[] } {
  const points: RunValues[] = [];
  const left: { id: string; reason: string }[] = [];
  for (const t of trials) {
    if (!t.runId) continue;
    const run = byId.get(t.runId);
    if (!run) {
      left.push({ id: t.runId, reason: `trial ${t.number}${t.state === 'completed' ? '' : ` (${t.state})`}: its run was deleted` });
      continue;
    }
    if (t.state !== 'completed') {
      left.push({ id: run.id, reason: `trial ${t.number} ${t.state}` });
      continue;
    }
    const v = runValues(run, byId);
    objectives.forEach((o, j) => {
      const x = t.values?.[j];
      if (x === undefined || !Number.isFinite(x)) return;
      v.values[o.metric] = x;
      delete v.from[o.metric];
    });
    points.push(v);
  }
  return { points, left };
}

/** Every metric some of `points` have, with how many have it, most common first (then by name). */
export function metricCounts(points: readonly RunValues[]): { metric: string; count: number }[] {
  const n = new Map<string, number>();
  for (const p of points) for (const k of Object.keys(p.values)) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n].map(([metric, count]) => ({ metric, count })).sort((a, b) => b.count - a.count || (a.metric < b.metric ? -1 : 1));
}
