import { queueTrialRun } from '../sweep/trial-run';
import type { SweepRunOptions } from '../sweep/api';
import type { RemoteQueue } from './remote';

/** A sweep's trials on the queue: each trial's run is recorded here (queued), then enqueued for an agent. */
export function queueTrials(remote: RemoteQueue, storeDir: string): NonNullable<SweepRunOptions['queue']> {
  return {
    url: remote.address.redacted,
    launchTrial: (o) => {
      return remote.submit(o.storeDir, queueTrialRun(o), o.onLine);
    },
    adoptTrial: (runId, onLine) => remote.adopt(storeDir, runId, onLine),
  };
}
