/** What compression stages share: the network being compressed and what each technique left on it. */
import type * as tf from '@tensorflow/tfjs';
import type { Spec } from '../../core/spec/types';
import type { CompressSpec } from '../../core/spec/compress-types';
import type { Dataset } from '../data';
import type { TrainResult } from '../train';
import type { AffineQuantized } from './affine';
import type { Constraint, SharedLayer } from './constraints';

export interface CompressState {
  /** The network (no preprocessing layers); structured pruning replaces it with a smaller one. */
  model: tf.LayersModel;
  /** Pruning masks by layer name (1 = kept); they hold through every later stage. */
  masks: Map<string, Uint8Array>;
  /** Weight sharing by layer name. */
  shared: Map<string, SharedLayer>;
  /** Affine grids of quantized kernels by layer name. */
  grids: Map<string, AffineQuantized>;
}

export interface StageContext {
  spec: Spec;
  c: CompressSpec;
  data: Dataset;
  seed: number;
  /**
   * Retrains `model` for `epochs` epochs under `constraints` (it does not dispose them), writing metric
   * lines labelled `stage`; undefined when `epochs` is 0.
   */
  retrain(model: tf.LayersModel, epochs: number, constraints: Constraint[], stage: string): Promise<TrainResult | undefined>;
  log(text: string): void;
}

/** Optimizer steps per epoch of retraining (as the training loop counts them). */
export function stepsPerEpoch(ctx: StageContext): number {
  const n = ctx.data.train.n;
  const batch = ctx.spec.train.batchSize === 0 ? n : Math.min(ctx.spec.train.batchSize, n);
  return Math.ceil(n / Math.max(1, batch));
}

/** Runs `body` with `cs`, disposing them afterwards. */
export async function using<T>(cs: Constraint[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    cs.forEach((c) => c.dispose());
  }
}
