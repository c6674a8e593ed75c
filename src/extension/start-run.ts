/** Starting a run from a command: through the window's queue, with a cancellable notification until it starts. */
import * as vscode from 'vscode';
import { readSettings } from './settings';
import { notifyRunEnd } from './notify';
import type { CommandDeps } from './commands';
import type { EnqueueOptions, ManagedRun } from './runs';

/** What a worker tells its parent that progress cares about: training, evaluate and exec workers alike. */
type StartMessage = { type: string; backend?: { name: string } };

/**
 * Starts a run through the queue (`enqueue`, given the hooks) and shows a cancellable notification until
 * its worker reports that it started (`verb` on its backend); notifies when the run ends.
 */
export async function startWithProgress(deps: CommandDeps, title: string, verb: string, enqueue: (o: EnqueueOptions<StartMessage>) => ManagedRun): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Hone: ${title}`, cancellable: true }, (progress, token) =>
    new Promise<void>((resolve) => {
      const run = enqueue({
        onMessage: (m) => {
          if (m.type === 'started' || m.type === 'spawned') {
            progress.report({ message: m.backend ? `${verb} on ${m.backend.name}` : verb });
            resolve();
          }
          if (m.type === 'finished') resolve();
        },
      });
      void run.done.then((rec) => {
        resolve();
        void notifyRunEnd({ dashboard: deps.dashboard, records: () => deps.tree.records, storeDir: () => readSettings().storeDir }, rec);
      });
      if (deps.runs.queuedCount > 0) progress.report({ message: 'queued: all run slots are busy (hone.maxParallelRuns)' });
      token.onCancellationRequested(() => {
        run.stop();
        resolve();
      });
      void deps.refresh();
    }),
  );
}

