/**
 * Which runs a trade-off plot shows: the runs asked for (ids), a sweep's completed trials (with the
 * directions the sweep declared for its objectives), or every run of the store.
 */
import type { Better } from '../metrics/registry';
import { runValues, trialValues, type RunValues, type TradeoffRun, type TradeoffTrial } from './values';

export interface TradeoffSweep {
  id: string;
  name: string;
  objectives: { metric: string; direction: 'minimize' | 'maximize' }[];
  trials: TradeoffTrial[];
}

export interface Scope {
  runIds?: string[];
  sweepId?: string;
}

export interface ScopedPoints {
  /** What the plot shows, in words ("sweep digits-3obj", "4 runs", "all runs"). */
  title: string;
  points: RunValues[];
  /** Runs in scope that cannot be points (a pruned trial), with why. */
  left: { id: string; reason: string }[];
  /** Directions a sweep declared, by metric. */
  declared: Record<string, Better>;
  /** The sweep's objectives, in its order (empty outside a sweep). */
  sweepObjectives: string[];
}

export function scopePoints(runs: readonly TradeoffRun[], sweeps: readonly TradeoffSweep[], scope: Scope): ScopedPoints {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const sweep = scope.sweepId ? sweeps.find((s) => s.id === scope.sweepId) : undefined;
  if (sweep) {
    const { points, left } = trialValues(sweep.objectives, sweep.trials, byId);
    const declared = Object.fromEntries(sweep.objectives.map((o) => [o.metric, o.direction === 'maximize' ? 'max' : 'min'])) as Record<string, Better>;
    return { title: `sweep ${sweep.name}`, points, left, declared, sweepObjectives: sweep.objectives.map((o) => o.metric) };
  }
  const chosen = scope.runIds ? scope.runIds.flatMap((id) => byId.get(id) ?? []) : runs;
  return {
    title: scope.runIds ? `${chosen.length} run${chosen.length === 1 ? '' : 's'}` : 'all runs',
    points: chosen.map((r) => runValues(r, byId)),
    left: [],
    declared: {},
    sweepObjectives: [],
  };
}
