/** How a trial ended, decided from its run's final record alone. Pure. */
import type { RunRecord } from '../store/types';
import type { TrialRecord } from './record';

export type Outcome =
  | { state: 'completed'; values: number[]; epochs: number }
  | { state: 'pruned'; epochs: number }
  /** `diverged`: its run diverged, or ended with an objective that is not a finite number. */
  | { state: 'failed'; message: string; epochs: number; diverged?: true }
  /** Cut short by a stopping sweep (or a killed one): the trial stays `running` and re-runs on resume. */
  | { state: 'interrupted' };

/**
 * A run that completed with every objective metric is a completed trial, even if a stopper had just
 * decided against it (its stop arrived too late); otherwise a stopper's decision makes it pruned; a run
 * stopped or killed while the sweep stops is interrupted; anything else failed, with the reason. A
 * completed run whose objective is NaN or infinite (its model blew up in its last steps) diverged as
 * surely as one the training loop caught: both fail `diverged`, a result about its parameters.
 */
export function outcomeOf(t: TrialRecord, run: RunRecord | undefined, metrics: string[], stopping: boolean): Outcome {
  const values = metrics.map((m) => run?.final?.[m] ?? NaN);
  if (run?.status === 'completed' && values.every(Number.isFinite)) return { state: 'completed', values, epochs: run.epochsDone };
  if (t.pruned) return { state: 'pruned', epochs: t.pruned.epoch };
  if (stopping && run && (run.status === 'stopped' || run.status === 'crashed')) return { state: 'interrupted' };
  const epochs = run?.epochsDone ?? t.epochs;
  if (!run) return { state: 'failed', message: 'its run folder disappeared', epochs };
  if (run.status !== 'completed') {
    return { state: 'failed', message: `run ${run.status}${run.message ? `: ${run.message}` : ''}`, epochs, ...(run.status === 'diverged' && { diverged: true as const }) };
  }
  const missing = metrics.filter((m) => run.final?.[m] === undefined);
  if (missing.length) return { state: 'failed', message: `no final ${missing.join('/')} in the run's metrics`, epochs };
  const bad = metrics.map((m) => `${m} ${run.final![m]}`).filter((_, j) => !Number.isFinite(values[j]));
  return { state: 'failed', message: `run diverged: it completed with final ${bad.join(', ')}, not ${bad.length > 1 ? 'finite numbers' : 'a finite number'}`, epochs, diverged: true };
}
