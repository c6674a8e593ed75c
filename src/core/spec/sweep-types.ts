/**
 * The spec's `sweep` section, after defaults (schema/hone.schema.json documents every field). A sweep
 * runs trials of its spec, each with the parameters set at their paths (as `--set path=value` would).
 */

/** Any JSON value: categorical parameters may choose strings, numbers, booleans or whole arrays. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A parameter is active only when the categorical `parameter` has one of the values `in`. */
export interface SweepCondition {
  parameter: string;
  in: Json[];
}

export type SweepParameter =
  | { type: 'float'; min: number; max: number; log: boolean; step?: number; when?: SweepCondition }
  /** `step` absent means 1 (a grid then takes `points` values rather than every integer). */
  | { type: 'int'; min: number; max: number; log: boolean; step?: number; when?: SweepCondition }
  | { type: 'categorical'; values: Json[]; when?: SweepCondition };

export type Direction = 'minimize' | 'maximize';

export interface SweepObjective {
  metric: string;
  direction: Direction;
}

export type SamplerSpec =
  /** Picks one of the others from the space and the budget when the sweep starts (samplers/auto.ts). */
  | { type: 'auto' }
  | { type: 'grid'; points: number }
  | { type: 'random' }
  | { type: 'tpe'; startupTrials: number; candidates: number; gamma: number; priorWeight: number; multivariate: boolean }
  | { type: 'gp'; startupTrials: number; tpeEvery: number };

export type StopperSpec =
  | { type: 'none' }
  | { type: 'median'; startupTrials: number; warmupEpochs: number }
  | { type: 'asha'; minEpochs: number; eta: number }
  | { type: 'hyperband'; minEpochs: number; eta: number };

export interface SweepSpec {
  /** Spec path (`train.lr`, `model.layers[0]`) -> its range or values, in the order written. */
  parameters: Record<string, SweepParameter>;
  objectives: SweepObjective[];
  sampler: SamplerSpec;
  stopper: StopperSpec;
  /** Trials to run; absent: a grid runs all its combinations, other samplers stop on `timeLimit`. */
  trials?: number;
  /** Seconds after which no new trial starts. */
  timeLimit?: number;
  /** Trials at once; 0 means one per CPU core. */
  parallel: number;
  seed: number;
}
