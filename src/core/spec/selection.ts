import type { Spec } from './types';

/**
 * The metric a training run keeps its best epoch by, when it keeps one: train.earlyStopping's, or, with
 * robustness.train.keepBest, `val_robust_accuracy` (adversarial training's guard takes early stopping's
 * place: engine/robust/adversarial.ts). Undefined when the run keeps its last epoch. Progress lines show
 * it, so that the epoch a run ends up restoring can be told from them.
 */
export function selectionMetric({ train, robustness }: Pick<Spec, 'train' | 'robustness'>): string | undefined {
  if (train.earlyStopping) return train.earlyStopping.metric;
  return robustness?.train?.keepBest ? 'val_robust_accuracy' : undefined;
}
