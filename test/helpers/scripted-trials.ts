import type { LaunchTrial, TrialRun } from '../../src/core/sweep/trial-run';
import type { RunRecord } from '../../src/core/store/types';

/**
 * A sweep's `launchTrial` whose trial n does not train: its run reports `scripts[n]` as val_accuracy,
 * one metrics line per epoch (an entry with a stage: a compression line) (a tick apart), and ends completed, or stopped when the sweep stops it
 * (`onStop(n)` is told). A known answer for coordinator tests that does not depend on a real network.
 */
export function scriptedTrials(scripts: (number | { value: number; stage: string })[][], lr: number, onStop: (n: number) => void = () => {}): (o: LaunchTrial) => TrialRun {
  return (o) => {
    const n = o.sweep.trial;
    const runId = `20200101-000000-00000${n}`;
    o.onQueued(runId);
    let stop = false;
    const done = (async (): Promise<RunRecord> => {
      const script = scripts[n];
      for (let e = 0; e < script.length; e++) {
        await new Promise((r) => setImmediate(r));
        if (stop) return { id: runId, status: 'stopped', epochsDone: e, final: {} } as unknown as RunRecord;
        const at = script[e];
        const [value, stage] = typeof at === 'number' ? [at, undefined] : [at.value, at.stage];
        o.onLine({ epoch: e + 1, step: e, time: e, lr, tensors: 0, metrics: { val_accuracy: value }, ...(stage ? { stage } : {}) });
      }
      const last = script.at(-1)!;
      return { id: runId, status: 'completed', epochsDone: script.length, final: { val_accuracy: typeof last === 'number' ? last : last.value } } as unknown as RunRecord;
    })();
    return { runId, done, stop: () => ((stop = true), onStop(n)) };
  };
}
