/**
 * One story per sweep trial, whichever view tells it. The sweep record and the trial's run each know part
 * of it: the sweep knows the trial was pruned (its run only that it was `stopped`), the run knows how many
 * epochs it trained and its metrics when it ended (a pruned run finishes the epoch it was in, past the
 * rung where the stopper judged it). The Runs tree, the runs table and the sweep view all show these
 * facts. Pure: the webview imports it.
 */
import type { RunStatus } from '../store/types';
import type { SweepTrialView, SweepView, TrialViewState } from '../sweep/view';

/** What a view needs of the trial's run (a RunInfo or a RunRecord). */
export interface TrialRunFacts {
  status: RunStatus;
  epochsDone: number;
  epochsPlanned?: number;
  final?: Record<string, number>;
  latest?: Record<string, number>;
}

export interface TrialFacts {
  /** The sweep's word for it: `pruned`, not the run's `stopped`. */
  state: TrialViewState;
  /** Epochs its run trained (what its curves show); the sweep's count when the run is gone. */
  epochs: number;
  /** Epochs its run plans, compress stages' included: as its run says, else as the sweep recorded. */
  planned: number;
  /** Each objective's value: a completed trial's result, else its run's last values (where it was stopped). */
  values: Record<string, number>;
}

export function trialFacts(v: Pick<SweepView, 'objectives'>, t: SweepTrialView, run?: TrialRunFacts): TrialFacts {
  const metrics = run?.final ?? run?.latest ?? {};
  const last = t.curve[t.curve.length - 1]?.values;
  const values: Record<string, number> = {};
  v.objectives.forEach((o, j) => {
    const x = t.state === 'completed' ? t.objectives[o.metric] ?? metrics[o.metric] : metrics[o.metric] ?? last?.[j];
    if (x !== undefined && Number.isFinite(x)) values[o.metric] = x;
  });
  return { state: t.state, epochs: run ? run.epochsDone : t.epochs, planned: run?.epochsPlanned ?? t.planned, values };
}

/** Status shown for a run: `pruned` for a trial run a sweep pruned, the run's own status otherwise. */
export type ShownStatus = RunStatus | 'pruned';

/** Run id -> `pruned`, for every run of `sweeps` whose trial was pruned. */
export function prunedRuns(sweeps: readonly SweepView[]): Set<string> {
  return new Set(sweeps.flatMap((v) => v.trials.filter((t) => t.state === 'pruned' && t.runId).map((t) => t.runId!)));
}

export const shownStatus = (run: { id: string; status: RunStatus }, pruned: Set<string>): ShownStatus =>
  pruned.has(run.id) && run.status !== 'running' && run.status !== 'queued' ? 'pruned' : run.status;
