/**
 * Whether a sweep's trial budget suits its stopper: ASHA with 6 trials prunes nearly all of them at the
 * first rung, so nothing is left to rank and parameter importance (4 completed trials at least) never
 * appears. Estimated by running the sweep's own stopper over simulated trials. Pure (no vscode import).
 */
import { createRng, derive } from '../core/rng';
import type { Spec, StopperSpec } from '../core/spec';
import { createStopper } from '../core/sweep/stoppers';
import { plannedSteps } from '../core/dashboard/federated';
import type { History, Trial } from '../core/sweep/types';

/** Completed trials parameter importance needs (core/sweep/results.ts). */
export const IMPORTANCE_TRIALS = 4;

/**
 * The expected number of trials that train to the end, of `trials` run one after another, each of which
 * keeps its rank at every epoch (a random quality): the mean over `sims` seeded simulations of the stopper.
 */
export function expectedCompleted(stopper: StopperSpec, trials: number, epochs: number, sims = 200): number {
  if (stopper.type === 'none') return trials;
  let total = 0;
  for (let s = 0; s < sims; s++) {
    const rng = createRng(derive(0, 'budget', s));
    const prune = createStopper(stopper, epochs);
    const done: Trial[] = [];
    for (let number = 0; number < trials; number++) {
      const quality = rng.next();
      const t: Trial = { number, params: {}, state: 'running', intermediate: {} };
      done.push(t);
      const history: History = { directions: ['maximize'], trials: done };
      for (let epoch = 1; epoch <= epochs; epoch++) {
        t.intermediate[epoch] = [quality * (0.5 + epoch / (2 * epochs))];
        if (prune.prune(t, history)) {
          t.state = 'pruned';
          break;
        }
      }
      if (t.state === 'running') Object.assign(t, { state: 'completed', values: t.intermediate[epochs] });
    }
    total += done.filter((t) => t.state === 'completed').length;
  }
  return total / sims;
}

/**
 * A warning when the spec's sweep will likely leave fewer than 4 trials complete; undefined when it suits.
 * A federated trial's stopper judges rounds, so those are what is simulated and named.
 */
export function budgetWarning(spec: Spec): string | undefined {
  const sweep = spec.sweep;
  if (!sweep || sweep.stopper.type === 'none' || sweep.trials === undefined) return undefined;
  const steps = plannedSteps(spec);
  const expected = expectedCompleted(sweep.stopper, sweep.trials, steps);
  if (expected >= IMPORTANCE_TRIALS) return undefined;
  return `With ${sweep.trials} trials of ${steps} ${spec.federated ? 'rounds' : 'epochs'}, the ${sweep.stopper.type} stopper lets about ${Math.round(expected * 10) / 10} trial(s) train to the end; `
    + `ranking trials and parameter importance need at least ${IMPORTANCE_TRIALS}. Raise sweep.trials, or run without the stopper.`;
}
