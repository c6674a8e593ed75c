import type { Schedule } from '../../core/spec/types';

/** Where training is: the 0-based step about to run, and the run's total steps and steps per epoch. */
export interface StepClock {
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

const cosineBetween = (from: number, to: number, frac: number) => to + ((from - to) * (1 + Math.cos(Math.PI * frac))) / 2;

/**
 * Learning rate at a step, for the spec's schedules:
 * `step` multiplies by gamma every stepEpochs epochs; `cosine` anneals from lr to minLr after a linear warmup
 * (Loshchilov & Hutter 2017, arXiv:1608.03983, without restarts); `onecycle` follows PyTorch's OneCycleLR
 * (Smith & Topin 2017, arXiv:1708.07120): cosine from lr/divFactor up to lr over pctStart of the steps, then
 * down to lr/(divFactor*finalDivFactor), step for step as torch.optim.lr_scheduler.OneCycleLR.
 */
export function learningRateAt(lr: number, s: Schedule, c: StepClock): number {
  switch (s.type) {
    case 'constant':
      return lr;
    case 'step':
      return lr * s.gamma ** Math.floor(c.step / c.stepsPerEpoch / s.stepEpochs);
    case 'cosine': {
      const warm = s.warmupEpochs * c.stepsPerEpoch;
      if (c.step < warm) return (lr * (c.step + 1)) / warm;
      return cosineBetween(lr, s.minLr, (c.step - warm) / Math.max(1, c.totalSteps - warm));
    }
    case 'onecycle': {
      const initial = lr / s.divFactor;
      // As PyTorch: phase one ends at the fractional step pctStart * total - 1, not rounded. Where that is not
      // past step 0 (PyTorch divides by zero there) the cycle starts at its peak.
      const peak = s.pctStart * c.totalSteps - 1;
      if (peak > 0 && c.step <= peak) return cosineBetween(initial, lr, c.step / peak);
      const down = c.totalSteps - 1 - peak;
      return cosineBetween(lr, initial / s.finalDivFactor, down > 0 ? (c.step - peak) / down : 0);
    }
  }
}
