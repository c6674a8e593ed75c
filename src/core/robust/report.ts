/**
 * What a robustness evaluation records (run.json's `robustness`), and what adversarial training adds.
 * Plain JSON, written by the engine, read by `hone show`, the dashboard and tests.
 */
import type { Norm } from '../spec/robust-types';

/** One attack of the ensemble at one eps: the points it was run on (those still robust) and those it broke. */
export interface AttackTally {
  /** The attack's name in the metrics (`apgd-ce`; a repeated attack gets `-2`, `-3`). */
  name: string;
  /** Its settings in words, e.g. `apgd-ce 100 steps x 1`. */
  settings: string;
  box: 'white' | 'black';
  ran: number;
  broke: number;
  /** Adversarial examples it returned that were outside the eps ball or [0, 1]: never scored; a bug if any. */
  invalid: number;
  ms: number;
}

export interface EpsResult {
  eps: number;
  /** Points no attack broke at this eps or any smaller one (an example inside a smaller ball is inside this one). */
  robust: number;
  robustAccuracy: number;
  /** 95% Clopper-Pearson interval of robustAccuracy over the `points` evaluated. */
  ci: [number, number];
  /** Points the attacks at this eps alone left robust (before counting smaller eps): the monotonicity check. */
  alone: number;
  attacks: AttackTally[];
}

/** Gradient-masking diagnostics measured at the clean points. */
export interface Diagnostics {
  /** Points whose input gradient of the margin loss (logit of the label minus the best other) is exactly 0 or not finite. */
  zeroGradient: number;
  /** Points whose cross-entropy input gradient has an l1 norm below 1e-8 (a saturated softmax). */
  vanishingGradient: number;
  /** Points these two counts are over. */
  checked: number;
  /** Whether two forward passes of the same inputs differed. */
  randomized: boolean;
  /** A 40-step PGD at an eps that covers the whole [0, 1] box: robust points out of the correctly classified. */
  largeEps?: { eps: number; points: number; robust: number };
}

export type FlagId =
  | 'zero-gradients' | 'vanishing-gradients' | 'randomized-forward' | 'large-eps-not-broken'
  | 'black-box-beats-white-box' | 'not-monotone-in-eps' | 'invalid-examples' | 'catastrophic-overfitting';

/** An automatic warning shown with a result: why the robust accuracy may be overestimated. */
export interface RedFlag {
  id: FlagId;
  message: string;
}

export interface RobustReport {
  norm: Norm;
  /** How raw inputs map to the [0, 1] attack space eps is measured in. */
  space: string;
  /** Test points evaluated: the first `points` of the test part. */
  points: number;
  /** Of those, correctly classified without attack. */
  correct: number;
  /** The headline eps (the spec's first). */
  headline: number;
  /** Results per eps, ascending. */
  perEps: EpsResult[];
  diagnostics?: Diagnostics;
  flags: RedFlag[];
  /** The model evaluated: its run and the SHA-256 of model.json + weights.bin. */
  model?: { run: string; sha256: string };
  backend?: string;
  ms: number;
}

/** What adversarial training records: the method, and a collapse of robust accuracy if one happened. */
export interface TrainingReport {
  method: string;
  eps: number;
  alpha: number;
  /** Catastrophic overfitting: the epoch val_robust_accuracy fell, from its best to what. */
  collapse?: { epoch: number; best: number; bestEpoch: number; value: number };
  /** The best val_robust_accuracy of the whole run and its epoch (after a collapse: whether it recovered). */
  best?: { value: number; epoch: number };
  /** The epoch whose weights were kept (best val_robust_accuracy), when keepBest. */
  keptEpoch?: number;
}

/** run.json's `robustness` field. */
export interface RobustnessRecord {
  evaluation?: RobustReport;
  training?: TrainingReport;
  flags: RedFlag[];
}
