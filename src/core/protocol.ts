import type { BackendReport, MetricLine, RunRecord } from './store/types';

/**
 * Messages a worker sends its parent over the IPC channel while it runs. The run folder on disk is the
 * record of truth; these only make progress visible without polling files.
 */
export type WorkerMessage =
  | { type: 'started'; backend: BackendReport }
  /** `unit` 'round': a federated run's line (its epochs are communication rounds). */
  | { type: 'epoch'; line: MetricLine; epochs: number; unit?: 'round' }
  | { type: 'finished'; record: RunRecord };

/** How often a running worker refreshes `heartbeat` in run.json. */
export const HEARTBEAT_MS = 2000;

/** Environment variable that tells a worker to exit when its parent's IPC channel closes (LaunchOptions.exitWithParent). */
export const EXIT_WITH_PARENT = 'HONE_EXIT_WITH_PARENT';

/**
 * Environment variable that tells a worker which session of its run it was started for: the number of
 * `resumed` entries in the record its launcher queued (RunFolderOwner.startedFor).
 */
export const RUN_SESSION = 'HONE_RUN_SESSION';
