// The two benchmark workloads, shared by Hone's loop, raw TF.js model.fit and (mirrored in torch_bench.py) PyTorch.
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import type { ModelSpec, TrainSpec } from '../../src/core/spec/types';
import { loadDataset, type Dataset } from '../../src/engine/data';

export type Workload = 'mlp' | 'lenet';

export const MNIST = resolve(__dirname, '../../data/mnist');

/** MLP 784-512-512-10 at batch 256; LeNet-5 (conv 5x5x6, pool, conv 5x5x16, pool, 120, 84, 10) at batch 64. */
export const WORKLOADS: Record<Workload, { batch: number; spec: ModelSpec; describe: string }> = {
  mlp: { batch: 256, spec: { type: 'mlp', layers: [512, 512], activation: 'relu', dropout: 0 }, describe: 'MLP 784-512-512-10, batch 256' },
  lenet: {
    batch: 64,
    spec: { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu', dropout: 0, batchNorm: false },
    describe: 'LeNet-5 (conv 5x5x6, pool, conv 5x5x16, pool, 120, 84), batch 64',
  },
};

/**
 * Floating-point operations of one training step (2 per multiply-add of its products; element-wise
 * work left out): forward, weight gradients, and input gradients of every layer but the first.
 */
export function stepFlops(w: Workload): number {
  const { batch } = WORKLOADS[w];
  // Per sample: multiply-adds of each product layer, first layer first.
  const macs = w === 'mlp' ? [784 * 512, 512 * 512, 512 * 10] : [28 * 28 * 25 * 1 * 6, 14 * 14 * 25 * 6 * 16, 784 * 120, 120 * 84, 84 * 10];
  const total = macs.reduce((a, b) => a + b, 0);
  return 2 * batch * (2 * total + (total - macs[0]));
}

/** Adam at lr 1e-3, one epoch, nothing else: the same update PyTorch's torch.optim.Adam makes. */
export const trainSpec = (batchSize: number): TrainSpec => ({
  optimizer: 'adam', lr: 0.001, momentum: 0.9, weightDecay: 0, schedule: { type: 'constant' },
  batchSize, epochs: 1, l1: 0, l2: 0, regularizeBias: false, dropout: 0, clipNorm: 0,
});

/** The first `n` MNIST training images scaled to [0, 1], with no validation or test part to evaluate. */
export function mnistTrain(n: number): Dataset {
  const d = loadDataset({ source: 'mnist', path: MNIST, limit: n, split: { train: 1, val: 0, test: 0 }, normalize: 'scale', normalizeTarget: false }, 1, process.cwd());
  const empty = { x: new Float32Array(0), y: new Float32Array(0), n: 0 };
  return { ...d, val: empty, test: empty };
}

/** The same network as Hone builds for `w`, as a plain compiled tf.Sequential for model.fit. */
export function rawModel(w: Workload): tf.Sequential {
  const layers =
    w === 'mlp'
      ? [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 512, activation: 'relu' }), tf.layers.dense({ units: 512, activation: 'relu' })]
      : [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 120, activation: 'relu' }),
          tf.layers.dense({ units: 84, activation: 'relu' }),
        ];
  const model = tf.sequential({ layers: [...layers, tf.layers.dense({ units: 10, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
