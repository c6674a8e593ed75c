/**
 * What keeps compressed weights compressed while they are retrained: pieces of the training loop's
 * `transformGrads` / `afterStep` hooks (engine/train/loop.ts).
 *
 * - Masks (pruning): gradients of pruned weights are zeroed before the optimizer, and whenever masks
 *   change the pruned weights and their optimizer slots (momentum, Adam's moments) are zeroed. With zero
 *   gradient and zero state every optimizer Hone has leaves a weight of 0 at exactly 0.
 * - Shared weights (Deep Compression's centroid fine-tuning, arXiv:1510.00149 Sec. 3.3): each weight's
 *   gradient becomes the sum of its cluster's gradients, so the weights of a cluster, equal at the start,
 *   receive equal updates and stay equal: with SGD that is the paper's update c_k -= lr * sum(dL/dw).
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../train/optimizers';
import { kernelLayers, trainableIndex } from './layers';

export interface Constraint {
  transformGrads?(grads: tf.Tensor[]): tf.Tensor[];
  afterStep?(step: number, opt: Optimizer): void;
  dispose(): void;
}

/** One constraint that applies `cs` in order (transformGrads) and each afterStep in order. */
export function combine(cs: Constraint[]): Required<Pick<Constraint, 'transformGrads' | 'afterStep'>> {
  return {
    transformGrads: (grads) => cs.reduce((g, c) => (c.transformGrads ? c.transformGrads(g) : g), grads),
    afterStep: (step, opt) => cs.forEach((c) => c.afterStep?.(step, opt)),
  };
}

/**
 * Keeps the masks of `masks` (by layer name, 1 = kept) on `model`'s kernels, and applies them now. With
 * `update`, after each step it may return new masks (a pruning step), which replace the old ones.
 */
export function maskConstraint(model: tf.LayersModel, masks: Map<string, Uint8Array>, update?: (step: number) => Map<string, Uint8Array> | undefined): Constraint {
  const layers = kernelLayers(model);
  const n = model.trainableWeights.length;
  const byVar = new Map<number, tf.Tensor>();
  const set = (next: Map<string, Uint8Array>, opt?: Optimizer) => {
    tf.dispose([...byVar.values()]);
    byVar.clear();
    for (const k of layers) {
      const m = next.get(k.name);
      if (!m) continue;
      const mask = tf.tensor(Float32Array.from(m), k.shape);
      byVar.set(trainableIndex(model, k), mask);
      tf.tidy(() => k.kernel.assign(k.kernel.mul(mask)));
    }
    // Slots are grouped per variable in trainable order (optimizers.ts): slot j belongs to variable j % n.
    opt?.state().slots.forEach((s, j) => {
      const mask = byVar.get(j % n);
      if (mask) tf.tidy(() => (s as tf.Variable).assign(s.mul(mask)));
    });
  };
  set(masks);
  return {
    transformGrads: (grads) => grads.map((g, i) => (byVar.has(i) ? g.mul(byVar.get(i)!) : g)),
    afterStep: (step, opt) => {
      const next = update?.(step);
      if (next) {
        next.forEach((m, name) => masks.set(name, m));
        set(masks, opt);
      }
    },
    dispose: () => tf.dispose([...byVar.values()]),
  };
}

/** A shared layer: the cluster of each kernel weight, how many clusters, and which weights are live (1) or pruned (0). */
export interface SharedLayer {
  assign: Int32Array;
  clusters: number;
  live: Uint8Array;
}

/** Ties the gradients of each cluster of the shared layers of `model` (their weights must already be tied). */
export function shareConstraint(model: tf.LayersModel, shared: Map<string, SharedLayer>): Constraint {
  const byVar = new Map<number, { assign: tf.Tensor1D; live: tf.Tensor; clusters: number; shape: number[] }>();
  for (const k of kernelLayers(model)) {
    const s = shared.get(k.name);
    if (s) byVar.set(trainableIndex(model, k), { assign: tf.tensor1d(s.assign, 'int32'), live: tf.tensor(Float32Array.from(s.live), k.shape), clusters: s.clusters, shape: k.shape });
  }
  return {
    transformGrads: (grads) => grads.map((g, i) => {
      const s = byVar.get(i);
      if (!s) return g;
      // bincount with weights is a segment sum, and unlike unsortedSegmentSum every backend has it.
      const sums = tf.bincount(s.assign, g.mul(s.live).reshape([-1]) as tf.Tensor1D, s.clusters);
      return tf.gather(sums, s.assign).reshape(s.shape).mul(s.live);
    }),
    dispose: () => byVar.forEach((s) => tf.dispose([s.assign, s.live])),
  };
}
