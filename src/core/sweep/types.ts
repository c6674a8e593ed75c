/** The vocabulary shared by the space, the samplers, the stoppers and the results. Pure data. */
import type { Rng } from '../rng';
import type { Direction, Json } from '../spec/sweep-types';
import type { Space } from './space';

/** A trial's configuration: parameter path -> value, for the active parameters only. */
export type Params = Record<string, Json>;

/** `running` until its run ends; `pruned` when a stopper ended it early. */
export type TrialState = 'running' | 'completed' | 'pruned' | 'failed';

export interface Trial {
  /** 0, 1, 2... in the order the sampler suggested them. */
  number: number;
  params: Params;
  state: TrialState;
  /** Objective values of a completed trial, in the order of the sweep's objectives. */
  values?: number[];
  /** Objective values after each epoch (epoch -> values), as reported while the trial trained. */
  intermediate: Record<number, number[]>;
  /**
   * Set on a failed trial whose run diverged or ended with a NaN or infinite objective: unlike a crash or
   * a refused spec, a result about its parameters (samplers that rank trials put it last).
   */
  diverged?: true;
}

/** What samplers and stoppers see: every trial so far (running ones included) and the objectives' directions. */
export interface History {
  directions: Direction[];
  trials: readonly Trial[];
}

/**
 * Chooses the next configuration (Optuna's contract, reduced to one method). Pure: the same space,
 * history and rng state give the same suggestion. Undefined means nothing is left to try (a finished grid).
 */
export interface Sampler {
  suggest(space: Space, history: History, rng: Rng): Params | undefined;
}

/** Why a stopper ended a trial: the epoch it reached, the rung (ASHA, Hyperband: 0 = first), in words. */
export interface Pruning {
  epoch: number;
  rung?: number;
  reason: string;
}

/** The last epoch a trial reported, 0 before its first. */
export const lastEpoch = (t: Trial): number => Math.max(0, ...Object.keys(t.intermediate).map(Number));

/** Decides, after each epoch a trial reports, whether to stop it. */
export interface TrialStopper {
  prune(trial: Trial, history: History): Pruning | undefined;
}
