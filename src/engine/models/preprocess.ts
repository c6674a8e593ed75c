import * as tf from '@tensorflow/tfjs';
import type { DataSpec, Normalize } from '../../core/spec/types';
import { applyNormalizer, fitNormalizer, loadDataset, type Dataset, type Normalizer } from '../data';

/** What Hone did to the data before the network saw it; every statistic is fitted on the training split. */
export interface Preprocessing {
  normalize: Normalize;
  /** Inputs: x' = (x - shift) / scale per feature, prod(inputShape) values each (identity for `none`). */
  input: Normalizer;
  /** Regression with `normalizeTarget`: the network predicts (y - mean) / std. */
  target?: { mean: number; std: number };
  /** CSV classification: the label of each output, by index (the file's labels in sorted order). */
  labels?: string[];
}

/**
 * What a saved model's `userDefinedMetadata` says about it: `{ hone: { version: 1, inputs: 'raw',
 * normalize, target?, labels? } }`, so a program that loads it knows its inputs and outputs.
 */
export function honeMetadata(p: Preprocessing): { hone: Record<string, unknown> } {
  const extra = { ...(p.target ? { target: p.target } : {}), ...(p.labels ? { labels: p.labels } : {}) };
  return { hone: { version: 1, inputs: 'raw', normalize: p.normalize, ...extra } };
}

/**
 * The preprocessing behind `data` (loaded from `spec` with `seed` and `baseDir`). A Dataset carries
 * its target statistics and CSV labels but not its input normaliser, so the raw split is loaded again and the
 * normaliser refitted; refitting is deterministic, and the result is checked against the training
 * inputs `data` holds, so a data file edited since training cannot slip in other statistics.
 */
export function preprocessingOf(data: Dataset, spec: DataSpec, seed: number, baseDir: string): Preprocessing {
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const outputs = { ...(data.target ? { target: data.target } : {}), ...(data.labels ? { labels: data.labels } : {}) };
  if (spec.normalize === 'none') return { normalize: 'none', input: fitNormalizer('none', data.train, d), ...outputs };
  const raw = loadDataset({ ...spec, normalize: 'none', normalizeTarget: false } as DataSpec, seed, baseDir);
  const input = fitNormalizer(spec.normalize, raw.train, d);
  const x = applyNormalizer(raw.train, input).x;
  if (x.length !== data.train.x.length || x.some((v, i) => !Object.is(v, data.train.x[i]))) {
    throw new Error('the training data changed since it was loaded: its normalisation cannot be saved with the model');
  }
  return { normalize: spec.normalize, input, ...outputs };
}

/**
 * Layers that turn raw inputs of `shape` into what the network was trained on, and the initial
 * weights they copy when built (the caller disposes them). `scale` is a Keras Rescaling layer,
 * x * (1 / max). `standard` and `minmax` are a frozen BatchNormalization over the flattened features,
 * whose inference computes (x - moving_mean) * gamma / sqrt(moving_variance + epsilon) + beta; here
 * moving_mean = float32(shift), gamma = 1 / scale, moving_variance = 1, epsilon = 0, and beta =
 * (float32(shift) - shift) / scale carries the part of the shift float32 cannot hold. Subtracting
 * before scaling, with that remainder, keeps every input within a few float32 ulps of Hone's float64
 * (x - shift) / scale even where the mean is large against the spread (a year column), where
 * x * w + b (a Dense or 1x1 conv layer) would cancel: thousands of ulps there.
 */
function inputLayers(p: Preprocessing, shape: number[]): { layers: tf.layers.Layer[]; weights: tf.Tensor[] } {
  if (p.normalize === 'none') return { layers: [], weights: [] };
  if (p.normalize === 'scale') return { layers: [tf.layers.rescaling({ scale: 1 / p.input.scale[0], name: 'hone_rescale' })], weights: [] };
  const { shift, scale } = p.input;
  const shift32 = Float32Array.from(shift);
  const weights = [
    tf.tensor1d(Float32Array.from(scale, (s) => 1 / s)),
    tf.tensor1d(Float32Array.from(shift, (m, j) => (shift32[j] - m) / scale[j])),
    tf.tensor1d(shift32),
    tf.ones([shift.length]),
  ];
  // momentum 1: TF.js (unlike Keras) runs even a frozen BatchNormalization on batch statistics under
  // fit(); this at least keeps fit() from moving the saved statistics.
  const norm = tf.layers.batchNormalization({ epsilon: 0, momentum: 1, trainable: false, weights, name: 'hone_normalize' });
  if (shape.length === 1) return { layers: [norm], weights };
  return { layers: [tf.layers.flatten({ name: 'hone_flatten' }), norm, tf.layers.reshape({ targetShape: shape, name: 'hone_reshape' })], weights };
}

/** Back to the target's units: y = y' * std + mean (a Rescaling layer; float32, like any prediction). */
function outputLayers(p: Preprocessing): tf.layers.Layer[] {
  return p.target ? [tf.layers.rescaling({ scale: p.target.std, offset: p.target.mean, name: 'hone_target' })] : [];
}

/**
 * The model Hone saves: `model`'s layers between the layers that redo `p`, so that it answers raw
 * inputs in the target's own units, and plain `tf.loadLayersModel` restores it (Rescaling,
 * BatchNormalization, Flatten and Reshape are built-in layers; Keras has them too). The trained
 * layers are shared, not copied (TF.js records the extra use on each as an inbound node): disposing
 * the result releases only the layers it added.
 */
export function rawInputModel(model: tf.LayersModel, p: Preprocessing): tf.Sequential {
  const shape = model.inputs[0].shape.slice(1) as number[];
  const out = tf.sequential({ name: `${model.name}_raw_inputs` });
  out.add(tf.layers.inputLayer({ inputShape: shape, name: 'hone_input' }));
  const network = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const pre = inputLayers(p, shape);
  for (const layer of [...pre.layers, ...network, ...outputLayers(p)]) out.add(layer);
  tf.dispose(pre.weights); // adding a layer built it, copying its initial weights into its variables
  return out;
}
