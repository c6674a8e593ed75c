/** How a trial ended, decided from its run's final record alone. Pure. */
import type { RunRecord } from '../store/types';
import type { TrialRecord } from './record';

export type Outcome =
  | { state: 'completed'; values: number[]; epochs: number }
  | { state: 'pruned'; epochs: number }
  | { state: 'failed'; message: string; epochs: number }
  /** Cut short by a stopping sweep (or a killed one): the trial stays `running` and re-runs on resume. */
  | { state: 'interrupted' };

/**
 * A run that completed with every objective metric is a completed trial, even if a stopper had just
 * decided against it (its stop arrived too late); otherwise a stopper's decision makes it pruned; a run
 * stopped or killed while the sweep stops is interrupted; anything else failed, with the reason.
 */
export function outcomeOf(t: TrialRecord, run: RunRecord | undefined, metrics: string[], stopping: boolean): Outcome {
  const values = metrics.map((m) => run?.final?.[m] ?? NaN);
  if (run?.status === 'completed' && values.every(Number.isFinite)) return { state: 'completed', values, epochs: run.epochsDone };
  if (t.pruned) return { state: 'pruned', epochs: t.pruned.epoch };
  if (stopping && run && (run.status === 'stopped' || run.status === 'crashed')) return { state: 'interrupted' };
  const message = !run ? 'its run folder disappeared'
    : run.status === 'completed' ? `no final ${metrics.join('/')} in the run's metrics`
    : `run ${run.status}${run.message ? `: ${run.message}` : ''}`;
  return { state: 'failed', message, epochs: run?.epochsDone ?? t.epochs };
}
