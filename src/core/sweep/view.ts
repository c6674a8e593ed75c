/**
 * The sweep view model: everything the CLI's `hone sweep show`, the dashboard's sweep view (parallel
 * coordinates, best-so-far, importance bars, Pareto scatter) and the Runs tree show of a sweep.
 * `sweepViewOf` is pure; `loadSweepView` and `listSweepViews` read the store.
 */
import type { SamplerSpec, StopperSpec, SweepObjective, SweepParameter } from '../spec/sweep-types';
import { coordinatorOf } from './coordinator-lock';
import { listSweeps, resolveSweep, type SweepRecord, type SweepStatus, type TrialRecord } from './record';
import { createSpace, type Dim } from './space';
import { sweepResults, type HistoryPoint, type SweepResults } from './results';
import { stepUnit } from '../dashboard/federated';

/** A trial's state as shown: `interrupted` is a trial left running by a sweep no process coordinates (it re-runs on resume). */
export type TrialViewState = TrialRecord['state'] | 'interrupted';

export interface SweepTrialView extends Omit<TrialRecord, 'state' | 'intermediate' | 'planned'> {
  state: TrialViewState;
  /** Epochs its run plans (the sweep's `epochs` for a trial recorded without it): what `epochs` counts towards. */
  planned: number;
  /** Final objective values by metric name (completed trials). */
  objectives: Record<string, number>;
  /** Objective values per epoch, in epoch order. */
  curve: { epoch: number; values: number[] }[];
  best: boolean;
  pareto: boolean;
}

export interface SweepView extends Omit<SweepResults, 'history'> {
  id: string;
  name: string;
  /** `interrupted`: the record says running but no process coordinates it (killed): resume it. */
  status: SweepStatus | 'interrupted';
  live: boolean;
  specPath?: string;
  /** The queue its trials train on (password redacted), when they do. */
  queue?: string;
  created: string;
  finished?: string;
  message?: string;
  sampler: SamplerSpec;
  stopper: StopperSpec;
  objectives: SweepObjective[];
  /** The axes of the search space, in space order (a condition's parameter first). */
  parameters: (SweepParameter & { path: string })[];
  /**
   * `epochsPerTrial` counts `unit`s: a federated sweep's trials train rounds. It is the steps the stopper
   * judges; a trial with a compress section plans more (its `planned`).
   */
  budget: { trials?: number; timeLimit?: number; elapsedMs: number; epochsPerTrial: number; unit: 'epoch' | 'round' };
  counts: Record<TrialViewState, number>;
  trials: SweepTrialView[];
  history: HistoryPoint[];
}

/** What a trial's step is: a round when the swept spec is federated (its `raw` has a `federated` section). */
export const sweepStepUnit = (rec: SweepRecord): 'epoch' | 'round' =>
  stepUnit(typeof rec.raw === 'object' && rec.raw !== null && 'federated' in rec.raw ? 'federated' : 'train');

export function sweepViewOf(rec: SweepRecord, live: boolean): SweepView {
  const space = createSpace(rec.sweep.parameters);
  const results = sweepResults(space, rec.sweep.objectives, rec.trials, rec.sweep.seed);
  const counts: Record<TrialViewState, number> = { running: 0, completed: 0, pruned: 0, failed: 0, interrupted: 0 };
  const trials = rec.trials.map((t): SweepTrialView => {
    const { intermediate, values, ...rest } = t;
    const state: TrialViewState = t.state === 'running' && !live ? 'interrupted' : t.state;
    counts[state]++;
    return {
      ...rest,
      values,
      state,
      planned: t.planned ?? rec.epochs,
      objectives: Object.fromEntries(values ? rec.sweep.objectives.map((o, j) => [o.metric, values[j]]) : []),
      curve: Object.entries(intermediate).map(([e, v]) => ({ epoch: Number(e), values: v })).sort((a, b) => a.epoch - b.epoch),
      best: results.best === t.number,
      pareto: results.pareto.includes(t.number),
    };
  });
  return {
    id: rec.id,
    name: rec.name,
    status: rec.status === 'running' && !live ? 'interrupted' : rec.status,
    live,
    specPath: rec.specPath,
    ...(rec.queue && { queue: rec.queue }),
    created: rec.created,
    finished: rec.finished,
    message: rec.message,
    sampler: rec.sweep.sampler,
    stopper: rec.sweep.stopper,
    objectives: rec.sweep.objectives,
    parameters: space.dims.map((d: Dim) => ({ ...d })),
    budget: { trials: rec.sweep.trials, timeLimit: rec.sweep.timeLimit, elapsedMs: rec.elapsedMs, epochsPerTrial: rec.epochs, unit: sweepStepUnit(rec) },
    counts,
    trials,
    ...results,
  };
}

/** The view of one sweep (by id, id prefix or name). */
export function loadSweepView(storeDir: string, ref: string): SweepView {
  const { record, dir } = resolveSweep(storeDir, ref);
  return sweepViewOf(record, coordinatorOf(dir) !== undefined);
}

/** Every sweep of the store, oldest first. */
export function listSweepViews(storeDir: string): SweepView[] {
  return listSweeps(storeDir).map(({ record, dir }) => sweepViewOf(record, coordinatorOf(dir) !== undefined));
}
