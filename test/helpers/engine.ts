// Shared setup for in-process engine tests: the cpu backend (deterministic, always present) and
// small fully-defaulted specs built the same way the validator would.
import * as tf from '@tensorflow/tfjs';
import type { DataSpec, ModelSpec, TrainSpec } from '../../src/core/spec/types';
import { loadDataset, type Dataset } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { train, type TrainHooks, type TrainResult } from '../../src/engine/train';
import type { MetricLine } from '../../src/core/store/types';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export const trainSpec = (t: Partial<TrainSpec> = {}): TrainSpec => ({
  optimizer: 'adam', lr: 0.001, momentum: 0.9, weightDecay: 0.01, schedule: { type: 'constant' },
  batchSize: 32, epochs: 5, l1: 0, l2: 0, regularizeBias: false, dropout: 0, clipNorm: 0, ...t,
});

export const digitsData = (split = { train: 0.6, val: 0.2, test: 0.2 }): DataSpec => ({ source: 'digits', split, normalize: 'scale', normalizeTarget: false });

/** Trains a fresh model in this process and returns the result, the epoch lines and the model. */
export async function trainOnce(data: DataSpec | Dataset, model: ModelSpec, t: TrainSpec, seed: number, hooks: Partial<TrainHooks> = {}) {
  const ds = 'inputShape' in data ? data : loadDataset(data, seed, process.cwd());
  const m = buildModel(model, ds, seed, t.dropout);
  const lines: MetricLine[] = [];
  const result: TrainResult = await train(m, ds, t, seed, { onEpoch: (l) => void lines.push(l), shouldStop: () => false, ...hooks });
  return { result, lines, model: m, data: ds };
}
