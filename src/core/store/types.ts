import type { BackendName, Spec } from '../spec/types';
import type { RobustnessRecord } from '../robust/report';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'stopped' | 'crashed' | 'diverged';

export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'crashed', 'diverged'];

/** Which backend a run used, and why each one before it in the preference order was skipped. */
export interface BackendReport {
  name: BackendName;
  reason: string;
  skipped: Partial<Record<BackendName, string>>;
  /** Threads the run's wasm backend used, and why that many (engine/threads/count.ts). */
  threads?: number;
  threadsWhy?: string;
}

/**
 * What made a run: Hone's own training (`train`), any command tracked with `hone exec` (`exec`),
 * history brought in from another tracker (`import`), the compression of another run's model
 * (`compress`, made by `hone compress`; its `parent` is that run), a robustness evaluation of another
 * run's saved model (`evaluate`: `hone attack`, core/robust), or simulated federated learning (`federated`:
 * a spec with a `federated` section; one metrics line per round, `partition.json` beside run.json).
 * Records written before kinds existed are `train`.
 */
export type RunKind = 'train' | 'exec' | 'import' | 'compress' | 'evaluate' | 'federated';

/**
 * The "spec" of a run Hone did not train itself: the command and its parameters (`exec`), or where the
 * history came from (`import`). Compared and flattened like a training spec.
 */
export interface ExternalSpec {
  name: string;
  /** The parameters the run reported (`hone.init(params)`, TensorBoard hparams). */
  params: Record<string, unknown>;
  /** `exec`: the command line as given (argv), and the folder it ran in. */
  command?: string[];
  cwd?: string;
  /** `import`: the format and the file or folder read. */
  source?: { format: 'tensorboard'; path: string };
}

/** `run.json`: everything known about one run. Written by the run's own worker process while it lives. */
export interface RunRecord {
  id: string;
  /** Absent in records older than kinds: `train`. */
  kind?: RunKind;
  name: string;
  /** Experiment = the spec's name; runs of one spec group under it. */
  experiment: string;
  specPath?: string;
  /** The spec snapshot after defaults and overrides (`train`), or the command/source (`exec`, `import`). */
  spec: Spec | ExternalSpec;
  overrides: string[];
  seed: number;
  status: RunStatus;
  created: string;
  started?: string;
  finished?: string;
  /** ISO time of the worker's last sign of life; a running run with a stale heartbeat is crashed. */
  heartbeat?: string;
  /** The process that writes this record: the worker while running, the coordinator while queued. */
  pid?: number;
  /** That process's start time (see store/process.ts): with the host, tells it from a later one with its pid. */
  pidStart?: string;
  host: string;
  backend?: BackendReport;
  versions: Record<string, string>;
  /** Loading (this session), training and in all; a resumed run's include its earlier sessions' training up to the checkpoint. */
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
  /**
   * Set when a reader marked this run crashed while its worker was only paused (on another machine, past
   * the heartbeat limit) and the worker then went on: its status is its own again, and this says so.
   */
  revived?: { markedCrashed: string; reason: string; resumed: string };
  /** The run this one was made from (a compressed, evaluated or resumed model's source): lineage. */
  parent?: string;
  /** Set when this run's parent was deleted and this run kept: who the parent was. */
  parentRemoved?: { id: string; name: string; removed: string };
  /**
   * For a compress run of a model federated learning trained (its parent's, or its parent's origin): that
   * federated run, recorded when the run was created, so the refusal to retrain the model centrally does
   * not depend on the runs between them still being in the store (core/compress/request-checks.ts).
   */
  federatedOrigin?: FederatedOrigin;
  /** Where the result came from: command line, code version, machine, data (see core/provenance.ts). */
  provenance?: Provenance;
  /** The user's annotations, kept in meta.json beside run.json (see store/annotations.ts) and merged on read. */
  tags?: string[];
  note?: string;
  starred?: boolean;
  /** Set when the run is a trial of a sweep (`.hone/sweeps/<id>/sweep.json` holds its params and fate). */
  sweep?: { id: string; trial: number };
  /**
   * `hone resume` history, oldest first. A worker that finds entries here continues from the run's last
   * checkpoint (which must be of the latest entry's `fromEpoch`) instead of starting afresh.
   */
  resumed?: ResumeEntry[];
  /** Robust accuracy under attacks, adversarial training's report, red flags (core/robust/report.ts). */
  robustness?: RobustnessRecord;
  /**
   * Set when the run trains on a queue agent (core/queue): the queue (password redacted) and, once an agent
   * took it, which one (its `attempt` changes when a stalled job re-runs on another agent).
   */
  remote?: { queue: string; agent?: { name: string; host: string; attempt: string } };
}

