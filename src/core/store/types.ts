import type { BackendName, Spec } from '../spec/types';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'stopped' | 'crashed' | 'diverged';

export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'crashed', 'diverged'];

/** Which backend a run used, and why each one before it in the preference order was skipped. */
export interface BackendReport {
  name: BackendName;
  reason: string;
  skipped: Partial<Record<BackendName, string>>;
}

/** `run.json`: everything known about one run. Written by the run's own worker process while it lives. */
export interface RunRecord {
  id: string;
  name: string;
  /** Experiment = the spec's name; runs of one spec group under it. */
  experiment: string;
  specPath?: string;
  /** The spec snapshot after defaults and overrides. */
  spec: Spec;
  overrides: string[];
  seed: number;
  status: RunStatus;
  created: string;
  started?: string;
  finished?: string;
  /** ISO time of the worker's last sign of life; a running run with a stale heartbeat is crashed. */
  heartbeat?: string;
  pid?: number;
  host: string;
  backend?: BackendReport;
  versions: Record<string, string>;
  timings?: { loadMs: number; trainMs: number; totalMs: number };
  epochsDone: number;
  epochsPlanned: number;
  /** The last completed epoch's metrics, refreshed while the run trains (for live views). */
  latest?: Record<string, number>;
  /** Metrics of the model as saved (the best epoch's when early stopping restored it). */
  final?: Record<string, number>;
  /** Best value seen for each metric over the epochs (min for losses, max for accuracies). */
  best?: Record<string, number>;
  bestEpoch?: number;
  /** Why the run ended the way it did: early stopping, a signal, an error message. */
  message?: string;
  model?: { params: number; layers: string[] };
  /** Set when the run is a trial of a sweep (`.hone/sweeps/<id>/sweep.json` holds its params and fate). */
  sweep?: { id: string; trial: number };
}

/** One line of `metrics.jsonl`: the metrics at the end of an epoch. */
export interface MetricLine {
  epoch: number;
  step: number;
  /** Seconds since training started. */
  time: number;
  lr: number;
  metrics: Record<string, number>;
  /** `tf.memory().numTensors` at the start of this epoch: flat across epochs when nothing leaks. */
  tensors: number;
}

/** The index's summary of a run: enough for lists and tables without opening run folders. */
export interface RunSummary {
  id: string;
  name: string;
  experiment: string;
  specPath?: string;
  status: RunStatus;
  created: string;
  finished?: string;
  backend?: BackendName;
  epochsDone: number;
  epochsPlanned: number;
  final?: Record<string, number>;
  sweep?: RunRecord['sweep'];
  /** mtime (ms) of run.json when this summary was taken: the index refreshes entries whose file changed. */
  mtimeMs: number;
}
