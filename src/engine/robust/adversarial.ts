import * as tf from '@tensorflow/tfjs';
import { collapseFlag, watchCollapse, type CollapseWatch } from '../../core/robust/flags';
import type { TrainingReport } from '../../core/robust/report';
import type { MetricLine } from '../../core/store/types';
import { createRng, derive } from '../../core/rng';
import type { RobustTrain } from '../../core/spec/robust-types';
import { selectionMetric } from '../../core/spec/selection';
import type { TrainSpec } from '../../core/spec/types';
import type { Dataset } from '../data/types';
import { forward } from '../models/forward';
import type { TrainHooks } from '../train/loop';
import { networkLogits } from './classifier';
import { attackRows, predict } from './evaluate';
import { fastAtExample } from './fgsm';
import { pgdLastIterate, type PgdConfig } from './pgd';
import { tradesAdversary, tradesLoss } from './trades';

export interface AdversarialTraining {
  hooks: Pick<TrainHooks, 'perturb' | 'extraLoss' | 'epochMetrics' | 'endTraining'>;
  /** The train section to use: with keepBest, early stopping on val_robust_accuracy that never stops, only keeps the best epoch. */
  train: TrainSpec;
  report(keptEpoch?: number): TrainingReport;
  /** A resumed run: the guard goes on from the val_robust_accuracy of the epochs before its checkpoint. */
  resume(lines: readonly MetricLine[]): void;
  dispose(): void;
}

/**
 * Adversarial training hooks for Hone's loop (train/loop.ts) on `model`, which sees normalised inputs
 * x' = a u + b of the attack space u in [0, 1] (core/robust/space.ts `networkMap`, per feature). Each
 * batch's examples are crafted against the model in inference mode (dropout off, batch-norm statistics
 * as they stand), seeded by the step: PGD-AT (Madry et al. 2018, arXiv:1706.06083) and Fast-AT (Wong et
 * al. 2020, arXiv:2001.03994) train on them; TRADES adds its KL term. Every epoch, `val_robust_accuracy`
 * is a PGD (random start, the same seed each epoch) on the first validation points; a fall of more than
 * `collapseDrop` below its best is catastrophic overfitting, logged and reported, and with keepBest it
 * ends training, keeping the best epoch before it (in Hone's MNIST bench an epoch that had "recovered"
 * after a collapse kept 88% of the validation points under PGD-10 and 63% of the test points under the
 * full ensemble, Square breaking many that the gradient attacks could not).
 */
export function adversarialTraining(model: tf.LayersModel, data: Dataset, map: { a: Float32Array; b: Float32Array }, cfg: RobustTrain, t: TrainSpec, seed: number, log: (text: string) => void): AdversarialTraining {
  const [a, b] = [tf.tensor(map.a, [1, ...data.inputShape]), tf.tensor(map.b, [1, ...data.inputShape])];
  const f = networkLogits(model, a, b);
  const toU = (x: tf.Tensor) => x.sub(b).div(a).clipByValue(0, 1);
  const attack: PgdConfig = { eps: cfg.eps, alpha: cfg.alpha, steps: cfg.steps, restarts: 1, norm: 'linf', randomStart: true };
  let adv: tf.Tensor | undefined;
  const n = Math.min(cfg.validation.points, data.val.n);
  const d = data.inputShape.reduce((p, q) => p * q, 1);
  const val = {
    x: tf.tidy(() => toU(tf.tensor(data.val.x.subarray(0, n * d), [n, ...data.inputShape])).dataSync() as Float32Array),
    y: Int32Array.from(data.val.y.subarray(0, n)), shape: data.inputShape, n,
  };
  const probe = { attack: 'pgd' as const, steps: cfg.validation.steps, restarts: 1, stepSize: 2.5 / cfg.validation.steps, randomStart: true };
  let watch: CollapseWatch = { best: -Infinity, bestEpoch: 0 };
  let ended: string | undefined;

  const hooks: AdversarialTraining['hooks'] = {
    perturb: (x, y, step) => tf.tidy(() => {
      const rng = createRng(derive(seed, 'adversary', step));
      const u = toU(x);
      if (cfg.method === 'fast') return fastAtExample(f, u, y.toInt(), cfg.eps, cfg.alpha, rng).mul(a).add(b);
      if (cfg.method === 'pgd') return pgdLastIterate(f, u, y.toInt(), attack, rng).mul(a).add(b);
      // Kept for extraLoss, which runs inside the step's gradient tape and needs it until the step is done.
      adv?.dispose();
      adv = tf.keep(tradesAdversary(f, u, cfg, rng).mul(a).add(b));
      return x;
    }),
    epochMetrics: async (epoch) => {
      // The last batch's TRADES examples are no longer needed: epochs start with the same tensors.
      adv?.dispose();
      adv = undefined;
      const pred = predict(f, val.x, n, data.inputShape, 500);
      const correct = Array.from(pred.keys()).filter((i) => pred[i] === val.y[i]);
      const r = await attackRows(f, val, correct, cfg.eps, 'linf', probe, { batch: 500, seed: derive(seed, 'val-robust') });
      const value = n ? (correct.length - r.broken.length) / n : 0;
      const before = watch.collapse;
      watch = watchCollapse(watch, epoch, value, cfg.collapseDrop);
      if (watch.collapse && !before) {
        log(collapseFlag(watch.collapse).message);
        if (cfg.keepBest) ended = `catastrophic overfitting at epoch ${epoch}: training ended there (robustness.train.keepBest: after a collapse, a rise of val_robust_accuracy can be masked gradients rather than robustness)`;
      }
      return { val_robust_accuracy: value };
    },
    endTraining: () => ended,
  };
  if (cfg.method === 'trades') hooks.extraLoss = (out) => tradesLoss(out, forward(model, adv!, true), cfg.beta);
  // The metric the run is said to select on (progress lines, the store) is the one kept by here.
  const selected = selectionMetric({ train: t, robustness: { train: cfg } });
  const train = cfg.keepBest && selected ? { ...t, earlyStopping: { metric: selected, patience: t.epochs, minDelta: 0, mode: 'max' as const } } : t;
  return {
    hooks,
    train,
    resume: (lines) => {
      for (const l of lines) {
        const value = l.metrics.val_robust_accuracy;
        if (typeof value === 'number') watch = watchCollapse(watch, l.epoch, value, cfg.collapseDrop);
      }
    },
    report: (keptEpoch) => ({ method: cfg.method, eps: cfg.eps, alpha: cfg.alpha, ...(watch.collapse ? { collapse: watch.collapse } : {}), best: { value: watch.best, epoch: watch.bestEpoch }, ...(cfg.keepBest && keptEpoch ? { keptEpoch } : {}) }),
    dispose: () => tf.dispose([a, b, ...(adv ? [adv] : [])]),
  };
}