/** The federated run a model comes from, and the epsilon of its privacy guarantee, if it had one. */
export interface FederatedOrigin {
  id: string;
  epsilon?: number;
}

/** One `hone resume` of a run: when, from the checkpoint of which epoch, and the status it had. */
export interface ResumeEntry {
  at: string;
  fromEpoch: number;
  was: RunStatus;
  /** Seconds trained up to `fromEpoch` (its metric line's `time`, which the worker's time goes on from); absent when it has no line. */
  time?: number;
  /** When its worker started, after any wait in the queue (absent until it did, and in records of a Hone from before it was kept). */
  started?: string;
}

/** Where a run's result came from, recorded when it is created (and `data` by the worker that loaded it). */
export interface Provenance {
  /** The exact command line that made the run (argv), or what the editor did (`VS Code: Hone: Run Experiment`). */
  command: string[];
  cwd: string;
  /** The git state of the spec's folder; absent outside a git work tree or without git. */
  git?: {
    commit: string;
    branch?: string;
    dirty: boolean;
    /** With a dirty tree: `git diff HEAD` saved beside run.json, and the untracked files (names only). */
    diffFile?: string;
    untracked?: string[];
  };
  machine: { host: string; os: string; cpu: string; cores: number; memoryMB: number; gpus?: string[] };
  /** A content hash of the data the run trained on, and of each data file read. */
  data?: { sha256: string; files?: { path: string; bytes: number; sha256: string }[] };
}

/** One line of `metrics.jsonl`: the metrics at the end of an epoch. */
export interface MetricLine {
  epoch: number;
  step: number;
  /** Seconds since training started. */
  time: number;
  /** The learning rate; NaN when none is known (an exec or imported run that reports none). */
  lr: number;
  metrics: Record<string, number>;
  /** `tf.memory().numTensors` at the start of this epoch: flat across epochs when nothing leaks. */
  tensors: number;
  /** The compression stage this epoch retrains in (prune, structured, share, quantize); absent for training epochs. */
  stage?: string;
}

/** The index's summary of a run: enough for lists and tables without opening run folders. */
export interface RunSummary {
  id: string;
  kind?: RunKind;
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
  parent?: string;
  tags?: string[];
  starred?: boolean;
  /** mtime (ms) of run.json or meta.json, the later, when this summary was taken: the index refreshes entries whose files changed. */
  mtimeMs: number;
}

/** The kind of a record, `train` for records older than kinds. */
export const kindOf = (rec: Pick<RunRecord, 'kind'>): RunKind => rec.kind ?? 'train';

/** A run Hone trained from a spec (centrally or federated): its `spec` is a full training spec. */
export type TrainRecord = RunRecord & { spec: Spec };

export const isTrainRecord = (rec: RunRecord): rec is TrainRecord => kindOf(rec) === 'train' || kindOf(rec) === 'federated';

/** A run whose `spec` is a full Hone spec: a train or federated run, or a compress run (its parent's spec with a `compress` section). */
export const hasFullSpec = (rec: RunRecord): rec is TrainRecord => isTrainRecord(rec) || kindOf(rec) === 'compress';
