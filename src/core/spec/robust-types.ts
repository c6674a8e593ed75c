/**
 * The spec's `robustness` section (schema/hone.schema.json is the source of truth for defaults and
 * docs). Every eps is measured in the attack space: the model's raw inputs rescaled to [0, 1] (pixels
 * / 255 for MNIST, / 16 for digits; core/robust/space.ts), whatever normalisation Hone applies after.
 */

export type Norm = 'linf' | 'l2';

export type AttackName = 'fgsm' | 'pgd' | 'apgd-ce' | 'apgd-dlr' | 'square';

/** One attack of an evaluation ensemble, with its own settings (defaults filled by the schema). */
export type AttackSpec =
  | { attack: 'fgsm' }
  /** `stepSize` is a multiple of eps per step (default 2.5 / steps, Madry et al.). */
  | { attack: 'pgd'; steps: number; restarts: number; stepSize: number; randomStart: boolean }
  | { attack: 'apgd-ce'; steps: number; restarts: number }
  | { attack: 'apgd-dlr'; steps: number; restarts: number }
  | { attack: 'square'; queries: number; pInit: number };

/** Robust accuracy of the trained model under an ensemble of attacks, on the first `points` test points. */
export interface RobustEvaluate {
  /** One eps, or several for a robust-accuracy-vs-eps curve; the first one is the headline `robust_accuracy`. */
  eps: number | number[];
  norm: Norm;
  attacks: AttackSpec[];
  points: number;
  batch: number;
  /** Gradient-masking checks (gradients at the clean points, a forward pass repeated, an attack at a huge eps). */
  checks: boolean;
}

/** Adversarial training (Linf): PGD-AT (Madry), FGSM with random start (Wong), or TRADES (Zhang). */
export interface RobustTrain {
  method: 'pgd' | 'fast' | 'trades';
  eps: number;
  /** Step size, absolute (default: fast 1.25 eps, pgd and trades 2.5 eps / steps). */
  alpha: number;
  /** Attack steps per batch (pgd, trades). */
  steps: number;
  /** TRADES' weight of the robust (KL) term. */
  beta: number;
  /** The cheap PGD behind `val_robust_accuracy`: on the first `points` validation samples. */
  validation: { points: number; steps: number };
  /** Keep the weights of the epoch with the best val_robust_accuracy, and end training at a collapse (catastrophic-overfitting guard). */
  keepBest: boolean;
  /** A fall of val_robust_accuracy below its best by more than this is flagged as catastrophic overfitting. */
  collapseDrop: number;
}

export interface RobustnessSpec {
  evaluate?: RobustEvaluate;
  train?: RobustTrain;
}

/** The eps values of an evaluation, as a list. */
export const epsList = (e: RobustEvaluate): number[] => (Array.isArray(e.eps) ? e.eps : [e.eps]);
